"""Coverage: the share of published opinions that reached a recommendation, and then the strategy (the
adopted one, or before the adoption the newest public version), by area and by district.

Counted in SQL, never by reading opinions into Python: three grouped counts over the public opinions (all
of them; those that are evidence of a public recommendation; those that are evidence of a recommendation
the version cites), each grouped by area and district, added up here into the two views. With 100,000
opinions that is three index scans and two semi-joins.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max

from lublin2030.versions import publication_version
from participation.models import Area, District, Opinion
from recommendations.models import Evidence, StatusChange, public_recommendation_q
from strategy.adoption.models import IN_FORCE_STATES
from strategy.models import StrategyVersion

CACHE_SECONDS = 3600


@dataclass
class CoverageRow:
    key: str
    label: str
    published: int = 0
    in_recommendation: int = 0
    in_strategy: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> Decimal:
        return (Decimal(part) / whole * 100).quantize(Decimal("0.1")) if whole else Decimal(0)

    @property
    def recommendation_share(self) -> Decimal:
        return self._share(self.in_recommendation, self.published)

    @property
    def strategy_share(self) -> Decimal:
        return self._share(self.in_strategy, self.published)


@dataclass
class Coverage:
    version: StrategyVersion | None
    total: CoverageRow
    by_area: list[CoverageRow] = field(default_factory=list)
    by_district: list[CoverageRow] = field(default_factory=list)

    @property
    def adopted(self) -> bool:
        return self.version is not None and self.version.state in IN_FORCE_STATES

    def lowest(self, rows: list[CoverageRow], *, limit: int = 5) -> list[CoverageRow]:
        """The rows whose opinions reached the strategy least (those with opinions only)."""
        counted = [row for row in rows if row.published]
        return sorted(counted, key=lambda row: (row.strategy_share, row.recommendation_share, row.label))[:limit]


def _grouped(queryset) -> dict[tuple[int, int], int]:
    rows = queryset.order_by().values("area_id", "district_id").annotate(n=Count("id"))
    return {(row["area_id"], row["district_id"]): row["n"] for row in rows}


def compute(version: StrategyVersion | None) -> Coverage:
    """Five queries: the three grouped counts, the areas and the districts."""
    public = Opinion.objects.public()
    published = _grouped(public)
    in_recommendation = _grouped(
        public.filter(pk__in=Evidence.objects.filter(public_recommendation_q("recommendation")).values("opinion_id"))
    )
    in_strategy = {}
    if version is not None:
        cited = Evidence.objects.filter(recommendation__strategy_citations__version=version).values("opinion_id")
        in_strategy = _grouped(public.filter(pk__in=cited))
    areas = {area.pk: area for area in Area.objects.order_by("position", "name_pl")}
    districts = {district.pk: district for district in District.objects.order_by("position", "name")}
    by_area = {pk: CoverageRow(area.slug, area.name) for pk, area in areas.items()}
    by_district = {pk: CoverageRow(district.slug, district.name) for pk, district in districts.items()}
    total = CoverageRow("", "")
    for counts, attribute in (
        (published, "published"),
        (in_recommendation, "in_recommendation"),
        (in_strategy, "in_strategy"),
    ):
        for (area_id, district_id), count in counts.items():
            for row in (by_area.get(area_id), by_district.get(district_id), total):
                if row is not None:
                    setattr(row, attribute, getattr(row, attribute) + count)
    return Coverage(
        version=version, total=total, by_area=list(by_area.values()), by_district=list(by_district.values())
    )


def fingerprint(version: StrategyVersion | None) -> str:
    """What the coverage depends on besides the public opinions: the version read, recommendations' states."""
    last_change = StatusChange.objects.aggregate(last=Max("id"))["last"]
    version_part = f"{version.pk}:{version.state}" if version else "-"
    return f"{publication_version()}:{version_part}:{last_change}"


def cached(version: StrategyVersion | None) -> Coverage:
    """The coverage from the cache while nothing it counts has changed (one query to know that)."""
    key = "implementation:coverage:" + hashlib.sha256(fingerprint(version).encode()).hexdigest()[:32]
    result = cache.get(key)
    if result is None:
        result = compute(version)
        cache.set(key, result, CACHE_SECONDS)
    return result
