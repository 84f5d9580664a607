"""Health of the services the portal depends on, for load balancers and operators.

The answer is public and says only "ok" or "down" per service; error names and timings go to the log
and to signed-in staff, never to anyone who asks.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _ping_database() -> None:
    """SELECT 1, waiting at most HEALTHZ_DATABASE_TIMEOUT for a pooled connection.

    A page waits for the pool's own timeout; the health check must answer within a second even while
    the database is away, so it asks the pool directly with its shorter one.
    """
    pool = getattr(connection, "pool", None)
    if pool is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return
    pool.open()
    with pool.connection(timeout=settings.HEALTHZ_DATABASE_TIMEOUT) as conn:
        conn.execute("SELECT 1").fetchone()


def check_database() -> dict:
    started = time.monotonic()
    try:
        _ping_database()
    except Exception as error:  # any driver or pool error means "down"; the detail goes to the operator
        logger.warning("Health check: the database does not answer: %r", error)
        return {"status": "down", "error": error.__class__.__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def check_cache() -> dict:
    started = time.monotonic()
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        client = getattr(cache, "_cache", None)
        if client is not None and hasattr(client, "get_client"):
            client.get_client(write=True).ping()  # bypasses the tolerant wrapper on purpose
        else:
            cache.set("healthz", "ok", 5)
    except (RedisError, OSError) as error:
        logger.warning("Health check: the cache does not answer: %r", error)
        return {"status": "down", "backend": backend, "error": error.__class__.__name__}
    return {"status": "ok", "backend": backend, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "mode": "eager"}
    from lublin2030.celery import app

    started = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
    except Exception as error:  # kombu raises several unrelated types for "unreachable"
        logger.warning("Health check: the broker does not answer: %r", error)
        return {"status": "down", "error": error.__class__.__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def overall_health() -> tuple[dict, int]:
    """(body, HTTP status), with every detail: pass the body through `without_details` for the public."""
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    if checks["database"]["status"] != "ok":
        status, code = "down", 503
    elif any(check["status"] != "ok" for check in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return {"status": status, "checks": checks}, code


def without_details(body: dict) -> dict:
    """What anyone may read: each service's status, no error names, no timings, no backends."""
    return {"status": body["status"], "checks": {name: {"status": c["status"]} for name, c in body["checks"].items()}}
