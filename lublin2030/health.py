"""Health of the services the portal depends on, for load balancers and operators."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from redis.exceptions import RedisError


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"; the detail goes to the operator
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
        return {"status": "down", "error": error.__class__.__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def overall_health() -> tuple[dict, int]:
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    if checks["database"]["status"] != "ok":
        status, code = "down", 503
    elif any(check["status"] != "ok" for check in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return {"status": status, "checks": checks}, code
