"""Version numbers of public data, kept in the cache: the one way to retire cached pages and fragments.

Everything public that is cached (list fragments, facets, whole pages for anonymous visitors,
statistics, API answers) is keyed by the version of the data it shows. A write that changes that
data bumps the version; old entries are never deleted, they stop being read and expire. A version
starts from the clock, so a flushed cache never reuses a number.

`PUBLICATION` is what residents' published opinions and the names shown with them look like: every
moderation decision, import, account deletion and admin edit of opinions bumps it.
"""

import time

from django.core.cache import cache
from django.db import transaction

PUBLICATION = "publication"


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> int:
    key = _key(name)
    version = cache.get(key)
    if version is None:
        version = int(time.time() * 1000)
        if not cache.add(key, version, timeout=None):  # another process was first
            version = cache.get(key) or version
    return version


def bump(name: str) -> None:
    """Retire what is cached under `name` now and again after commit: readers between the two may
    cache the old state under the first new number, and the second bump retires it."""
    _increment(name)
    transaction.on_commit(lambda: _increment(name), robust=True)


def _increment(name: str) -> None:
    key = _key(name)
    try:
        cache.incr(key)
    except ValueError:  # no version yet (or the cache was flushed)
        cache.set(key, int(time.time() * 1000), timeout=None)


def publication_version() -> int:
    return current(PUBLICATION)


def bump_publication_version() -> None:
    bump(PUBLICATION)
