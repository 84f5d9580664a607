"""The one rate limit: how often something may happen per key and period, counted atomically.

    TOO_MANY = ngettext_lazy("... in %(minutes)d minute.", "... in %(minutes)d minutes.", "minutes")
    hit = ratelimit.require(
        ratelimit.limit("opinion:user", user.pk), ratelimit.limit("opinion:ip", ip), message=TOO_MANY
    )              # raises RateLimited (a ValidationError) with the message when refused
    ...            # a write that fails afterwards gives its count back with hit.undo()

Rates are settings (`RATE_LIMITS = {"opinion:user": "10/h", ...}`, "count/period", the period in s, m,
h or d, e.g. "5/15m"; an empty rate switches that limit off). A new kind of contribution (the coming
consultation comments) adds one entry there and calls `hit` in its service.

How it counts: `cache.add(key, 0)` then `cache.incr(key)`. Both are atomic in Redis (and under the
lock of the local-memory cache), so thirty simultaneous requests get thirty different counts and
exactly `count` of them pass; a refused hit gives its count back at once. Windows are fixed and
aligned on the clock, and the window's number is part of the key: a key is only counted during its
own window and expires just after it, so Django's "EXISTS, then INCR" can never leave a counter
without expiry. (django-ratelimit counts the same way but needs a request; services have none.)

When Redis does not answer, each process counts in its own memory: limits hold per process (looser
by the number of workers) instead of switching off, and logins stay throttled.
"""

import hashlib
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PERIOD_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Counting never depends on Redis alone: these errors switch to the per-process counter.
CACHE_ERRORS = (RedisError, OSError)
_local = LocMemCache("lublin2030-ratelimit", {"MAX_ENTRIES": 100_000})


class RateLimited(ValidationError):
    """Too many of one action for one key in the period; `retry_after` is in seconds."""

    def __init__(self, message, *, retry_after: int):
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return minutes(self.retry_after)


@dataclass(frozen=True)
class Limit:
    name: str
    key: str
    count: int
    period: int


@dataclass
class Hit:
    allowed: bool
    retry_after: int = 0
    _counted: list = field(default_factory=list, repr=False)

    @property
    def minutes(self) -> int:
        return minutes(self.retry_after)

    def undo(self) -> None:
        """Give the counts back (the action did not happen after all, or a login succeeded)."""
        for backend, key in self._counted:
            try:
                backend.incr(key, -1)
            except (*CACHE_ERRORS, ValueError):  # expired or unreachable: nothing left to give back
                pass
        self._counted = []


def minutes(seconds: int) -> int:
    """Whole minutes to wait, at least one."""
    return max(1, -(-int(seconds) // 60))


def parse_rate(rate: str) -> tuple[int, int] | None:
    """ "10/h" -> (10, 3600); "5/15m" -> (5, 900); "" -> None (no limit)."""
    rate = (rate or "").strip()
    if not rate:
        return None
    count, period = rate.split("/")
    unit = period[-1]
    return int(count), int(period[:-1] or 1) * PERIOD_UNITS[unit]


def limit(name: str, key) -> Limit | None:
    """The limit `name` of settings.RATE_LIMITS for one key (an account id, an address...); None when
    the rate is switched off or there is no key (a request without an address)."""
    parsed = parse_rate(settings.RATE_LIMITS.get(name, ""))
    if parsed is None or key in (None, ""):
        return None
    count, period = parsed
    return Limit(name=name, key=hashlib.sha256(str(key).encode()).hexdigest()[:32], count=count, period=period)


def hit(*limits: Limit | None) -> Hit:
    """Count one occurrence against every limit; refused (and nothing counted) if any is exceeded."""
    now = time.time()
    counted, retry_after = [], 0
    for rule in filter(None, limits):
        window = int(now // rule.period)
        window_end = (window + 1) * rule.period
        key = f"ratelimit:{rule.name}:{rule.key}:{window}"
        backend, count = _count(key, timeout=int(window_end - now) + 5)
        counted.append((backend, key))
        if count > rule.count:
            retry_after = max(retry_after, int(window_end - now) + 1)
    result = Hit(allowed=retry_after == 0, retry_after=retry_after, _counted=counted)
    if not result.allowed:
        result.undo()
    return result


def require(*limits: Limit | None, message) -> Hit:
    """`hit`, raising RateLimited when refused; `message` is an `ngettext_lazy(..., "minutes")` that
    says how many minutes to wait."""
    result = hit(*limits)
    if not result.allowed:
        raise RateLimited(message % {"minutes": result.minutes}, retry_after=result.retry_after)
    return result


def _count(key: str, *, timeout: int) -> tuple[object, int]:
    strict = getattr(cache, "strict", cache)  # the tolerant Redis cache would hide an outage
    try:
        return strict, _add_and_incr(strict, key, timeout)
    except CACHE_ERRORS as error:
        logger.warning("Rate limit counted in this process only, the cache does not answer: %s", error)
        return _local, _add_and_incr(_local, key, timeout)


def _add_and_incr(backend, key: str, timeout: int) -> int:
    backend.add(key, 0, timeout)
    try:
        return backend.incr(key)
    except ValueError:  # the key expired between the two calls (only at the very end of its window)
        backend.add(key, 0, timeout)
        return backend.incr(key)


def client_ip(request) -> str | None:
    """The address limits count. Behind a proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn with
    --forwarded-allow-ips and a middleware), never a header a client could forge."""
    return request.META.get("REMOTE_ADDR") or None


def clear_local() -> None:
    """Forget the per-process counts (tests)."""
    _local.clear()
