"""Reads of participation: public opinions with facets, a resident's opinions, moderation, statistics, events.

Performance design of the public list (tens of thousands of opinions, hundreds of pages per second):
- Everything public is cached under a *publication version*, a number kept in the cache that every
  service changing what the public sees bumps (after commit). Old entries are never deleted, they
  simply stop being read and expire.
- One grouped query per (version, search) counts public opinions per (area, district, channel,
  stage). Facet counts and the total of every filter combination are sums over those rows in
  Python: no COUNT over the table per page, and the same rows serve the statistics page.
- The page itself is one indexed query with `select_related` and `only()`.
- The rendered list fragment is cached by the view (key: version, language, normalised filters).
"""

import dataclasses
import hashlib
import re
import time
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Count, Prefetch, Q, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import cached_property

from stages.models import ROMAN, Stage, pick_language

from .models import Area, Channel, District, Event, ModerationLogEntry, ModerationStatus, Opinion, OpinionFlag

PUBLICATION_VERSION_KEY = "participation:publication-version"
SEARCH_CONFIG = "polish_unaccent"
PAGE_SIZE = 20


def cache_seconds() -> int:
    """How long derived public data (facets, statistics) stays cached; the version makes it exact anyway."""
    return getattr(settings, "PARTICIPATION_CACHE_SECONDS", 600)


def list_cache_seconds() -> int:
    """How long a rendered list fragment is reused (it also shows reference names, not versioned)."""
    return getattr(settings, "PARTICIPATION_LIST_CACHE_SECONDS", 60)


# --- publication version -------------------------------------------------------------------------


def publication_version() -> int:
    """The current publication version; starts from the clock so a flushed cache never reuses a number."""
    version = cache.get(PUBLICATION_VERSION_KEY)
    if version is None:
        version = int(time.time() * 1000)
        cache.add(PUBLICATION_VERSION_KEY, version, timeout=None)
        version = cache.get(PUBLICATION_VERSION_KEY) or version
    return version


def _key(*parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"participation:{parts[0]}:{digest}"


# --- public opinions -----------------------------------------------------------------------------


def public_opinions():
    return Opinion.objects.filter(status=ModerationStatus.PUBLISHED, hidden_by_flags=False)


def search_supported_natively() -> bool:
    return connection.vendor == "postgresql"


def apply_search(queryset, q: str):
    q = (q or "").strip()
    if not q:
        return queryset
    if search_supported_natively():
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        prefixes = _prefix_query(q)
        if prefixes:
            # "zielen" should also find "zieleni": plain words match as prefixes too.
            query = query | SearchQuery(prefixes, config=SEARCH_CONFIG, search_type="raw")
        return queryset.annotate(search=SearchVector("text", config=SEARCH_CONFIG)).filter(search=query)
    # SQLite (development without configuration): every word must appear, ignoring case.
    for word in q.split()[:10]:
        queryset = queryset.filter(text__icontains=word)
    return queryset


WORD = re.compile(r"\w+")
WEBSEARCH_OPERATORS = re.compile(r'["()]|(^|\s)-|\s+or\s+', re.IGNORECASE)


def _prefix_query(q: str) -> str:
    """`zielen & lawk` as prefixes (`zielen:* & lawk:*`), only for plain words of 3+ letters.

    Queries using websearch syntax (quotes, OR, -word) are left to websearch alone.
    """
    if WEBSEARCH_OPERATORS.search(q):
        return ""
    words = WORD.findall(q)[:8]
    if not words or any(len(word) < 3 for word in words):
        return ""
    return " & ".join(f"{word}:*" for word in words)


@dataclasses.dataclass(frozen=True)
class OpinionFilters:
    """Normalised filters of the public list: ids of reference rows, or None."""

    area: int | None = None
    district: int | None = None
    channel: int | None = None
    stage: int | None = None
    q: str = ""

    def as_dimensions(self) -> dict:
        return {"area": self.area, "district": self.district, "channel": self.channel, "stage": self.stage}

    @property
    def is_empty(self) -> bool:
        return not (self.area or self.district or self.channel or self.stage or self.q)


DIMENSIONS = ("area", "district", "channel", "stage")


def opinion_combinations(*, q: str = "") -> list[tuple[int, int, int, int | None, int]]:
    """(area_id, district_id, channel_id, stage_id, count) of public opinions matching `q`; cached."""
    q = " ".join((q or "").split()).lower()
    key = _key("combinations", publication_version(), q)
    rows = cache.get(key)
    if rows is None:
        queryset = apply_search(public_opinions(), q)
        rows = [
            (row["area_id"], row["district_id"], row["channel_id"], row["stage_id"], row["n"])
            for row in queryset.order_by()
            .values("area_id", "district_id", "channel_id", "stage_id")
            .annotate(n=Count("*"))
        ]
        cache.set(key, rows, cache_seconds())
    return rows


@dataclasses.dataclass
class FacetResult:
    total: int
    counts: dict[str, dict]  # dimension -> {id: count}, each with the other dimensions' filters applied


def facet_counts(filters: OpinionFilters) -> FacetResult:
    """Counts per value of each filter given the *other* filters, and the total given all of them.

    A row matching every filter counts everywhere; a row missing exactly one filter counts only in
    that filter's facet (it is what choosing another value there would add); others count nowhere.
    """
    rows = opinion_combinations(q=filters.q)
    chosen = (filters.area, filters.district, filters.channel, filters.stage)
    counts = [defaultdict(int) for _ in DIMENSIONS]
    total = 0
    for row in rows:
        missed = -1
        misses = 0
        for index in range(4):
            wanted = chosen[index]
            if wanted is not None and row[index] != wanted:
                misses += 1
                missed = index
                if misses > 1:
                    break
        if misses == 0:
            total += row[4]
            for index in range(4):
                counts[index][row[index]] += row[4]
        elif misses == 1:
            counts[missed][row[missed]] += row[4]
    return FacetResult(total=total, counts={dimension: dict(counts[i]) for i, dimension in enumerate(DIMENSIONS)})


class KnownCountPaginator(Paginator):
    """A paginator told the total, so that it never counts the table."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


LIST_FIELDS = (
    "id",
    "text",
    "published_at",
    "collected_on",
    "status",
    "hidden_by_flags",
    "area__id",
    "area__name_pl",
    "area__name_en",
    "area__slug",
    "district__id",
    "district__name",
    "district__slug",
    "channel__id",
    "channel__name_pl",
    "channel__name_en",
    "channel__code",
    "stage__id",
    "stage__number",
    "stage__title_pl",
    "stage__title_en",
    "author__id",
    "author__display_name",
)


def public_opinion_list(filters: OpinionFilters):
    """The public list queryset for `filters`: one query per page, whatever the number of opinions."""
    queryset = public_opinions()
    for dimension, value in filters.as_dimensions().items():
        if value is not None:
            queryset = queryset.filter(**{f"{dimension}_id": value})
    queryset = apply_search(queryset, filters.q)
    return (
        queryset.select_related("area", "district", "channel", "stage", "author")
        .only(*LIST_FIELDS)
        .order_by("-published_at", "-id")
    )


def public_opinion_page(filters: OpinionFilters, page_number) -> tuple:
    """(page, facets) for the public list; the total comes from the cached facet rows."""
    facets = facet_counts(filters)
    paginator = KnownCountPaginator(public_opinion_list(filters), PAGE_SIZE, count=facets.total)
    page = paginator.get_page(page_number)
    return page, facets


@dataclasses.dataclass(frozen=True)
class RefItem:
    """A light copy of an area, district, channel or stage row, safe to keep in the cache."""

    kind: str
    pk: int
    slug: str
    name_pl: str
    name_en: str
    position: int

    @property
    def name(self) -> str:
        return pick_language(self.name_pl, self.name_en)

    @property
    def label(self) -> str:
        """What a filter shows: stages by their Roman number too."""
        if self.kind == "stage":
            return f"{ROMAN.get(self.position, self.position)}. {self.name}"
        return self.name

    def __str__(self):
        return self.label


@dataclasses.dataclass
class ReferenceLists:
    areas: list
    districts: list
    channels: list
    stages: list

    def by_slug(self, kind: str) -> dict:
        return {item.slug: item for item in getattr(self, kind)}

    def by_pk(self, kind: str) -> dict:
        return {item.pk: item for item in getattr(self, kind)}


def _reference_rows():
    empty = Value("", output_field=CharField())
    areas = (
        Area.objects.annotate(kind=Value("area", output_field=CharField()))
        .values_list("kind", "id", "slug", "name_pl", "name_en", "position")
        .order_by()
    )
    districts = (
        District.objects.annotate(kind=Value("district", output_field=CharField()), name_en=empty)
        .values_list("kind", "id", "slug", "name", "name_en", "position")
        .order_by()
    )
    channels = (
        Channel.objects.annotate(kind=Value("channel", output_field=CharField()))
        .values_list("kind", "id", "code", "name_pl", "name_en", "position")
        .order_by()
    )
    stages = (
        Stage.objects.annotate(kind=Value("stage", output_field=CharField()))
        .values_list("kind", "id", "slug", "title_pl", "title_en", "number")
        .order_by()
    )
    return areas.union(districts, channels, stages, all=True)


def reference_lists() -> ReferenceLists:
    """Areas, districts, channels and stages (a few dozen rows) in one query, cached briefly.

    The public list and the statistics show these names; one UNION query keeps a cold page within
    its query budget. They are cached under the publication version (the admin bumps it on change).
    """
    key = _key("reference", publication_version())
    rows = cache.get(key)
    if rows is None:
        rows = [tuple(row) for row in _reference_rows()]
        cache.set(key, rows, list_cache_seconds() * 5)
    groups = defaultdict(list)
    for kind, pk, slug, name_pl, name_en, position in rows:
        groups[kind].append(RefItem(kind, pk, slug, name_pl, name_en or "", position))
    for items in groups.values():
        items.sort(key=lambda item: (item.position, item.name_pl))
    return ReferenceLists(
        areas=groups["area"], districts=groups["district"], channels=groups["channel"], stages=groups["stage"]
    )


def opinion_for_viewer(pk: int):
    """One opinion with what its page shows, or None; the view checks `participation.view_opinion`."""
    return (
        Opinion.objects.select_related("area", "district", "channel", "stage", "event", "author").filter(pk=pk).first()
    )


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


def moderation_history(opinion):
    from django.contrib.contenttypes.models import ContentType

    return (
        ModerationLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Opinion), object_id=opinion.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# --- statistics ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Bar:
    label: object  # a name, or a date for months
    count: int
    largest: int  # the longest bar of the chart: the meter's maximum
    percent: float  # of all published opinions


@dataclasses.dataclass
class Statistics:
    total: int
    by_area: list
    by_district: list
    by_channel: list
    by_month: list


def _bars(pairs: list, total: int) -> list[Bar]:
    largest = max((count for _, count in pairs), default=0) or 1
    return [
        Bar(label=label, count=count, largest=largest, percent=round(100 * count / total, 1) if total else 0.0)
        for label, count in pairs
    ]


def statistics() -> dict:
    """Published opinions by area, district, channel and month, cached under the publication version.

    Returns plain data (ids and counts); `statistics_for_display` adds the names in the active language.
    """
    key = _key("statistics", publication_version())
    data = cache.get(key)
    if data is None:
        rows = opinion_combinations()
        by = {dimension: defaultdict(int) for dimension in ("area", "district", "channel")}
        for area_id, district_id, channel_id, _stage_id, count in rows:
            by["area"][area_id] += count
            by["district"][district_id] += count
            by["channel"][channel_id] += count
        months = (
            public_opinions()
            .annotate(month=TruncMonth("collected_on"))
            .order_by()
            .values("month")
            .annotate(n=Count("*"))
            .order_by("month")
        )
        data = {
            "total": sum(row[4] for row in rows),
            "area": dict(by["area"]),
            "district": dict(by["district"]),
            "channel": dict(by["channel"]),
            "month": [(row["month"], row["n"]) for row in months if row["month"]],
        }
        cache.set(key, data, cache_seconds())
    return data


def statistics_for_display() -> Statistics:
    data = statistics()
    refs = reference_lists()

    total = data["total"]

    def named(items, counts):
        return _bars([(item.name, counts.get(item.pk, 0)) for item in items if counts.get(item.pk, 0)], total)

    by_district = named(refs.districts, data["district"])
    by_district.sort(key=lambda bar: -bar.count)
    return Statistics(
        total=total,
        by_area=named(refs.areas, data["area"]),
        by_district=by_district,
        by_channel=named(refs.channels, data["channel"]),
        by_month=_bars(list(data["month"]), total),
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
