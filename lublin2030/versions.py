"""Version numbers of public data, kept in the cache: the one way to retire cached pages and fragments.

Everything public that is cached (list fragments, facets, whole pages for anonymous visitors,
statistics, API answers) is keyed by the version of the data it shows. A write that changes that
data bumps the version; old entries are never deleted, they stop being read and expire. A version
starts from the clock, so a flushed cache never reuses a number.

`PUBLICATION` is what residents' published opinions and the names shown with them look like: every
moderation decision, import, account deletion and admin edit of opinions bumps it.

`OPINION_LIST` and the *list scopes* narrow it for the public list (`participation.public_list.
list_version`): a moderation decision about a few opinions bumps the publication version and the
scopes of those opinions' area, district, channel and stage, not `OPINION_LIST`; every other
publication change bumps `OPINION_LIST` too. A list page that only opinions of its scopes can change
is keyed by `OPINION_LIST` and its scopes, so decisions elsewhere keep it.
"""

import time

from django.core.cache import cache
from django.db import transaction

PUBLICATION = "publication"
OPINION_LIST = "opinion-list"


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
    """Every public view of opinions changes: all of them are retired."""
    bump(PUBLICATION)
    bump(OPINION_LIST)


def list_scope(dimension: str, pk: int) -> str:
    """The version name of the list pages filtered to one area, district, channel or stage (by id)."""
    return f"{OPINION_LIST}:{dimension}:{pk}"


def bump_publication_of(scopes: set[str]) -> None:
    """Only opinions of these list scopes changed (a moderation decision): the publication version and
    the scopes are bumped, `OPINION_LIST` is not."""
    bump(PUBLICATION)
    for name in sorted(scopes):
        bump(name)


def combined(names: list[str]) -> str:
    """`OPINION_LIST` and `names` in one cache read, as one version: it changes when any of them does."""
    keys = [_key(name) for name in (OPINION_LIST, *names)]
    found = cache.get_many(keys)
    parts = []
    for name, key in zip((OPINION_LIST, *names), keys, strict=True):
        parts.append(str(found[key]) if key in found else str(current(name)))
    return ".".join(parts)
