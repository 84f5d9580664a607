"""Recommendations in the strategy: which included ones a version cites or explains (coverage),
and where one landed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from recommendations.models import Recommendation, RecommendationStatus

from ..models import Block, Citation, Direction, RecommendationExplanation, StrategicGoal, StrategyVersion
from .document import block_place


def included_recommendations():
    return Recommendation.objects.filter(status=RecommendationStatus.INCLUDED).select_related("group__area")


def uncovered_recommendations(version: StrategyVersion):
    """Included recommendations neither cited anywhere in the version nor explained in it."""
    return (
        included_recommendations()
        .exclude(strategy_citations__version=version)
        .exclude(strategy_explanations__version=version)
        .order_by("group__area__position", "title", "id")
    )


@dataclass
class Landing:
    """Where one recommendation landed in one version."""

    version: StrategyVersion
    places: list[tuple[str, str]]  # (label, anchor) e.g. ("cel 2", "g-…"), ("kierunek 2.3", "d-…")
    explanation: RecommendationExplanation | None


def landing(recommendation: Recommendation, version: StrategyVersion | None) -> Landing | None:
    """ "ujęta w: cel 2, kierunek 2.3, rozdział 4.2", or the team's reason, in one version (two queries)."""
    if version is None:
        return None
    citations = (
        Citation.objects.filter(version=version, recommendation=recommendation)
        .select_related("goal", "direction__goal", "block__chapter", "block__section")
        .order_by("id")
    )
    goals, directions, blocks = [], [], []
    for citation in citations:
        if citation.goal_id:
            goals.append(citation.goal)
        elif citation.direction_id:
            directions.append(citation.direction)
        else:
            blocks.append(citation.block)
    places = [(_("goal %(number)s") % {"number": goal.number}, goal.anchor) for goal in sorted(goals, key=_goal_order)]
    places += [
        (_("direction %(number)s") % {"number": direction.number}, direction.anchor)
        for direction in sorted(directions, key=lambda d: (d.goal.position, d.position))
    ]
    seen = set()
    for block in sorted(
        blocks, key=lambda b: (b.chapter.position, b.section.position if b.section_id else 0, b.position)
    ):
        label = block_place(block)
        if label not in seen:
            seen.add(label)
            places.append((label, block.anchor))
    explanation = None
    if not places:
        explanation = RecommendationExplanation.objects.filter(version=version, recommendation=recommendation).first()
    return Landing(version=version, places=places, explanation=explanation)


def _goal_order(goal):
    return goal.position


@dataclass
class CoverageRow:
    recommendation: Recommendation
    places: list[str]
    explanation: RecommendationExplanation | None

    @property
    def covered(self) -> bool:
        return bool(self.places or self.explanation)


def coverage(version: StrategyVersion) -> list[CoverageRow]:
    """Every included recommendation with where the version cites it, or its explanation (three queries)."""
    recommendations = list(included_recommendations().order_by("group__area__position", "title", "id"))
    places: dict[int, list[str]] = {}
    for citation in (
        Citation.objects.filter(version=version)
        .select_related("goal", "direction__goal", "block__chapter", "block__section")
        .order_by("id")
    ):
        if citation.goal_id:
            label = _("goal %(number)s") % {"number": citation.goal.number}
        elif citation.direction_id:
            label = _("direction %(number)s") % {"number": citation.direction.number}
        else:
            label = block_place(citation.block)
        labels = places.setdefault(citation.recommendation_id, [])
        if label not in labels:
            labels.append(label)
    explanations = {
        explanation.recommendation_id: explanation
        for explanation in RecommendationExplanation.objects.filter(version=version).select_related("author")
    }
    rows = [CoverageRow(r, places.get(r.pk, []), explanations.get(r.pk)) for r in recommendations]
    return sorted(rows, key=lambda row: row.covered)


def citable_recommendations():
    return included_recommendations().order_by("group__area__position", "title", "id")


def citations_of(target) -> list[Citation]:
    field_name = {StrategicGoal: "goal", Direction: "direction", Block: "block"}[type(target)]
    return list(
        Citation.objects.filter(**{field_name: target}).select_related("recommendation__group__area").order_by("id")
    )
