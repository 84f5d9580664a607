"""Reads of the implementation: the monitoring of the version in force, goal by goal, in a fixed number of
queries however many indicators, measurements and actions there are.

`monitoring(version, ...)` reads the version's goals, directions and indicators (three queries), every
measurement of the strategy (one), the public actions with the directions they serve (two), the public
sector strategies with what they develop (two), the educational programme (one) and the basis of every
goal and direction (two, `basis.version_basis`), then assembles the page in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from strategy.diff import decimal_text
from strategy.models import Direction, Indicator, StrategicGoal, StrategyVersion

from . import basis as basis_module
from .charts import Chart, indicator_chart
from .models import (
    Action,
    ActionDirection,
    ActionStatus,
    DevelopedElement,
    EducationalEvent,
    ElementKind,
    Measurement,
    SectorStrategy,
)
from .progress import GoalProgress, clamped, goal_progress, indicator_progress, progress_label


@dataclass
class IndicatorRow:
    indicator: Indicator
    measurements: list[Measurement]
    basis: basis_module.Basis
    chart: Chart | None = None

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> Decimal | None:
        latest = self.latest
        return indicator_progress(
            baseline=self.indicator.baseline_value,
            target=self.indicator.target_value,
            value=latest.value if latest else None,
            polarity=self.indicator.polarity,
        )

    @property
    def progress_bar(self) -> Decimal | None:
        return clamped(self.progress)

    @property
    def state(self) -> str:
        return progress_label(self.progress)


@dataclass
class DirectionRow:
    direction: Direction
    indicators: list[IndicatorRow]
    actions: list[Action]
    basis: basis_module.Basis


@dataclass
class GoalRow:
    goal: StrategicGoal
    directions: list[DirectionRow]
    indicators: list[IndicatorRow]  # the goal's own and its directions'
    actions: list[Action]  # every action serving one of its directions, once
    sector_strategies: list[SectorStrategy]
    basis: basis_module.Basis
    progress: GoalProgress


@dataclass
class Monitoring:
    version: StrategyVersion
    goals: list[GoalRow]
    sector_strategies: list[SectorStrategy]
    educational_events: list[EducationalEvent]
    actions: list[Action]
    district: object = None
    area: object = None
    indicator_rows: dict[str, IndicatorRow] = field(default_factory=dict)

    @property
    def planned_budget(self) -> Decimal:
        return sum((a.planned_budget for a in self.actions if a.status != ActionStatus.CANCELLED), Decimal(0))

    @property
    def spent_budget(self) -> Decimal:
        return sum((a.spent_budget for a in self.actions if a.status != ActionStatus.CANCELLED), Decimal(0))

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [
            (status.value, status.label, sum(action.status == status for action in self.actions))
            for status in ActionStatus
        ]


def structure(version: StrategyVersion) -> tuple[list[StrategicGoal], list[Direction], list[Indicator]]:
    """Goals, directions and indicators of a version, linked in memory (three queries)."""
    goals = list(StrategicGoal.objects.filter(version=version).order_by("position", "id"))
    directions = list(Direction.objects.filter(version=version).order_by("position", "id"))
    indicators = list(Indicator.objects.filter(version=version).order_by("position", "id"))
    by_goal = {goal.pk: goal for goal in goals}
    by_direction = {direction.pk: direction for direction in directions}
    for direction in directions:
        direction.goal = by_goal[direction.goal_id]
    for indicator in indicators:
        if indicator.direction_id:
            indicator.direction = by_direction[indicator.direction_id]
            indicator.goal = None
        else:
            indicator.goal = by_goal[indicator.goal_id]
            indicator.direction = None
    return goals, directions, indicators


def measurements_by_key(strategy_id: int, keys=None) -> dict[str, list[Measurement]]:
    """{indicator key: its measurements in date order} (one query)."""
    queryset = Measurement.objects.filter(strategy_id=strategy_id)
    if keys is not None:
        queryset = queryset.filter(indicator_key__in=list(keys))
    result: dict[str, list[Measurement]] = {}
    for measurement in queryset.order_by("indicator_key", "measured_on", "id"):
        result.setdefault(measurement.indicator_key, []).append(measurement)
    return result


def public_actions(strategy_id: int, *, district=None, ids=None) -> list[Action]:
    """Public actions with their district, programme and served direction keys (two queries).

    `district` keeps the actions in that district and those for the whole city.
    """
    actions = Action.objects.public().filter(strategy_id=strategy_id)
    if district is not None:
        actions = actions.filter(district__in=[district.pk, *_whole_city_ids(district)])
    if ids is not None:
        actions = actions.filter(pk__in=list(ids))
    actions = actions.select_related("district", "sector_strategy").prefetch_related(
        Prefetch("served", queryset=ActionDirection.objects.order_by("id"))
    )
    result = list(actions.order_by("title", "id"))
    for action in result:
        action.direction_keys = [served.direction_key for served in action.served.all()]
    return result


def _whole_city_ids(district) -> list[int]:
    return (
        []
        if district.is_whole_city
        else list(type(district).objects.filter(is_whole_city=True).values_list("pk", flat=True))
    )


def public_sector_strategies(strategy_id: int) -> list[SectorStrategy]:
    return list(
        SectorStrategy.objects.public()
        .filter(strategy_id=strategy_id)
        .prefetch_related(Prefetch("elements", queryset=DevelopedElement.objects.order_by("kind", "id")))
        .order_by("name", "id")
    )


def educational_events(*, limit: int | None = None) -> list[EducationalEvent]:
    events = EducationalEvent.objects.select_related("event__district").order_by("-event__starts_at", "-id")
    return list(events[:limit] if limit else events)


def number(value) -> str:
    return decimal_text(value)


def indicator_rows(version, indicators, measurements, index, *, charts: bool = True) -> dict[str, IndicatorRow]:
    rows = {}
    for indicator in indicators:
        own = measurements.get(indicator.key, [])
        row = IndicatorRow(indicator=indicator, measurements=own, basis=index.indicator(indicator))
        if charts:
            row.chart = indicator_chart(
                baseline_year=indicator.baseline_year,
                baseline=indicator.baseline_value,
                target_year=indicator.target_year,
                target=indicator.target_value,
                measurements=[(m.measured_on, m.value) for m in own],
                fmt=number,
            )
        rows[indicator.key] = row
    return rows


def monitoring(version: StrategyVersion, *, district=None, area=None, charts: bool = True) -> Monitoring:
    """The monitoring page of a version (constant queries; see the module's docstring)."""
    goals, directions, indicators = structure(version)
    index = basis_module.version_basis(version)
    rows = indicator_rows(version, indicators, measurements_by_key(version.strategy_id), index, charts=charts)
    actions = public_actions(version.strategy_id, district=district)
    sector_strategies = public_sector_strategies(version.strategy_id)

    actions_by_direction: dict[str, list[Action]] = {}
    for action in actions:
        for key in action.direction_keys:
            actions_by_direction.setdefault(key, []).append(action)
    strategies_by_key: dict[tuple[str, str], list[SectorStrategy]] = {}
    for sector_strategy in sector_strategies:
        for element in sector_strategy.elements.all():
            strategies_by_key.setdefault((element.kind, element.key), []).append(sector_strategy)

    goal_rows = []
    for goal in goals:
        own_directions = [d for d in directions if d.goal_id == goal.pk]
        direction_rows = [
            DirectionRow(
                direction=direction,
                indicators=[rows[i.key] for i in indicators if i.direction_id == direction.pk],
                actions=actions_by_direction.get(direction.key, []),
                basis=index.directions([direction.key]),
            )
            for direction in own_directions
        ]
        goal_basis = index.goal(goal.key)
        if area is not None and area.pk not in index.areas(goal_basis):
            continue
        goal_indicators = [rows[i.key] for i in indicators if i.goal_id == goal.pk and not i.direction_id]
        goal_indicators += [row for direction_row in direction_rows for row in direction_row.indicators]
        goal_actions = list({a.pk: a for row in direction_rows for a in row.actions}.values())
        goal_strategies = list(strategies_by_key.get((ElementKind.GOAL, goal.key), []))
        for direction in own_directions:
            for sector_strategy in strategies_by_key.get((ElementKind.DIRECTION, direction.key), []):
                if sector_strategy not in goal_strategies:
                    goal_strategies.append(sector_strategy)
        goal_rows.append(
            GoalRow(
                goal=goal,
                directions=direction_rows,
                indicators=goal_indicators,
                actions=goal_actions,
                sector_strategies=goal_strategies,
                basis=goal_basis,
                progress=goal_progress([row.progress for row in goal_indicators], goal_actions),
            )
        )
    if area is not None:
        shown = {a.pk for goal_row in goal_rows for a in goal_row.actions}
        actions = [action for action in actions if action.pk in shown]
    return Monitoring(
        version=version,
        goals=goal_rows,
        sector_strategies=sector_strategies,
        educational_events=educational_events(limit=20),
        actions=actions,
        district=district,
        area=area,
        indicator_rows=rows,
    )


def element_labels(version: StrategyVersion) -> dict[tuple[str, str], str]:
    """{(kind, key): "cel 2: …" / "kierunek 2.3: …"} of the version's goals and directions (two queries)."""
    goals, directions, _indicators = structure_without_indicators(version)
    labels = {(ElementKind.GOAL.value, goal.key): f"{goal.number}. {goal.title}" for goal in goals}
    labels.update({(ElementKind.DIRECTION.value, d.key): f"{d.number}. {d.title}" for d in directions})
    return labels


def structure_without_indicators(version: StrategyVersion):
    goals = list(StrategicGoal.objects.filter(version=version).order_by("position", "id"))
    by_goal = {goal.pk: goal for goal in goals}
    directions = list(Direction.objects.filter(version=version).order_by("goal__position", "position", "id"))
    for direction in directions:
        direction.goal = by_goal[direction.goal_id]
    return goals, directions, []


def personal_data(user) -> dict:
    """What this app keeps about a person (GDPR access): the opinions she follows."""
    from .models import Follow

    follows = Follow.objects.filter(user=user).order_by("created_at", "id")
    return {"followed_opinions": [{"opinion": f.opinion_id, "since": f.created_at.isoformat()} for f in follows]}
