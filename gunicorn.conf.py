"""gunicorn's settings for the web process (read from the working directory: the Dockerfile's /app).

`gunicorn lublin2030.wsgi:application` picks this file up by itself; command-line flags override it.
`bench/yardstick.py` starts the portal and its bare-Django anchor with this same file, so what the
benchmark measures is what the image runs. Each setting can be overridden by its GUNICORN_* variable.
"""

import os


def _cores() -> int:
    """The cores this process may run on (a container's CPU set), not all of the host's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Worker class and counts were chosen by measurement (bench/yardstick.py, docs/performance.md "Against a
# bare Django view"): on 2 cores at 16 connections, gthread with one process per core and 4 threads
# each served every page 1.4-3x the requests per second of 2, 4 or 5 sync workers, at a similar or
# lower p99. A page is mostly round trips to PostgreSQL and Redis; a waiting thread frees the GIL for
# another, where a sync worker waits idle. Not keep-alive: with it off the lead stayed. More processes
# than cores only compete for them (4 x 4 and 3 x 2 were no better than 2 x 4), 8 threads gave nothing
# over 4. A slow client or a long streamed export holds one thread, not a whole worker. Set
# GUNICORN_WORKERS to the cores of the CPU quota when a container's quota is below its CPU set.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", str(_cores())))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "2"))  # gunicorn's default; 0 closes after each response
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"

# gunicorn caps the request line at 8,190 bytes at most and answers a longer one with its own bare
# "400 Bad Request" page. 0 lifts its cap so that an overlong address (a 10,000-character search)
# reaches Django, which answers with the portal's own 400 page (lublin2030.middleware,
# MAX_QUERY_STRING_LENGTH). The HTTPS proxy in front still bounds what a client may send.
limit_request_line = 0
