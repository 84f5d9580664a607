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

`CALENDAR` is the process calendar: stages, their periods and windows, the coordinator's pinned stage.
`GROUPS` is the working groups as the public sees them: groups, members, recruitment.
`STRATEGY` is the strategy's public reading: its versions and their state, adoption and PDFs.
Each is bumped by every write to what it names (the services, and each app's signals for the
writes that bypass them: the admin, data loaders).

A page that depends on several reads them with `current_many` in one cache call.
"""

import time

from django.core.cache import cache
from django.db import transaction

PUBLICATION = "publication"
OPINION_LIST = "opinion-list"
CALENDAR = "calendar"
GROUPS = "groups"
STRATEGY = "strategy"


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


def current_many(names) -> dict[str, int]:
    """The versions of `names`, read in one cache call (and one more only for a version not set yet)."""
    found = cache.get_many([_key(name) for name in names])
    return {name: found.get(_key(name)) or current(name) for name in names}


def bump(name: str) -> None:
    """Retire what is cached under `name` now and again after commit: readers between the two may
    cache the old state under the first new number, and the second bump retires it. A transaction
    that writes many rows bumps once after its commit."""
    _increment(name)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(callback, AfterCommitBump) and callback.name == name for _, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(AfterCommitBump(name), robust=True)


class AfterCommitBump:
    def __init__(self, name: str):
        self.name = name

    def __call__(self):
        _increment(self.name)


def bump_on_writes(name: str, models, *, when=None) -> None:
    """Bump `name` on every save and delete of `models` (for an app's `ready`): the admin, inlines and
    data loaders write without the services, and a page must never outlive what it shows. Bulk
    writes (`update`, `bulk_update`) send no signal: their callers bump themselves.
    `when(instance)` narrows it to some rows."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def receiver(sender, instance, **kwargs):
        if when is None or when(instance):
            bump(name)

    for model in models:
        uid = f"lublin2030.versions:{name}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(receiver, sender=field.remote_field.through, weak=False, dispatch_uid=uid + field.name)


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
    names = [OPINION_LIST, *names]
    versions = current_many(names)
    return ".".join(str(versions[name]) for name in names)
