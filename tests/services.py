"""Which real services this run can reach, for tests that need one."""

import functools
import os
import shutil
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SCRIPT = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def strict() -> bool:
    """`.ci/run` sets this: a missing service then fails the test instead of skipping it."""
    return os.environ.get("LUBLIN_REQUIRE_SERVICES", "") == "1"


@functools.cache
def postgres_missing() -> str | None:
    if not settings.USING_POSTGRES:
        return "needs PostgreSQL: set DATABASE_URL=postgres://... (this run uses SQLite)"
    return None


@functools.cache
def redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "needs Redis: set REDIS_URL=redis://... (this run uses a local-memory cache)"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"needs Redis: {url} does not answer ({error})"
    return None


@functools.cache
def browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "needs the playwright Python package"
    if not AXE_SCRIPT.exists():
        return "needs the axe-core npm package (npm install in the project folder)"
    if shutil.which("node") is None and not AXE_SCRIPT.exists():
        return "needs Node.js for axe-core"
    return None


REQUIREMENTS = {"postgres": postgres_missing, "redis": redis_missing, "browser": browser_missing}
