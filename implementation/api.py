"""Open data of the strategy's implementation (mounted under /api/v1/, schema /api/v1/openapi.json).

The version the public reads (the strategy in force, or before the adoption the newest public version):
its goals and directions with what they rest on, the indicators with every measurement and their progress,
the public actions and sector strategies, and coverage of opinions by area and district. Nothing personal:
no account, no author, no one who entered a value. Answers are the same for everyone and are cached under
the data versions that change them (lublin2030.versions), like participation's API.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.cache import cache
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from lublin2030 import versions
from participation.api import MAX_OFFSET
from strategy.adoption.selectors import current_reading_version

from . import basis as basis_module
from . import coverage as coverage_module
from . import selectors
from .models import DATA_VERSION, Action, ActionStatus

router = Router(tags=["strategy"])
CACHE_SECONDS = 60
MAX_LIMIT = 100


def _version():
    version = current_reading_version()
    if version is None:
        raise Http404("The strategy has no public version yet.")
    return version


def _cached(name: str, params, compute):
    version = _version()
    token = f"{version.pk}:{version.state}:{versions.current(DATA_VERSION)}:{versions.publication_version()}"
    digest = hashlib.sha256(repr((token, params)).encode()).hexdigest()[:32]
    key = f"implementation:api:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute(version)
        cache.set(key, value, CACHE_SECONDS)
    return value


# Schemas --------------------------------------------------------------------------------------------


class ResolutionOut(Schema):
    number: str = Field(description="As in “Nr XXX/123/2021”, without “Nr”.")
    kind: str
    adopted_on: datetime.date
    title: str
    bip_url: str


class BasisOut(Schema):
    recommendations: list[int] = Field(
        description="Ids of the recommendations it rests on (see /recommendations pages)."
    )
    opinions: int = Field(description="How many published opinions those recommendations are based on.")


class DirectionOut(Schema):
    key: str
    number: str
    kind: str
    title: str
    description: str
    basis: BasisOut


class GoalOut(Schema):
    key: str
    number: str
    title: str
    description: str
    dimension: str
    directions: list[DirectionOut]
    basis: BasisOut


class StrategyOut(Schema):
    title: str
    version: int
    state: str = Field(description="adopted, amended (in force), or before the adoption a draft's state.")
    resolution: ResolutionOut | None
    goals: list[GoalOut]


class MeasurementOut(Schema):
    date: datetime.date
    value: Decimal
    source: str
    note: str


class IndicatorOut(Schema):
    key: str
    name: str
    unit: str
    goal: str = Field(description="The key of the goal it measures (directly or through its direction).")
    direction: str | None
    baseline_value: Decimal
    baseline_year: int
    target_value: Decimal
    target_year: int
    polarity: str = Field(description="more: more is better; less: less is better.")
    source: str
    frequency: str
    progress: Decimal | None = Field(description="Per cent of the way from the baseline to the target, last value.")
    measurements: list[MeasurementOut]


class ActionOut(Schema):
    id: int
    title: str
    description: str
    responsible_unit: str
    district: str = Field(description="The district's slug (see /districts).")
    status: str
    planned_budget: Decimal = Field(description="PLN")
    spent_budget: Decimal = Field(description="PLN")
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    directions: list[str] = Field(description="Keys of the directions it serves.")
    sector_strategy: int | None


class ActionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActionOut]


class ActionFilters(Schema):
    district: str | None = Field(None, description="A district's slug: its actions and the whole city's.")
    status: str | None = Field(None, description="planned, in_progress, completed, suspended, cancelled.")
    direction: str | None = Field(None, description="A direction's key.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SectorStrategyOut(Schema):
    id: int
    kind: str
    name: str
    owner_department: str
    starts_year: int
    ends_year: int
    document_url: str
    adopted_by: str
    goals: list[str]
    directions: list[str]


class CoverageRowOut(Schema):
    key: str
    name: str
    published: int
    in_recommendation: int
    in_strategy: int


class CoverageOut(Schema):
    version: int | None
    adopted: bool
    total: CoverageRowOut
    by_area: list[CoverageRowOut]
    by_district: list[CoverageRowOut]


# Endpoints ------------------------------------------------------------------------------------------


def _basis(found: basis_module.Basis) -> dict:
    return {"recommendations": sorted(found.recommendation_ids), "opinions": found.opinions}


@router.get("/strategy", response=StrategyOut, summary="The strategy in force: goals, directions, what they rest on")
def strategy(request):
    def compute(version):
        goals, directions, _indicators = selectors.structure(version)
        index = basis_module.version_basis(version)
        resolution = getattr(version, "resolution", None)
        return {
            "title": version.strategy.title,
            "version": version.number,
            "state": version.state,
            "resolution": {
                "number": resolution.number,
                "kind": resolution.kind,
                "adopted_on": resolution.adopted_on,
                "title": resolution.title,
                "bip_url": resolution.bip_url,
            }
            if resolution
            else None,
            "goals": [
                {
                    "key": goal.key,
                    "number": goal.number,
                    "title": goal.title,
                    "description": goal.description,
                    "dimension": goal.dimension,
                    "basis": _basis(index.goal(goal.key)),
                    "directions": [
                        {
                            "key": d.key,
                            "number": d.number,
                            "kind": d.kind,
                            "title": d.title,
                            "description": d.description,
                            "basis": _basis(index.directions([d.key])),
                        }
                        for d in directions
                        if d.goal_id == goal.pk
                    ],
                }
                for goal in goals
            ],
        }

    return _cached("strategy", (), compute)


def _indicator_out(row: selectors.IndicatorRow) -> dict:
    indicator = row.indicator
    return {
        "key": indicator.key,
        "name": indicator.name,
        "unit": indicator.unit,
        "goal": (indicator.direction.goal if indicator.direction_id else indicator.goal).key,
        "direction": indicator.direction.key if indicator.direction_id else None,
        "baseline_value": indicator.baseline_value,
        "baseline_year": indicator.baseline_year,
        "target_value": indicator.target_value,
        "target_year": indicator.target_year,
        "polarity": indicator.polarity,
        "source": indicator.source,
        "frequency": indicator.frequency,
        "progress": row.progress,
        "measurements": [
            {"date": m.measured_on, "value": m.value, "source": m.source, "note": m.note} for m in row.measurements
        ],
    }


def _indicator_rows(version, keys=None) -> list[selectors.IndicatorRow]:
    _goals, _directions, indicators = selectors.structure(version)
    if keys is not None:
        indicators = [indicator for indicator in indicators if indicator.key in keys]
    measurements = selectors.measurements_by_key(version.strategy_id, keys)
    rows = selectors.indicator_rows(version, indicators, measurements, basis_module.BasisIndex(), charts=False)
    return list(rows.values())


@router.get("/strategy/indicators", response=list[IndicatorOut], summary="Indicators with every measurement")
def indicators(request):
    return _cached("indicators", (), lambda version: [_indicator_out(row) for row in _indicator_rows(version)])


@router.get("/strategy/indicators/{key}", response=IndicatorOut, summary="One indicator with every measurement")
def indicator(request, key: str):
    rows = _cached("indicator", key, lambda version: [_indicator_out(row) for row in _indicator_rows(version, {key})])
    if not rows:
        raise Http404("No such indicator in the strategy in force.")
    return rows[0]


def _action_out(action: Action) -> dict:
    return {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "responsible_unit": action.responsible_unit,
        "district": action.district.slug,
        "status": action.status,
        "planned_budget": action.planned_budget,
        "spent_budget": action.spent_budget,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "directions": action.direction_keys,
        "sector_strategy": action.sector_strategy_id,
    }


@router.get("/strategy/actions", response=ActionPage, summary="Public actions of the implementation")
def actions(request, filters: Query[ActionFilters]):
    def compute(version):
        from participation.models import District

        district = None
        if filters.district:
            district = District.objects.filter(slug=filters.district).first()
            if district is None:
                return 0, []
        items = selectors.public_actions(version.strategy_id, district=district)
        if filters.status in ActionStatus.values:
            items = [action for action in items if action.status == filters.status]
        if filters.direction:
            items = [action for action in items if filters.direction in action.direction_keys]
        page = items[filters.offset : filters.offset + filters.limit]
        return len(items), [_action_out(action) for action in page]

    count, items = _cached("actions", sorted(filters.model_dump().items()), compute)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/strategy/sector-strategies", response=list[SectorStrategyOut], summary="Sector strategies and programmes")
def sector_strategies(request):
    def compute(version):
        return [
            {
                "id": item.pk,
                "kind": item.kind,
                "name": item.name,
                "owner_department": item.owner_department,
                "starts_year": item.starts_year,
                "ends_year": item.ends_year,
                "document_url": item.document_url,
                "adopted_by": item.adopted_by,
                "goals": [e.key for e in item.elements.all() if e.kind == "goal"],
                "directions": [e.key for e in item.elements.all() if e.kind == "direction"],
            }
            for item in selectors.public_sector_strategies(version.strategy_id)
        ]

    return _cached("sector_strategies", (), compute)


@router.get("/strategy/coverage", response=CoverageOut, summary="Share of opinions that reached the strategy")
def coverage(request):
    data = coverage_module.cached(current_reading_version())

    def rows(items):
        return [
            {
                "key": r.key,
                "name": r.label,
                "published": r.published,
                "in_recommendation": r.in_recommendation,
                "in_strategy": r.in_strategy,
            }
            for r in items
        ]

    return {
        "version": data.version.number if data.version else None,
        "adopted": data.adopted,
        "total": rows([data.total])[0],
        "by_area": rows(data.by_area),
        "by_district": rows(data.by_district),
    }
