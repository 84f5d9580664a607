"""Writes of the implementation: sector strategies, actions, measurements of indicators, the educational
programme. Each checks its permission first, validates everything with a message naming the field, writes
under a transaction and retires the cached monitoring pages (`lublin2030.versions`, DATA_VERSION).

Goals, directions and indicators are named by their stable keys, checked against the version the public
reads (the strategy in force, or before the adoption the newest public version): a key the strategy does
not have is refused. Stage IX opens no participation window: these are the city's own records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030 import versions
from lublin2030.permissions import require_permission
from strategy.adoption.selectors import reading_version
from strategy.models import Direction, Indicator, StrategicGoal, Strategy, StrategyVersion
from strategy.numbers import parse_day, parse_decimal

from .models import (
    DATA_VERSION,
    Action,
    ActionDirection,
    ActionStatus,
    DevelopedElement,
    EducationalEvent,
    EducationKind,
    ElementKind,
    Measurement,
    ProgrammeKind,
    SectorStrategy,
)

YEARS = (2000, 2100)


def _changed() -> None:
    versions.bump(DATA_VERSION)


def public_version(strategy: Strategy) -> StrategyVersion:
    """The version whose keys implementation records name; refused before anything is public."""
    version = reading_version(strategy)
    if version is None:
        raise ValidationError(
            _("The strategy has no public version yet: its goals, directions and indicators are not known."),
            code="no_version",
        )
    return version


def _text(value, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("%(label)s: this field is required.") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("%(label)s: at most %(max)d characters.") % {"label": label, "max": max_length}}
        )
    return value


def _year(value, field: str, label: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s: enter a year, e.g. 2024.") % {"label": label}}) from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValidationError({field: _("%(label)s: enter a year, e.g. 2024.") % {"label": label}})
    return year


def _date(value, field: str, label: str, *, required: bool = False) -> datetime.date | None:
    return parse_day(value, label=label, field=field, required=required)


def _money(value, field: str, label: str) -> Decimal:
    try:
        amount = parse_decimal(value if value not in (None, "") else "0", label=label, max_digits=14, decimal_places=2)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    if amount < 0:
        raise ValidationError({field: _("%(label)s: the amount cannot be negative.") % {"label": label}})
    return amount


def _known_keys(version: StrategyVersion, model, keys, field: str) -> list[str]:
    keys = list(dict.fromkeys(key for key in keys if key))
    known = set(model.objects.filter(version=version, key__in=keys).values_list("key", flat=True))
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError(
            {field: _("The strategy in force has no such element: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    return keys


# Sector strategies and programmes ---------------------------------------------------------------


@dataclass
class SectorStrategyData:
    name: str
    owner_department: str
    starts_year: object
    ends_year: object
    kind: str = ProgrammeKind.PROGRAMME
    document_url: str = ""
    adopted_by: str = ""
    description: str = ""
    is_public: bool = True
    goal_keys: list[str] = field(default_factory=list)
    direction_keys: list[str] = field(default_factory=list)


@transaction.atomic
def sector_strategy_save(
    *, actor, strategy: Strategy, data: SectorStrategyData, sector_strategy: SectorStrategy | None = None
) -> SectorStrategy:
    require_permission(actor, "implementation.manage_implementation")
    version = public_version(strategy)
    if data.kind not in ProgrammeKind.values:
        raise ValidationError({"kind": _("Choose the kind.")})
    starts = _year(data.starts_year, "starts_year", _("First year"))
    ends = _year(data.ends_year, "ends_year", _("Last year"))
    if ends < starts:
        raise ValidationError({"ends_year": _("The last year cannot come before the first.")})
    goal_keys = _known_keys(version, StrategicGoal, data.goal_keys, "goal_keys")
    direction_keys = _known_keys(version, Direction, data.direction_keys, "direction_keys")
    if not goal_keys and not direction_keys:
        raise ValidationError({"goal_keys": _("Choose the goals or directions of the strategy it develops.")})
    if sector_strategy is None:
        sector_strategy = SectorStrategy(strategy=strategy)
    else:
        sector_strategy = SectorStrategy.objects.select_for_update().get(pk=sector_strategy.pk, strategy=strategy)
    sector_strategy.kind = data.kind
    sector_strategy.name = _text(data.name, "name", _("Name"), max_length=SectorStrategy.NAME_MAX_LENGTH)
    sector_strategy.owner_department = _text(
        data.owner_department, "owner_department", _("Owner department"), max_length=200
    )
    sector_strategy.starts_year, sector_strategy.ends_year = starts, ends
    sector_strategy.document_url = (data.document_url or "").strip()
    sector_strategy.adopted_by = _text(data.adopted_by, "adopted_by", _("Adopted by"), max_length=300, required=False)
    sector_strategy.description = _text(
        data.description, "description", _("Description"), max_length=5000, required=False
    )
    sector_strategy.is_public = bool(data.is_public)
    sector_strategy.updated_by = actor
    sector_strategy.full_clean(exclude=["strategy"])
    sector_strategy.save()
    DevelopedElement.objects.filter(sector_strategy=sector_strategy).delete()
    DevelopedElement.objects.bulk_create(
        [DevelopedElement(sector_strategy=sector_strategy, kind=ElementKind.GOAL, key=key) for key in goal_keys]
        + [DevelopedElement(sector_strategy=sector_strategy, kind=ElementKind.DIRECTION, key=k) for k in direction_keys]
    )
    _changed()
    return sector_strategy


@transaction.atomic
def sector_strategy_delete(*, actor, sector_strategy: SectorStrategy) -> None:
    """Its actions stay (they lose the link to the programme)."""
    require_permission(actor, "implementation.manage_implementation")
    SectorStrategy.objects.filter(pk=sector_strategy.pk).delete()
    _changed()


# Actions ----------------------------------------------------------------------------------------


@dataclass
class ActionData:
    title: str
    responsible_unit: str
    district: object
    planned_budget: object
    status: str = ActionStatus.PLANNED
    spent_budget: object = "0"
    description: str = ""
    starts_on: object = None
    ends_on: object = None
    sector_strategy: SectorStrategy | None = None
    direction_keys: list[str] = field(default_factory=list)
    is_public: bool = True


@transaction.atomic
def action_save(*, actor, strategy: Strategy, data: ActionData, action: Action | None = None) -> Action:
    require_permission(actor, "implementation.manage_implementation")
    version = public_version(strategy)
    if data.status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose the status.")})
    if data.district is None:
        raise ValidationError({"district": _("Choose the district, or the whole city.")})
    direction_keys = _known_keys(version, Direction, data.direction_keys, "direction_keys")
    if not direction_keys:
        raise ValidationError({"direction_keys": _("Choose the directions of action it serves.")})
    starts_on = _date(data.starts_on, "starts_on", _("Start"))
    ends_on = _date(data.ends_on, "ends_on", _("End"))
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    if data.sector_strategy is not None and data.sector_strategy.strategy_id != strategy.pk:
        raise ValidationError({"sector_strategy": _("That programme belongs to another strategy.")})
    if action is None:
        action = Action(strategy=strategy)
    else:
        action = Action.objects.select_for_update().get(pk=action.pk, strategy=strategy)
    if action.status != data.status or action.pk is None:
        action.status_changed_at = timezone.now()
    action.title = _text(data.title, "title", _("Title"), max_length=Action.TITLE_MAX_LENGTH)
    action.description = _text(data.description, "description", _("Description"), max_length=5000, required=False)
    action.responsible_unit = _text(data.responsible_unit, "responsible_unit", _("Responsible unit"), max_length=200)
    action.district = data.district
    action.planned_budget = _money(data.planned_budget, "planned_budget", _("Planned budget"))
    action.spent_budget = _money(data.spent_budget, "spent_budget", _("Spent"))
    action.status, action.starts_on, action.ends_on = data.status, starts_on, ends_on
    action.sector_strategy = data.sector_strategy
    action.is_public = bool(data.is_public)
    action.updated_by = actor
    action.full_clean(exclude=["strategy"])
    action.save()
    ActionDirection.objects.filter(action=action).delete()
    ActionDirection.objects.bulk_create([ActionDirection(action=action, direction_key=key) for key in direction_keys])
    _changed()
    return action


@transaction.atomic
def action_delete(*, actor, action: Action) -> None:
    require_permission(actor, "implementation.manage_implementation")
    Action.objects.filter(pk=action.pk).delete()
    _changed()


# Measurements -----------------------------------------------------------------------------------


@dataclass
class MeasurementData:
    indicator: Indicator | None
    measured_on: object
    value: object
    source: str = ""
    note: str = ""


def measurement_values(strategy: Strategy, data: MeasurementData, *, taken=frozenset()) -> dict:
    """The clean values of one measurement, or a ValidationError naming every bad field.

    `taken` holds the (indicator key, date) pairs that already have a value (the import passes the file's
    own rows too); the service checks the database itself. Shared by the form and the import.
    """
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def check(name, compute):
        try:
            values[name] = compute()
        except ValidationError as error:
            for message in error.messages:
                errors.setdefault(name, []).append(message)

    if data.indicator is None:
        errors["indicator"] = [_("The strategy in force has no such indicator.")]
    check("measured_on", lambda: _measurement_date(strategy, data.measured_on))
    check("value", lambda: parse_decimal(data.value, label=_("Value")))
    check(
        "source",
        lambda: _text(data.source, "source", _("Source"), max_length=Measurement.SOURCE_MAX_LENGTH, required=False),
    )
    check("note", lambda: _text(data.note, "note", _("Note"), max_length=Measurement.NOTE_MAX_LENGTH, required=False))
    if data.indicator is not None and "measured_on" in values and (data.indicator.key, values["measured_on"]) in taken:
        errors.setdefault("measured_on", []).append(
            _("“%(indicator)s” already has a value on %(date)s.")
            % {"indicator": data.indicator.name, "date": values["measured_on"].strftime("%d.%m.%Y")}
        )
    if errors:
        raise ValidationError(errors)
    values["indicator_key"] = data.indicator.key
    values["source"] = values["source"] or data.indicator.source
    return values


def _measurement_date(strategy: Strategy, value) -> datetime.date:
    day = _date(value, "measured_on", _("Date"), required=True)
    first, last = datetime.date(strategy.starts_year, 1, 1), datetime.date(strategy.ends_year, 12, 31)
    if not first <= day <= last:
        raise ValidationError(
            _("The date %(date)s is outside the strategy's period (%(first)d–%(last)d).")
            % {"date": day.strftime("%d.%m.%Y"), "first": strategy.starts_year, "last": strategy.ends_year}
        )
    if day > timezone.localdate():
        raise ValidationError(_("The date %(date)s is in the future.") % {"date": day.strftime("%d.%m.%Y")})
    return day


def taken_dates(strategy: Strategy, *, exclude: Measurement | None = None) -> set[tuple[str, datetime.date]]:
    rows = Measurement.objects.filter(strategy=strategy)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return set(rows.values_list("indicator_key", "measured_on"))


@transaction.atomic
def measurement_add(*, actor, strategy: Strategy, data: MeasurementData) -> Measurement:
    require_permission(actor, "implementation.record_measurements")
    _check_indicator(strategy, data)
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()  # one writer of a strategy's values at a time
    measurement = Measurement(
        strategy=strategy, entered_by=actor, **measurement_values(strategy, data, taken=taken_dates(strategy))
    )
    measurement.full_clean(exclude=["strategy"], validate_constraints=False)
    measurement.save()
    _changed()
    return measurement


@transaction.atomic
def measurement_update(*, actor, measurement: Measurement, data: MeasurementData) -> Measurement:
    require_permission(actor, "implementation.record_measurements")
    strategy = measurement.strategy
    _check_indicator(strategy, data)
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    values = measurement_values(strategy, data, taken=taken_dates(strategy, exclude=measurement))
    for name, value in values.items():
        setattr(measurement, name, value)
    measurement.entered_by = actor
    measurement.full_clean(exclude=["strategy"], validate_constraints=False)
    measurement.save()
    _changed()
    return measurement


def _check_indicator(strategy: Strategy, data: MeasurementData) -> None:
    """The indicator must be one of the version the public reads (not a row of an old draft)."""
    if data.indicator is not None:
        version = public_version(strategy)
        if not Indicator.objects.filter(version=version, key=data.indicator.key).exists():
            data.indicator = None


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> None:
    require_permission(actor, "implementation.record_measurements")
    Measurement.objects.filter(pk=measurement.pk).delete()
    _changed()


# The educational programme ----------------------------------------------------------------------


@transaction.atomic
def educational_event_set(*, actor, event, kind: str, audience: str = "", participants=None) -> EducationalEvent:
    """An existing event joins the educational programme (or changes its kind, audience, attendance)."""
    require_permission(actor, "implementation.manage_implementation")
    if kind not in EducationKind.values:
        raise ValidationError({"kind": _("Choose the kind of the event.")})
    if participants not in (None, "") and (not str(participants).isdigit()):
        raise ValidationError({"participants": _("Enter the number of participants as a whole number.")})
    educational = EducationalEvent.objects.filter(event=event).first() or EducationalEvent(event=event)
    educational.kind = kind
    educational.audience = _text(audience, "audience", _("For whom"), max_length=200, required=False)
    educational.participants = int(participants) if participants not in (None, "") else None
    educational.full_clean(exclude=["event"], validate_constraints=False)
    educational.save()
    _changed()
    return educational


@transaction.atomic
def educational_event_remove(*, actor, educational: EducationalEvent) -> None:
    require_permission(actor, "implementation.manage_implementation")
    EducationalEvent.objects.filter(pk=educational.pk).delete()
    _changed()
