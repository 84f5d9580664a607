"""gunicorn's settings for the web process (read from the working directory: the Dockerfile's /app).

`gunicorn lublin2030.wsgi:application` picks this file up by itself; command-line flags override it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"

# gunicorn caps the request line at 8,190 bytes at most and answers a longer one with its own bare
# "400 Bad Request" page. 0 lifts its cap so that an overlong address (a 10,000-character search)
# reaches Django, which answers with the portal's own 400 page (lublin2030.middleware,
# MAX_QUERY_STRING_LENGTH). The HTTPS proxy in front still bounds what a client may send.
limit_request_line = 0
