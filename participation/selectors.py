"""Reads of participation: one opinion for a viewer, a resident's opinions, moderation, events, personal data.

The public list of opinions is in `public_list.py`, the statistics in `statistics.py`.
"""

import hashlib
from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from .models import (
    Event,
    ModerationLogEntry,
    ModerationStatus,
    Opinion,
    OpinionFlag,
)

SEARCH_CONFIG = "polish_unaccent"
PAGE_SIZE = 20


def cache_seconds() -> int:
    """How long derived public data (facets, statistics) stays cached; the version makes it exact anyway."""
    return settings.PARTICIPATION_CACHE_SECONDS


def list_cache_seconds() -> int:
    """How long a rendered list fragment is reused (it also shows reference names, not versioned)."""
    return settings.PARTICIPATION_LIST_CACHE_SECONDS


# --- publication version -------------------------------------------------------------------------


def cache_key(*parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"participation:{parts[0]}:{digest}"


def opinion_for_viewer(pk: int):
    """One opinion with what its page shows, or None; the view checks `participation.read_opinion`."""
    return (
        Opinion.objects.select_related("area", "district", "channel", "stage", "event", "author").filter(pk=pk).first()
    )


def opinion_state(pk: int):
    """Only what permissions and the per-visitor part of an opinion page need (no join), or None."""
    return Opinion.objects.only("id", "status", "hidden_by_flags", "author_id").filter(pk=pk).first()


def user_has_flagged(*, user, opinion) -> bool:
    if not user.is_authenticated:
        return False
    return OpinionFlag.objects.filter(user=user, opinion=opinion).exists()


# --- a resident's opinions -----------------------------------------------------------------------


def opinions_of(user):
    return (
        Opinion.objects.filter(author=user)
        .select_related("area", "district", "channel", "stage")
        .order_by("-created_at", "-id")
    )


# --- moderation ----------------------------------------------------------------------------------


def moderation_queue():
    """Pending opinions, and published ones hidden after flags, oldest first, with their open flags."""
    open_flags = Prefetch("flags", queryset=OpinionFlag.objects.filter(reviewed_at__isnull=True).order_by("created_at"))
    return (
        Opinion.objects.filter(
            Q(status=ModerationStatus.PENDING) | Q(status=ModerationStatus.PUBLISHED, hidden_by_flags=True)
        )
        .select_related("area", "district", "channel", "event")
        .prefetch_related(open_flags)
        .order_by("created_at", "id")
    )


def moderation_counts() -> dict:
    return {
        "pending": Opinion.objects.filter(status=ModerationStatus.PENDING).count(),
        "hidden": Opinion.objects.filter(status=ModerationStatus.PUBLISHED, hidden_by_flags=True).count(),
    }


def opinion_for_moderation(pk: int):
    open_flags = Prefetch("flags", queryset=OpinionFlag.objects.filter(reviewed_at__isnull=True).order_by("created_at"))
    return (
        Opinion.objects.select_related("area", "district", "channel", "stage", "event", "author", "moderated_by")
        .prefetch_related(open_flags)
        .filter(pk=pk)
        .first()
    )


def moderation_log(*, action: str = ""):
    queryset = ModerationLogEntry.objects.select_related("actor", "content_type").order_by("-created_at", "-id")
    if action:
        queryset = queryset.filter(action=action)
    return queryset


def with_log_targets(entries) -> list:
    """The entries of one page with what each is about (an opinion, a comment on a recommendation...).

    One query per kind of target, and one per relation a kind names in `MODERATION_LOG_RELATED` (a
    comment's recommendation), whatever the number of entries. A target deleted since is None.
    """
    entries = list(entries)
    prefetch_related_objects(entries, "target")
    by_model = defaultdict(list)
    for entry in entries:
        if entry.target is not None:
            by_model[type(entry.target)].append(entry.target)
    for model, targets in by_model.items():
        related = getattr(model, "MODERATION_LOG_RELATED", ())
        if related:
            prefetch_related_objects(targets, *related)
    return entries


def moderation_history(opinion):
    from django.contrib.contenttypes.models import ContentType

    return (
        ModerationLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Opinion), object_id=opinion.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# --- events --------------------------------------------------------------------------------------


def events():
    return Event.objects.select_related("stage", "channel", "district")


def upcoming_events(*, now=None):
    now = now or timezone.now()
    return events().filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)).order_by("starts_at")


def past_events(*, now=None):
    now = now or timezone.now()
    return events().exclude(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)).order_by("-starts_at")


def events_of_stage(stage, *, limit: int = 20):
    return list(events().filter(stage=stage).order_by("starts_at")[:limit])


def personal_data(user) -> dict:
    """The person's opinions and flags, for the download of their own data (GDPR access)."""
    opinions = (
        Opinion.objects.filter(author=user)
        .select_related("area", "district", "channel", "stage")
        .order_by("created_at")
    )
    flags = user.opinion_flags.order_by("created_at")
    return {
        "opinions": [
            {
                "id": opinion.pk,
                "text": opinion.text,
                "area": opinion.area.name_pl,
                "district": opinion.district.name,
                "channel": opinion.channel.name_pl,
                "stage": opinion.stage.roman if opinion.stage else None,
                "age_bracket": opinion.age_bracket,
                "status": opinion.status,
                "rejection_reason": opinion.rejection_reason,
                "created_at": opinion.created_at.isoformat(),
                "published_at": opinion.published_at.isoformat() if opinion.published_at else None,
            }
            for opinion in opinions
        ],
        "opinion_flags": [
            {
                "opinion_id": flag.opinion_id,
                "reason": flag.reason,
                "details": flag.details,
                "created_at": flag.created_at.isoformat(),
            }
            for flag in flags
        ],
    }
