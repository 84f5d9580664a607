"""What a goal, a direction, an indicator or an action rests on: the included recommendations the version
cites for it, and the residents' published opinions those recommendations are based on.

A goal rests on its own citations and those of its directions; a direction on its own; an indicator on
its goal's or direction's; an action on the directions it serves. Read for a whole version in two
queries (`version_basis`), then answered from memory for any number of elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from participation.models import public_opinion_q
from recommendations.models import Evidence
from strategy.models import Citation, StrategyVersion


@dataclass
class Basis:
    recommendation_ids: frozenset[int]
    opinion_ids: frozenset[int]

    @property
    def opinions(self) -> int:
        return len(self.opinion_ids)

    @property
    def recommendations(self) -> int:
        return len(self.recommendation_ids)


EMPTY = Basis(frozenset(), frozenset())


@dataclass
class BasisIndex:
    by_goal: dict[str, set[int]] = field(default_factory=dict)
    by_direction: dict[str, set[int]] = field(default_factory=dict)
    goal_of_direction: dict[str, str] = field(default_factory=dict)
    opinions_by_recommendation: dict[int, set[int]] = field(default_factory=dict)
    areas_by_recommendation: dict[int, int] = field(default_factory=dict)

    def _basis(self, recommendation_ids) -> Basis:
        recommendation_ids = frozenset(recommendation_ids)
        opinions = set()
        for recommendation_id in recommendation_ids:
            opinions |= self.opinions_by_recommendation.get(recommendation_id, set())
        return Basis(recommendation_ids, frozenset(opinions))

    def goal(self, key: str) -> Basis:
        """The goal's own citations and its directions'."""
        ids = set(self.by_goal.get(key, ()))
        for direction_key, goal_key in self.goal_of_direction.items():
            if goal_key == key:
                ids |= self.by_direction.get(direction_key, set())
        return self._basis(ids)

    def directions(self, keys) -> Basis:
        ids = set()
        for key in keys:
            ids |= self.by_direction.get(key, set())
        return self._basis(ids)

    def indicator(self, indicator) -> Basis:
        if indicator.direction_id:
            return self.directions([indicator.direction.key])
        return self.goal(indicator.goal.key)

    def areas(self, basis: Basis) -> set[int]:
        return {self.areas_by_recommendation[r] for r in basis.recommendation_ids if r in self.areas_by_recommendation}


def version_basis(version: StrategyVersion | None) -> BasisIndex:
    """Every citation of goals and directions in the version, and the public opinions behind them (two queries)."""
    index = BasisIndex()
    if version is None:
        return index
    rows = Citation.objects.filter(version=version, block__isnull=True).values_list(
        "recommendation_id", "recommendation__group__area_id", "goal__key", "direction__key", "direction__goal__key"
    )
    for recommendation_id, area_id, goal_key, direction_key, direction_goal_key in rows:
        index.areas_by_recommendation[recommendation_id] = area_id
        if goal_key:
            index.by_goal.setdefault(goal_key, set()).add(recommendation_id)
        else:
            index.by_direction.setdefault(direction_key, set()).add(recommendation_id)
            index.goal_of_direction[direction_key] = direction_goal_key
    recommendation_ids = set(index.areas_by_recommendation)
    if recommendation_ids:
        evidence = Evidence.objects.filter(
            public_opinion_q("opinion"), recommendation_id__in=recommendation_ids
        ).values_list("recommendation_id", "opinion_id")
        for recommendation_id, opinion_id in evidence:
            index.opinions_by_recommendation.setdefault(recommendation_id, set()).add(opinion_id)
    return index
