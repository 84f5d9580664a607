"""Statistics of published opinions: totals by area, district, channel, month and age, cached per publication version."""

import dataclasses
from collections import defaultdict

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth

from lublin2030.versions import publication_version

from .models import Opinion, PublicOpinionMonthCount
from .public_list import opinion_combinations, public_counts_kept, reference_lists
from .selectors import cache_key, cache_seconds


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
    key = cache_key("statistics", publication_version())
    data = cache.get(key)
    if data is None:
        rows = opinion_combinations()
        by = {dimension: defaultdict(int) for dimension in ("area", "district", "channel")}
        for area_id, district_id, channel_id, _stage_id, count in rows:
            by["area"][area_id] += count
            by["district"][district_id] += count
            by["channel"][channel_id] += count
        data = {
            "total": sum(row[4] for row in rows),
            "area": dict(by["area"]),
            "district": dict(by["district"]),
            "channel": dict(by["channel"]),
            "month": opinions_by_month(),
        }
        cache.set(key, data, cache_seconds())
    return data


def opinions_by_month() -> list[tuple]:
    """(first day of the month, public opinions collected in it), oldest first.

    On PostgreSQL from `PublicOpinionMonthCount` (kept by triggers: a few dozen rows, however many
    opinions there are); on SQLite the opinions are counted directly.
    """
    if public_counts_kept():
        table = PublicOpinionMonthCount._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT month, SUM(count) FROM {table} GROUP BY month HAVING SUM(count) <> 0 ORDER BY month"  # noqa: S608
            )
            return [(month, int(n)) for month, n in cursor.fetchall()]
    months = (
        Opinion.objects.public()
        .annotate(month=TruncMonth("collected_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("*"))
        .order_by("month")
    )
    return [(row["month"], row["n"]) for row in months if row["month"]]


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
