"""How far an indicator is from its baseline to its target, and a goal from its indicators and actions.

Pure functions over numbers, so the monitoring page, the chain, the API and the annual report agree.
An indicator's progress is the share of the way from the baseline value to the target value covered by
its latest measurement: 0 % at the baseline, 100 % at the target, below 0 % when it moved away, above
100 % past the target. "Less is better" indicators work the same way (the way goes down).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from strategy.models import Polarity

from .models import ActionStatus

HUNDRED = Decimal(100)


def indicator_progress(*, baseline: Decimal, target: Decimal, value: Decimal | None, polarity: str) -> Decimal | None:
    """Per cent of the way from baseline to target (not clamped), or None without a measurement."""
    if value is None:
        return None
    span = target - baseline
    if span == 0:
        reached = value >= target if polarity == Polarity.MORE_IS_BETTER else value <= target
        return HUNDRED if reached else Decimal(0)
    return ((value - baseline) / span * HUNDRED).quantize(Decimal("0.1"))


def clamped(percent: Decimal | None) -> Decimal | None:
    if percent is None:
        return None
    return max(Decimal(0), min(HUNDRED, percent))


def progress_label(percent: Decimal | None) -> str:
    """A word for the state, so that nothing is told by a number or a colour alone."""
    if percent is None:
        return "unmeasured"
    if percent >= HUNDRED:
        return "reached"
    if percent > 0:
        return "on_the_way"
    return "not_moving"


@dataclass
class GoalProgress:
    """A goal's progress from its indicators (the mean of their clamped progress) and its actions."""

    indicators_total: int
    indicators_measured: int
    indicators_percent: Decimal | None
    actions_total: int
    actions_completed: int
    actions_in_progress: int
    planned_budget: Decimal
    spent_budget: Decimal

    @property
    def actions_percent(self) -> Decimal | None:
        if not self.actions_total:
            return None
        return (Decimal(self.actions_completed) / self.actions_total * HUNDRED).quantize(Decimal("0.1"))

    @property
    def budget_percent(self) -> Decimal | None:
        if not self.planned_budget:
            return None
        return (self.spent_budget / self.planned_budget * HUNDRED).quantize(Decimal("0.1"))

    @property
    def percent(self) -> Decimal | None:
        """The mean of the two, where both exist: indicators tell the results, actions the work done."""
        parts = [part for part in (self.indicators_percent, self.actions_percent) if part is not None]
        if not parts:
            return None
        return (sum(parts) / len(parts)).quantize(Decimal("0.1"))


def goal_progress(indicator_percents: list[Decimal | None], actions) -> GoalProgress:
    measured = [clamped(percent) for percent in indicator_percents if percent is not None]
    counted = [action for action in actions if action.status != ActionStatus.CANCELLED]
    return GoalProgress(
        indicators_total=len(indicator_percents),
        indicators_measured=len(measured),
        indicators_percent=(sum(measured) / len(measured)).quantize(Decimal("0.1")) if measured else None,
        actions_total=len(counted),
        actions_completed=sum(action.status == ActionStatus.COMPLETED for action in counted),
        actions_in_progress=sum(action.status == ActionStatus.IN_PROGRESS for action in counted),
        planned_budget=sum((action.planned_budget for action in counted), Decimal(0)),
        spent_budget=sum((action.spent_budget for action in counted), Decimal(0)),
    )
