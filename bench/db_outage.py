"""How long a database outage holds requests: gunicorn (gunicorn.conf.py, 4 workers) in front of
PostgreSQL reached through a proxy that this script cuts and restores. Prints figures, never pass/fail.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lublin_sec .venv/bin/python bench/db_outage.py

The database must be migrated. The "cut" refuses new connections and resets the open ones, as a
stopped server does. Each figure is one request's wall time (ms) and status.
"""

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.servers import TcpProxy, gunicorn, http_get  # noqa: E402


def timed(url: str) -> str:
    started = time.perf_counter()
    status, _, _ = http_get(url, timeout=60)
    return f"{status} in {(time.perf_counter() - started) * 1000:.0f} ms"


def main() -> None:
    database = urlsplit(os.environ["DATABASE_URL"])
    proxy = TcpProxy(database.hostname or "127.0.0.1", database.port or 5432)
    proxy.restore()
    user = database.username or "postgres"
    secret = f":{database.password}" if database.password else ""
    env = {
        "DATABASE_URL": f"postgres://{user}{secret}@127.0.0.1:{proxy.port}{database.path}",
        "REDIS_URL": "",
        "GUNICORN_WORKERS": "4",
        "DATABASE_POOL_TIMEOUT": os.environ.get("DATABASE_POOL_TIMEOUT", "2"),
    }
    with gunicorn(env) as server:
        for _ in range(8):  # every worker has a pooled connection
            http_get(server + "/wydarzenia/")
        print("# Database outage (gunicorn, 4 workers)")
        print(f"database up:      /healthz {timed(server + '/healthz')}, /wydarzenia/ {timed(server + '/wydarzenia/')}")
        proxy.cut()
        for attempt in range(1, 4):
            print(
                f"database down #{attempt}: /healthz {timed(server + '/healthz')}, "
                f"/wydarzenia/ {timed(server + '/wydarzenia/')}"
            )
        proxy.restore()
        for attempt in range(1, 3):
            print(
                f"database back #{attempt}: /healthz {timed(server + '/healthz')}, "
                f"/wydarzenia/ {timed(server + '/wydarzenia/')}"
            )
        proxy.cut()
        proxy.restore()
        print(f"restart between two requests: /wydarzenia/ {timed(server + '/wydarzenia/')}")
    proxy.cut()


if __name__ == "__main__":
    main()
