"""From an opinion to what the city does: "Gdzie trafiła moja opinia?", every step it reached.

    opinion ─evidence─▶ public recommendations ─verification─▶ verdicts ─included─▶ citations in the strategy
    (goals, directions, chapters of the version the public reads) ─resolution─▶ the adopted text
    ─goals─▶ their indicators (with their latest values) and the actions serving their directions

`opinion_chain` reads all of it in at most eight queries besides the opinion itself (seven, and one more for
the editorial team's reasons when an included recommendation was not taken up), however many
recommendations, goals, indicators and actions it reaches: each step is one query over the ids of the step
before it (never a query per row). `milestones` answers the same question for many opinions at once in at
most five queries, for the daily digest of followed opinions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from participation.models import Opinion
from recommendations.models import Assessment, Evidence, Recommendation, RecommendationStatus, public_recommendation_q
from strategy.adoption.models import IN_FORCE_STATES
from strategy.adoption.selectors import current_reading_version
from strategy.models import (
    Block,
    Citation,
    Direction,
    Indicator,
    RecommendationExplanation,
    StrategicGoal,
    StrategyVersion,
)
from strategy.selectors import block_place

from .models import STARTED_STATUSES, ActionDirection, ActionStatus, Measurement
from .progress import indicator_progress, progress_label


def _recommendations_by_opinion(opinion_ids) -> dict[int, list[Recommendation]]:
    result: dict[int, list[Recommendation]] = {}
    links = (
        Evidence.objects.filter(public_recommendation_q("recommendation"), opinion_id__in=list(opinion_ids))
        .select_related("recommendation__group__area")
        .order_by("recommendation__group__area__position", "recommendation__title", "recommendation_id")
    )
    for link in links:
        result.setdefault(link.opinion_id, []).append(link.recommendation)
    return result


def _citations(version: StrategyVersion | None, recommendation_ids) -> list[Citation]:
    if version is None or not recommendation_ids:
        return []
    return list(
        Citation.objects.filter(version=version, recommendation_id__in=list(recommendation_ids))
        .select_related("goal", "direction__goal", "block__chapter", "block__section")
        .order_by("id")
    )


def _reached_goal_ids(citations) -> set[int]:
    ids = set()
    for citation in citations:
        if citation.goal_id:
            ids.add(citation.goal_id)
        elif citation.direction_id:
            ids.add(citation.direction.goal_id)
    return ids


@dataclass(frozen=True)
class ReachedAction:
    """An action as the chain shows it: read as a tuple, not a model row (an opinion may reach hundreds)."""

    pk: int
    title: str
    status: str
    district: str

    @property
    def has_started(self) -> bool:
        return self.status in STARTED_STATUSES

    def get_status_display(self) -> str:
        return str(ActionStatus(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("implementation:action", kwargs={"pk": self.pk})


def _served_actions(direction_keys) -> dict[str, list[ReachedAction]]:
    """{direction key: public actions serving it} (one query, tuples only)."""
    result: dict[str, list[ReachedAction]] = {}
    if not direction_keys:
        return result
    served = (
        ActionDirection.objects.filter(direction_key__in=list(direction_keys), action__is_public=True)
        .order_by("action__title", "action_id")
        .values_list("direction_key", "action_id", "action__title", "action__status", "action__district__name")
    )
    for key, pk, title, status, district in served:
        result.setdefault(key, []).append(ReachedAction(pk, title, status, district))
    return result


@dataclass
class ReachedIndicator:
    indicator: Indicator
    latest_value: object  # the last measurement's value and date, or None
    latest_on: object
    progress: object
    state: str


@dataclass
class Chain:
    opinion: Opinion
    recommendations: list[Recommendation] = field(default_factory=list)
    version: StrategyVersion | None = None
    goals: list[StrategicGoal] = field(default_factory=list)
    directions: list[Direction] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)  # chapters of the text: (label, block key)
    indicators: list[ReachedIndicator] = field(default_factory=list)
    actions: list[ReachedAction] = field(default_factory=list)
    action_count: int = 0
    action_statuses: Counter = field(default_factory=Counter)
    # Included recommendations the version does not cite, each with the editorial team's written reason.
    not_taken_up: list[Recommendation] = field(default_factory=list)
    explanations: dict = field(default_factory=dict)

    @property
    def verified(self) -> list[Recommendation]:
        return [r for r in self.recommendations if r.verdicts_are_public]

    @property
    def included(self) -> list[Recommendation]:
        return [r for r in self.recommendations if r.status == RecommendationStatus.INCLUDED]

    @property
    def in_strategy(self) -> bool:
        return bool(self.goals or self.directions or self.places)

    @property
    def adopted(self) -> bool:
        return self.in_strategy and self.version is not None and self.version.state in IN_FORCE_STATES

    @property
    def resolution(self):
        return getattr(self.version, "resolution", None) if self.adopted else None

    @property
    def started_actions(self) -> list[ReachedAction]:
        return [action for action in self.actions if action.has_started]

    @property
    def actions_shown(self) -> list[ReachedAction]:
        return self.actions[:ACTIONS_SHOWN]

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [
            (status.label, self.action_statuses[status.value])
            for status in ActionStatus
            if self.action_statuses[status.value]
        ]

    @property
    def milestones(self) -> set[str]:
        return _milestones(self.recommendations, self.version, self.in_strategy, self.actions)


ACTIONS_SHOWN = 12


def _milestones(recommendations, version, in_strategy: bool, actions) -> set[str]:
    """The steps a follower is told about: cited, included, in the strategy, adopted, an action started."""
    steps = {f"recommendation:{r.pk}" for r in recommendations}
    steps |= {f"included:{r.pk}" for r in recommendations if r.status == RecommendationStatus.INCLUDED}
    if in_strategy and version is not None:
        steps.add(f"strategy:{version.number}")
        if version.state in IN_FORCE_STATES:
            steps.add(f"adopted:{version.number}")
    steps |= {f"action:{action.pk}" for action in actions if action.has_started}
    return steps


def opinion_chain(opinion: Opinion) -> Chain:
    """Every step one public opinion reached (at most eight queries)."""
    chain = Chain(opinion=opinion)
    chain.recommendations = _recommendations_by_opinion([opinion.pk]).get(opinion.pk, [])
    verified = [r for r in chain.recommendations if r.verdicts_are_public]
    if verified:
        assessments: dict[int, list[Assessment]] = {}
        rounds = {r.pk: r.verification_round for r in verified}
        for assessment in Assessment.objects.filter(recommendation_id__in=list(rounds)).order_by("kind"):
            if assessment.round == rounds[assessment.recommendation_id]:
                assessments.setdefault(assessment.recommendation_id, []).append(assessment)
        for recommendation in verified:
            recommendation.public_verdicts = assessments.get(recommendation.pk, [])
    if not chain.recommendations:
        return chain
    chain.version = current_reading_version()
    citations = _citations(chain.version, [r.pk for r in chain.recommendations])
    _place_citations(chain, citations)
    cited = {citation.recommendation_id for citation in citations}
    not_taken_up = [r for r in chain.included if r.pk not in cited]
    if not_taken_up and chain.version is not None:
        reasons = RecommendationExplanation.objects.filter(
            version=chain.version, recommendation_id__in=[r.pk for r in not_taken_up]
        )
        chain.explanations = {reason.recommendation_id: reason for reason in reasons}
        for recommendation in not_taken_up:
            recommendation.strategy_explanation = chain.explanations.get(recommendation.pk)
        chain.not_taken_up = not_taken_up
    goal_ids = _reached_goal_ids(citations)
    if not goal_ids:
        return chain
    direction_keys = list(Direction.objects.filter(goal_id__in=goal_ids).values_list("key", flat=True))
    latest = Measurement.objects.filter(strategy_id=chain.version.strategy_id, indicator_key=OuterRef("key")).order_by(
        "-measured_on"
    )
    indicators = (
        Indicator.objects.filter(Q(goal_id__in=goal_ids) | Q(direction__goal_id__in=goal_ids), version=chain.version)
        .only("key", "name", "unit", "baseline_value", "target_value", "polarity", "position")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]), latest_on=Subquery(latest.values("measured_on")[:1])
        )
        .order_by("position", "id")
    )
    for indicator in indicators:
        percent = indicator_progress(
            baseline=indicator.baseline_value,
            target=indicator.target_value,
            value=indicator.latest_value,
            polarity=indicator.polarity,
        )
        chain.indicators.append(
            ReachedIndicator(indicator, indicator.latest_value, indicator.latest_on, percent, progress_label(percent))
        )
    reached = {action.pk: action for served in _served_actions(direction_keys).values() for action in served}
    chain.action_count = len(reached)
    chain.action_statuses = Counter(action.status for action in reached.values())
    # Those under way or done first: what the city does; the page shows a few and counts the rest.
    chain.actions = sorted(reached.values(), key=lambda a: (not a.has_started, a.title, a.pk))
    return chain


def _place_citations(chain: Chain, citations: list[Citation]) -> None:
    goals, directions, blocks = {}, {}, {}
    for citation in citations:
        if citation.goal_id:
            goals[citation.goal_id] = citation.goal
        elif citation.direction_id:
            directions[citation.direction_id] = citation.direction
            goals.setdefault(citation.direction.goal_id, citation.direction.goal)
        else:
            blocks[citation.block_id] = citation.block
    chain.goals = sorted(goals.values(), key=lambda goal: goal.position)
    chain.directions = sorted(directions.values(), key=lambda d: (d.goal.position, d.position))
    seen = set()
    ordered: list[Block] = sorted(
        blocks.values(), key=lambda b: (b.chapter.position, b.section.position if b.section_id else 0, b.position)
    )
    for block in ordered:
        label = block_place(block)
        if label not in seen:
            seen.add(label)
            chain.places.append((label, block.key))


def milestones(opinion_ids) -> dict[int, set[str]]:
    """{opinion id: the steps it reached} for many opinions (at most five queries), for the digest."""
    opinion_ids = list(opinion_ids)
    by_opinion = _recommendations_by_opinion(opinion_ids)
    recommendation_ids = {r.pk for recommendations in by_opinion.values() for r in recommendations}
    version = current_reading_version() if recommendation_ids else None
    citations = _citations(version, recommendation_ids)
    goals_by_recommendation: dict[int, set[int]] = {}
    cited = set()
    for citation in citations:
        cited.add(citation.recommendation_id)
        goals_by_recommendation.setdefault(citation.recommendation_id, set()).update(_reached_goal_ids([citation]))
    all_goals = set().union(*goals_by_recommendation.values()) if goals_by_recommendation else set()
    keys_by_goal: dict[int, list[str]] = {}
    if all_goals:
        for goal_id, key in Direction.objects.filter(goal_id__in=all_goals).values_list("goal_id", "key"):
            keys_by_goal.setdefault(goal_id, []).append(key)
    served = _served_actions([key for keys in keys_by_goal.values() for key in keys])
    result = {}
    for opinion_id in opinion_ids:
        recommendations = by_opinion.get(opinion_id, [])
        goal_ids = set().union(*(goals_by_recommendation.get(r.pk, set()) for r in recommendations))
        actions = {a.pk: a for g in goal_ids for key in keys_by_goal.get(g, []) for a in served.get(key, [])}
        in_strategy = any(r.pk in cited for r in recommendations)
        result[opinion_id] = _milestones(recommendations, version, in_strategy, actions.values())
    return result
