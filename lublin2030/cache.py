"""A Redis cache that degrades instead of failing.

The cache holds nothing that cannot be recomputed, and it backs rate limits. When Redis is down,
a resident's page must still render: reads miss, writes are dropped, and the error is logged once
per call instead of turning the request into a 500.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _tolerant(method_name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), method_name)(*args, **kwargs)
        except RedisError as error:
            logger.warning("Cache unavailable during %s: %s", method_name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


def _default_of_get(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    get = _tolerant("get", _default_of_get)
    get_many = _tolerant("get_many", {})
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    add = _tolerant("add", True)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    touch = _tolerant("touch", False)
    has_key = _tolerant("has_key", False)
    clear = _tolerant("clear", None)

    @property
    def strict(self):
        """This cache without the tolerance, for callers that must know an operation did not happen
        (lublin2030.ratelimit counts elsewhere when Redis is down)."""
        return super()

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            logger.warning("Cache unavailable during incr: %s", error)
            return delta
