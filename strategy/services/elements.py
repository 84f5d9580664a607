"""The structured elements: strategic goals, directions of action and indicators."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Direction, DirectionKind, Indicator, StrategicGoal, StrategyVersion
from ..numbers import parse_decimal
from .common import (
    _check_revision,
    _editable_version,
    _fresh,
    _move,
    _next_position,
    _renumber,
    _required,
    _title,
    _touch,
)


@dataclass
class GoalData:
    title: str
    dimension: str
    description: str = ""


@dataclass
class DirectionData:
    title: str
    description: str = ""
    kind: str = DirectionKind.DIRECTION


@dataclass
class IndicatorData:
    name: str
    unit: str
    baseline_value: Decimal | str
    baseline_year: int | str | None
    target_value: Decimal | str
    target_year: int | str | None
    source: str
    frequency: str
    polarity: str
    goal: StrategicGoal | None = None
    direction: Direction | None = None


def _apply(obj, values: dict, actor) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed and obj.pk:
        obj.revision += 1
    obj.updated_by = actor
    obj.full_clean(validate_constraints=False, exclude=["version"])
    return bool(changed) or obj.pk is None


@transaction.atomic
def goal_save(*, actor, version: StrategyVersion, data: GoalData, goal=None, expected_revision=None) -> StrategicGoal:
    """Create a strategic goal (at the end) or change one."""
    version = _editable_version(actor, version)
    if goal is None:
        goal = StrategicGoal(version=version, position=_next_position(StrategicGoal.objects.filter(version=version)))
    else:
        goal = _fresh(StrategicGoal, goal, version)
        _check_revision(goal, expected_revision)
    values = {
        "title": _title(data.title, StrategicGoal.TITLE_MAX_LENGTH),
        "description": (data.description or "").strip(),
        "dimension": data.dimension,
    }
    if _apply(goal, values, actor):
        goal.save()
        _touch(version)
    return goal


@transaction.atomic
def direction_save(
    *, actor, version: StrategyVersion, goal: StrategicGoal, data: DirectionData, direction=None, expected_revision=None
) -> Direction:
    """Create a direction under a goal (at the end) or change one (moving it to `goal` if it changed)."""
    version = _editable_version(actor, version)
    goal = _fresh(StrategicGoal, goal, version)
    if direction is None:
        direction = Direction(version=version, goal=goal, position=_next_position(goal.directions.all()))
    else:
        direction = _fresh(Direction, direction, version)
        _check_revision(direction, expected_revision)
        if direction.goal_id != goal.pk:
            old_goal = direction.goal_id
            direction.goal, direction.position = goal, _next_position(goal.directions.all())
            direction.revision += 1
            direction.save(update_fields=["goal", "position", "revision"])
            _renumber(Direction.objects.filter(goal_id=old_goal))
    values = {
        "title": _title(data.title, Direction.TITLE_MAX_LENGTH),
        "description": (data.description or "").strip(),
        "kind": data.kind or DirectionKind.DIRECTION,
    }
    if _apply(direction, values, actor):
        direction.save()
    _touch(version)
    return direction


def _year(value, *, label: str, low: int, high: int, field: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s: enter a year, e.g. 2019.") % {"label": label}}) from None
    if not low <= year <= high:
        raise ValidationError(
            {field: _("%(label)s: a year from %(low)d to %(high)d.") % {"label": label, "low": low, "high": high}}
        )
    return year


def indicator_values(version: StrategyVersion, data: IndicatorData) -> dict:
    """Every field checked, numbers parsed (a Polish decimal comma is a number); errors by field."""
    strategy = version.strategy
    errors: dict[str, list] = {}
    values: dict = {}

    def field(name, check):
        try:
            values[name] = check()
        except ValidationError as error:
            for key, messages in (
                error.message_dict if hasattr(error, "error_dict") else {name: error.messages}
            ).items():
                errors.setdefault(key, []).extend(messages)

    field("name", lambda: _title(data.name, Indicator.NAME_MAX_LENGTH))
    field("unit", lambda: _required(data.unit, "unit", _("Give the unit, e.g. “%” or “persons”.")))
    field("baseline_value", lambda: parse_decimal(data.baseline_value, label=_("Baseline value")))
    field("target_value", lambda: parse_decimal(data.target_value, label=_("Target value")))
    field(
        "baseline_year",
        lambda: _year(
            data.baseline_year, label=_("Baseline year"), low=1990, high=strategy.ends_year, field="baseline_year"
        ),
    )
    field(
        "target_year",
        lambda: _year(
            data.target_year or strategy.ends_year,
            label=_("Target year"),
            low=strategy.starts_year,
            high=strategy.ends_year,
            field="target_year",
        ),
    )
    field("source", lambda: _required(data.source, "source", _("Say where the data come from.")))
    if data.frequency not in [choice for choice, _label in Indicator._meta.get_field("frequency").choices]:
        errors.setdefault("frequency", []).append(_("Choose how often it is measured."))
    if data.polarity not in [choice for choice, _label in Indicator._meta.get_field("polarity").choices]:
        errors.setdefault("polarity", []).append(_("Choose whether more or less is better."))
    if (data.goal is None) == (data.direction is None):
        errors.setdefault("goal", []).append(_("Tie the indicator to one goal or to one direction."))
    if "baseline_year" in values and "target_year" in values and values["target_year"] < values["baseline_year"]:
        errors.setdefault("target_year", []).append(_("The target year cannot come before the baseline year."))
    if errors:
        raise ValidationError(errors)
    values.update(frequency=data.frequency, polarity=data.polarity)
    return values


@transaction.atomic
def indicator_save(
    *, actor, version: StrategyVersion, data: IndicatorData, indicator=None, expected_revision=None
) -> Indicator:
    version = _editable_version(actor, version)
    goal = _fresh(StrategicGoal, data.goal, version) if data.goal is not None else None
    direction = _fresh(Direction, data.direction, version) if data.direction is not None else None
    values = indicator_values(version, data)
    values.update(goal=goal, direction=direction)
    if indicator is None:
        siblings = Indicator.objects.filter(version=version, goal=goal, direction=direction)
        indicator = Indicator(version=version, position=_next_position(siblings))
    else:
        indicator = _fresh(Indicator, indicator, version)
        _check_revision(indicator, expected_revision)
    if _apply(indicator, values, actor):
        indicator.save()
        _touch(version)
    return indicator


@transaction.atomic
def element_move(*, actor, element, offset: int) -> None:
    """Move a goal, a direction or an indicator one place up or down among its siblings."""
    version = _editable_version(actor, element.version)
    model = type(element)
    element = _fresh(model, element, version)
    if model is StrategicGoal:
        siblings = StrategicGoal.objects.filter(version=version)
    elif model is Direction:
        siblings = Direction.objects.filter(goal_id=element.goal_id)
    else:
        siblings = Indicator.objects.filter(version=version, goal_id=element.goal_id, direction_id=element.direction_id)
    _move(siblings, element, offset)
    _touch(version)


@transaction.atomic
def element_delete(*, actor, element) -> None:
    """Delete a goal (only without directions and indicators), a direction (only without indicators) or an indicator."""
    version = _editable_version(actor, element.version)
    model = type(element)
    element = _fresh(model, element, version)
    if model is StrategicGoal:
        if element.directions.exists() or element.indicators.exists():
            raise ValidationError(
                _("The goal still has directions or indicators: delete or move them first."), code="not_empty"
            )
        siblings = StrategicGoal.objects.filter(version=version)
    elif model is Direction:
        if element.indicators.exists():
            raise ValidationError(_("The direction still has indicators: delete or move them first."), code="not_empty")
        siblings = Direction.objects.filter(goal_id=element.goal_id)
    else:
        siblings = Indicator.objects.filter(version=version, goal_id=element.goal_id, direction_id=element.direction_id)
    element.delete()
    _renumber(siblings)
    _touch(version)
