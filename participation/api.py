"""The public read-only open-data API of participation (mounted under /api/v1/).

Only published opinions that are not hidden after flags, and nothing personal: no author, no
e-mail, no account id, and no age bracket on a single opinion (with the district, the date and
the text it could single a person out). Age brackets are published only as city-wide counts in
`/statistics`. Every list of opinions is paginated (`limit` ≤ 100, `offset`) and costs two
queries (count and page) whatever the filters, and nothing at all when cached: answers are the
same for everyone, so they are kept in the cache for a minute under the publication version, which
every change to what the public sees bumps (`lublin2030.versions`).
"""

import datetime
import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from stages.models import ParticipationWindow, Stage

from .models import AgeBracket, Area, Channel, District, Opinion

router = Router(tags=["participation"])

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 1_000_000_000
CACHE_SECONDS = 60


def _cached(name: str, params, compute):
    """`compute()` once per publication version and parameters; straight through without a version."""
    try:
        from lublin2030.versions import publication_version
    except ImportError:  # pragma: no cover - the selector is part of the public pages
        return compute()
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    key = f"participation:api:{name}:{publication_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- schemas -------------------------------------------------------------------------------------


class WindowOut(Schema):
    kind: str
    opens_on: datetime.date | None
    closes_on: datetime.date | None


class StageOut(Schema):
    number: int
    roman: str
    slug: str
    title_pl: str
    title_en: str
    starts_on: datetime.date
    ends_on: datetime.date
    windows: list[WindowOut]


class AreaOut(Schema):
    slug: str
    name_pl: str
    name_en: str
    description_pl: str
    description_en: str
    is_demo: bool


class DistrictOut(Schema):
    slug: str
    name: str
    is_whole_city: bool


class ChannelOut(Schema):
    code: str
    name_pl: str
    name_en: str
    is_online: bool


class EventRef(Schema):
    id: int
    title: str


class OpinionOut(Schema):
    id: int
    text: str
    area: str = Field(description="The area's slug (see /areas).")
    district: str = Field(description="The district's slug (see /districts).")
    channel: str = Field(description="The channel's code (see /channels).")
    stage: int | None = Field(description="The stage's number (see /stages).")
    event: EventRef | None
    place: str
    collected_on: datetime.date
    published_at: datetime.datetime | None


class OpinionPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[OpinionOut]


class OpinionFilters(Schema):
    area: str | None = Field(None, description="An area's slug.")
    district: str | None = Field(None, description="A district's slug.")
    channel: str | None = Field(None, description="A channel's code.")
    stage: int | None = Field(None, description="A stage's number (1–9).")
    since: datetime.date | None = Field(None, description="Published on or after this day (YYYY-MM-DD).")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    # Bounded so that OFFSET stays within PostgreSQL's bigint (beyond 2^63 the query failed: a 500).
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CountOut(Schema):
    key: str
    name: str
    count: int


class MonthCount(Schema):
    month: str = Field(description="YYYY-MM of the day the opinion was collected.")
    count: int


class StatisticsOut(Schema):
    total: int
    by_area: list[CountOut]
    by_district: list[CountOut]
    by_channel: list[CountOut]
    by_month: list[MonthCount]
    by_age_bracket: list[CountOut] = Field(description="City-wide only; opinions without an age are not counted.")


# --- endpoints -----------------------------------------------------------------------------------


@router.get("/stages", response=list[StageOut], summary="The nine stages of the process")
def stages(request):
    windows = Prefetch("windows", queryset=ParticipationWindow.objects.order_by("kind"))
    return [
        {
            "number": stage.number,
            "roman": stage.roman,
            "slug": stage.slug,
            "title_pl": stage.title_pl,
            "title_en": stage.title_en,
            "starts_on": stage.starts_on,
            "ends_on": stage.ends_on,
            "windows": list(stage.windows.all()),
        }
        for stage in Stage.objects.prefetch_related(windows).order_by("number")
    ]


@router.get("/areas", response=list[AreaOut], summary="Strategic areas")
def areas(request):
    return Area.objects.all()


@router.get("/districts", response=list[DistrictOut], summary="Districts of Lublin (and the whole city)")
def districts(request):
    return District.objects.all()


@router.get("/channels", response=list[ChannelOut], summary="Channels through which opinions come")
def channels(request):
    return Channel.objects.all()


def _opinion_out(opinion: Opinion) -> dict:
    return {
        "id": opinion.pk,
        "text": opinion.text,
        "area": opinion.area.slug,
        "district": opinion.district.slug,
        "channel": opinion.channel.code,
        "stage": opinion.stage.number if opinion.stage_id else None,
        "event": {"id": opinion.event.pk, "title": opinion.event.title} if opinion.event_id else None,
        "place": opinion.place,
        "collected_on": opinion.collected_on,
        "published_at": opinion.published_at,
    }


def _opinion_queryset():
    return Opinion.objects.public().select_related("area", "district", "channel", "stage", "event")


@router.get("/opinions", response=OpinionPage, summary="Published opinions, newest first")
def opinions(request, filters: Query[OpinionFilters]):
    def compute():
        queryset = _opinion_queryset()
        if filters.area:
            queryset = queryset.filter(area__slug=filters.area)
        if filters.district:
            queryset = queryset.filter(district__slug=filters.district)
        if filters.channel:
            queryset = queryset.filter(channel__code=filters.channel)
        if filters.stage is not None:
            queryset = queryset.filter(stage__number=filters.stage)
        if filters.since:
            start = timezone.make_aware(datetime.datetime.combine(filters.since, datetime.time.min))
            queryset = queryset.filter(published_at__gte=start)
        page = queryset.order_by("-published_at", "-id")[filters.offset : filters.offset + filters.limit]
        return queryset.count(), [_opinion_out(opinion) for opinion in page]

    count, items = _cached("opinions", sorted(filters.model_dump().items()), compute)

    def link(offset):
        params = {key: value for key, value in request.GET.items() if key not in {"offset", "limit"}}
        params.update({"limit": filters.limit, "offset": offset})
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    has_next = filters.offset + filters.limit < count
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "next": link(filters.offset + filters.limit) if has_next else None,
        "previous": link(max(0, filters.offset - filters.limit)) if filters.offset > 0 else None,
        "items": items,
    }


@router.get("/opinions/{opinion_id}", response=OpinionOut, summary="One published opinion")
def opinion(request, opinion_id: int):
    return _opinion_out(get_object_or_404(_opinion_queryset(), pk=opinion_id))


@router.get("/statistics", response=StatisticsOut, summary="Counts of published opinions")
def statistics(request):
    return _cached("statistics", (), _statistics)


def _statistics() -> dict:
    public = Opinion.objects.public().order_by()

    def counts(key_field, name_field):
        rows = public.values(key_field, name_field).annotate(n=Count("id")).order_by("-n", name_field)
        return [{"key": row[key_field], "name": row[name_field], "count": row["n"]} for row in rows]

    months = public.annotate(month=TruncMonth("collected_on")).values("month").annotate(n=Count("id")).order_by("month")
    labels = dict(AgeBracket.choices)
    ages = public.exclude(age_bracket="").values("age_bracket").annotate(n=Count("id")).order_by("age_bracket")
    by_area = counts("area__slug", "area__name_pl")
    return {
        "total": sum(row["count"] for row in by_area),
        "by_area": by_area,
        "by_district": counts("district__slug", "district__name"),
        "by_channel": counts("channel__code", "channel__name_pl"),
        "by_month": [{"month": row["month"].strftime("%Y-%m"), "count": row["n"]} for row in months if row["month"]],
        "by_age_bracket": [
            {
                "key": row["age_bracket"],
                "name": str(labels.get(row["age_bracket"], row["age_bracket"])),
                "count": row["n"],
            }
            for row in ages
        ],
    }
