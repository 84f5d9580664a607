"""Implementation test data, written straight to the models (the services are what the tests test)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from implementation.models import Action, ActionDirection, ActionStatus, Measurement, SectorStrategy
from participation.models import District
from recommendations.models import RecommendationStatus
from strategy.models import Direction, Indicator, StrategicGoal, StrategyVersion
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import RecommendationFactory
from tests.recommendations.factories import cite as evidence
from tests.strategy.adoption_factories import adopted, final_draft
from tests.strategy.factories import cite, make_direction, make_goal, make_indicator


@dataclass
class Strategy:
    version: StrategyVersion
    goals: list[StrategicGoal] = field(default_factory=list)
    directions: list[Direction] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def strategy(self):
        return self.version.strategy


def in_force(goals: int = 2, directions: int = 2, indicators: int = 1) -> Strategy:
    """An adopted version with `goals` goals, `directions` directions each, and `indicators` per direction."""
    version = adopted(final_draft()[1])
    result = Strategy(version=version)
    for g in range(1, goals + 1):
        goal = make_goal(version, title=f"Cel {g}", dimension="social")
        result.goals.append(goal)
        for d in range(1, directions + 1):
            direction = make_direction(goal, title=f"Kierunek {g}.{d}")
            result.directions.append(direction)
            for i in range(indicators):
                result.indicators.append(make_indicator(direction=direction, name=f"Wskaźnik {g}.{d}.{i}"))
    return result


def whole_city() -> District:
    return District.objects.get(is_whole_city=True)


def make_action(strategy: Strategy, *directions, **kwargs) -> Action:
    values = {
        "title": "Buspas na Al. Racławickich",
        "responsible_unit": "Zarząd Dróg i Mostów",
        "district": whole_city(),
        "planned_budget": Decimal("1000000"),
        "spent_budget": Decimal("250000"),
        "status": ActionStatus.IN_PROGRESS,
        **kwargs,
    }
    action = Action.objects.create(strategy=strategy.strategy, **values)
    for direction in directions or strategy.directions[:1]:
        ActionDirection.objects.create(action=action, direction_key=direction.key)
    return action


def make_sector_strategy(strategy: Strategy, **kwargs) -> SectorStrategy:
    values = {"name": "Program „Zielony Lublin”", "owner_department": "Wydział Ochrony Środowiska", **kwargs}
    return SectorStrategy.objects.create(strategy=strategy.strategy, starts_year=2022, ends_year=2027, **values)


def measure(indicator: Indicator, year: int, value) -> Measurement:
    return Measurement.objects.create(
        strategy_id=indicator.version.strategy_id,
        indicator_key=indicator.key,
        measured_on=datetime.date(year, 12, 31),
        value=Decimal(str(value)),
        source="GUS",
    )


def cited_opinion(target, **opinion_fields):
    """A published opinion, evidence of an included recommendation that `target` (goal, direction, block) cites."""
    recommendation = RecommendationFactory(status=RecommendationStatus.INCLUDED, verification_round=1)
    opinion = evidence(recommendation, OpinionFactory(published=True, **opinion_fields) if opinion_fields else None)
    cite(target, recommendation)
    return opinion, recommendation
