"""Writes of the implementation: sector strategies, actions, measurements, the educational programme.

Bad input gets a clear message naming the field and changes nothing: a measurement for an unknown
indicator, a value that is not a number, a date outside the strategy's period, a duplicate measurement.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from implementation import services
from implementation.models import DATA_VERSION, Action, ActionStatus, DevelopedElement, EducationalEvent, Measurement
from lublin2030 import versions
from strategy.models import VersionState
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.implementation.factories import in_force, make_action, measure, whole_city
from tests.participation.factories import EventFactory
from tests.strategy.factories import editor, make_direction, make_goal, make_indicator, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    translation.activate("en")


def action_data(strategy, **overrides):
    values = {
        "title": "Buspas na Al. Racławickich",
        "responsible_unit": "Zarząd Dróg i Mostów",
        "district": whole_city(),
        "planned_budget": "1 250 000,50",
        "spent_budget": "250 000",
        "status": ActionStatus.IN_PROGRESS,
        "starts_on": "1.03.2022",
        "ends_on": "2024-10-31",
        "direction_keys": [strategy.directions[0].key],
        **overrides,
    }
    return services.ActionData(**values)


# Sector strategies -------------------------------------------------------------------------------------


def test_a_sector_strategy_develops_goals_and_directions_by_key(reference_data):
    strategy = in_force()
    before = versions.current(DATA_VERSION)
    programme = services.sector_strategy_save(
        actor=coordinator(),
        strategy=strategy.strategy,
        data=services.SectorStrategyData(
            name="Program „Zielony Lublin”",
            owner_department="Wydział Ochrony Środowiska",
            starts_year="2022",
            ends_year=2027,
            goal_keys=[strategy.goals[0].key],
            direction_keys=[strategy.directions[1].key],
        ),
    )
    assert set(DevelopedElement.objects.filter(sector_strategy=programme).values_list("kind", "key")) == {
        ("goal", strategy.goals[0].key),
        ("direction", strategy.directions[1].key),
    }
    assert versions.current(DATA_VERSION) != before  # the cached monitoring pages are retired


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"goal_keys": ["nieznany01"]}, "goal_keys", "no such element: nieznany01"),
        ({"goal_keys": []}, "goal_keys", "Choose the goals or directions"),
        ({"starts_year": "dwa tysiące"}, "starts_year", "enter a year"),
        ({"ends_year": 2020}, "ends_year", "cannot come before the first"),
        ({"name": "  "}, "name", "this field is required"),
    ],
)
def test_a_bad_sector_strategy_is_refused(reference_data, overrides, field, message):
    strategy = in_force()
    values = {
        "name": "Program",
        "owner_department": "Wydział",
        "starts_year": 2022,
        "ends_year": 2027,
        "goal_keys": [strategy.goals[0].key],
        **overrides,
    }
    with pytest.raises(ValidationError) as error:
        services.sector_strategy_save(
            actor=coordinator(), strategy=strategy.strategy, data=services.SectorStrategyData(**values)
        )
    assert message in " ".join(error.value.message_dict[field])


# Actions -------------------------------------------------------------------------------------------------


def test_an_action_with_a_polish_budget(reference_data):
    strategy = in_force()
    action = services.action_save(actor=coordinator(), strategy=strategy.strategy, data=action_data(strategy))
    assert (action.planned_budget, action.spent_budget) == (Decimal("1250000.50"), Decimal("250000"))
    assert (action.starts_on, action.ends_on) == (datetime.date(2022, 3, 1), datetime.date(2024, 10, 31))
    assert list(action.served.values_list("direction_key", flat=True)) == [strategy.directions[0].key]
    assert action.status_changed_at is not None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"planned_budget": "milion"}, "planned_budget", "is not a number"),
        ({"spent_budget": "-5"}, "spent_budget", "cannot be negative"),
        ({"planned_budget": "12,345"}, "planned_budget", "at most 2 digits"),
        ({"ends_on": "1.01.2022"}, "ends_on", "cannot come before the start"),
        ({"starts_on": "32.01.2022"}, "starts_on", "is not a date"),
        ({"direction_keys": []}, "direction_keys", "Choose the directions"),
        ({"direction_keys": ["nieznany01"]}, "direction_keys", "no such element"),
        ({"status": "done"}, "status", "Choose the status"),
        ({"district": None}, "district", "whole city"),
    ],
)
def test_a_bad_action_is_refused_and_nothing_is_stored(reference_data, overrides, field, message):
    strategy = in_force()
    with pytest.raises(ValidationError) as error:
        services.action_save(actor=coordinator(), strategy=strategy.strategy, data=action_data(strategy, **overrides))
    assert message in " ".join(error.value.message_dict[field])
    assert not Action.objects.exists()


def test_a_key_of_a_draft_is_not_a_key_of_the_strategy(reference_data):
    strategy = in_force()
    draft = make_version(VersionState.WORKING, based_on=strategy.version)
    draft_direction = make_direction(make_goal(draft, "Cel roboczy"))
    with pytest.raises(ValidationError, match="no such element"):
        services.action_save(
            actor=coordinator(),
            strategy=strategy.strategy,
            data=action_data(strategy, direction_keys=[draft_direction.key]),
        )


def test_the_status_time_moves_only_with_the_status(reference_data):
    strategy = in_force()
    city = coordinator()
    action = services.action_save(actor=city, strategy=strategy.strategy, data=action_data(strategy))
    first = action.status_changed_at
    action = services.action_save(
        actor=city, strategy=strategy.strategy, action=action, data=action_data(strategy, title="Buspas, etap I")
    )
    assert action.status_changed_at == first
    action = services.action_save(
        actor=city,
        strategy=strategy.strategy,
        action=action,
        data=action_data(strategy, status=ActionStatus.COMPLETED),
    )
    assert action.status_changed_at > first


@pytest.mark.parametrize("role", ["resident", "moderator", "editor"])
def test_only_the_city_manages_the_implementation(reference_data, role):
    person = {"resident": UserFactory, "moderator": moderator, "editor": editor}[role]()
    strategy = in_force()
    with pytest.raises(PermissionDenied):
        services.action_save(actor=person, strategy=strategy.strategy, data=action_data(strategy))
    with pytest.raises(PermissionDenied):
        services.measurement_add(
            actor=person,
            strategy=strategy.strategy,
            data=services.MeasurementData(indicator=strategy.indicators[0], measured_on="31.12.2022", value="1"),
        )


# Measurements --------------------------------------------------------------------------------------------


def test_a_value_with_a_decimal_comma(reference_data):
    strategy = in_force()
    indicator = strategy.indicators[0]
    measurement = services.measurement_add(
        actor=coordinator(),
        strategy=strategy.strategy,
        data=services.MeasurementData(indicator=indicator, measured_on="31.12.2022", value="1 312,5"),
    )
    assert (measurement.value, measurement.measured_on) == (Decimal("1312.5"), datetime.date(2022, 12, 31))
    assert measurement.source == indicator.source  # the indicator's source when none is given
    assert measurement.indicator_key == indicator.key


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "dwanaście"}, "value", "is not a number"),
        ({"value": ""}, "value", "enter a number"),
        ({"measured_on": "31.12.2019"}, "measured_on", "outside the strategy's period (2021–2030)"),
        ({"measured_on": "1.1.2031"}, "measured_on", "outside the strategy's period"),
        ({"measured_on": "13.13.2022"}, "measured_on", "is not a date"),
        ({"indicator": None}, "indicator", "no such indicator"),
    ],
)
def test_a_bad_measurement_names_its_field_and_is_not_stored(reference_data, overrides, field, message):
    strategy = in_force()
    values = {"indicator": strategy.indicators[0], "measured_on": "31.12.2022", "value": "12,5", **overrides}
    with pytest.raises(ValidationError) as error:
        services.measurement_add(
            actor=coordinator(), strategy=strategy.strategy, data=services.MeasurementData(**values)
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not Measurement.objects.exists()


def test_a_value_in_the_future_is_refused(reference_data, settings):
    strategy = in_force()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    if tomorrow.year > strategy.strategy.ends_year:
        pytest.skip("the strategy's period is over")
    with pytest.raises(ValidationError, match="in the future"):
        services.measurement_add(
            actor=coordinator(),
            strategy=strategy.strategy,
            data=services.MeasurementData(indicator=strategy.indicators[0], measured_on=tomorrow, value="1"),
        )


def test_a_duplicate_measurement_is_refused(reference_data):
    strategy = in_force()
    indicator = strategy.indicators[0]
    measure(indicator, 2022, "10")
    with pytest.raises(ValidationError, match="already has a value on 31.12.2022"):
        services.measurement_add(
            actor=coordinator(),
            strategy=strategy.strategy,
            data=services.MeasurementData(indicator=indicator, measured_on="2022-12-31", value="11"),
        )
    assert Measurement.objects.get().value == Decimal("10")


def test_an_indicator_of_a_draft_is_unknown(reference_data):
    strategy = in_force()
    draft = make_version(VersionState.WORKING, based_on=strategy.version)
    draft_indicator = make_indicator(goal=make_goal(draft, "Cel roboczy"), name="Nowy wskaźnik roboczy")
    with pytest.raises(ValidationError, match="no such indicator"):
        services.measurement_add(
            actor=coordinator(),
            strategy=strategy.strategy,
            data=services.MeasurementData(indicator=draft_indicator, measured_on="31.12.2022", value="1"),
        )


def test_a_value_is_corrected_and_deleted(reference_data):
    strategy = in_force()
    indicator = strategy.indicators[0]
    city = coordinator()
    first, second = measure(indicator, 2021, "10"), measure(indicator, 2022, "11")
    with pytest.raises(ValidationError, match="already has a value"):
        services.measurement_update(
            actor=city,
            measurement=second,
            data=services.MeasurementData(indicator=indicator, measured_on="31.12.2021", value="11"),
        )
    updated = services.measurement_update(
        actor=city,
        measurement=second,
        data=services.MeasurementData(indicator=indicator, measured_on="31.12.2022", value="11,7", note="korekta"),
    )
    assert (updated.value, updated.note) == (Decimal("11.7"), "korekta")
    services.measurement_delete(actor=city, measurement=first)
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("11.7")]


# The educational programme ------------------------------------------------------------------------------


def test_an_event_joins_the_educational_programme(reference_data):
    event = EventFactory()
    educational = services.educational_event_set(
        actor=coordinator(), event=event, kind="school", audience="Uczniowie", participants="120"
    )
    assert (educational.kind, educational.participants) == ("school", 120)
    again = services.educational_event_set(actor=coordinator(), event=event, kind="lecture")
    assert again.pk == educational.pk
    assert EducationalEvent.objects.count() == 1
    with pytest.raises(ValidationError, match="whole number"):
        services.educational_event_set(actor=coordinator(), event=event, kind="lecture", participants="sto")
    with pytest.raises(ValidationError, match="Choose the kind"):
        services.educational_event_set(actor=coordinator(), event=event, kind="picnic")


def test_the_goal_progress_counts_completed_actions(reference_data):
    from implementation.progress import goal_progress

    strategy = in_force()
    done = make_action(strategy, status=ActionStatus.COMPLETED, planned_budget=100, spent_budget=100)
    running = make_action(strategy, status=ActionStatus.IN_PROGRESS, planned_budget=100, spent_budget=0)
    cancelled = make_action(strategy, status=ActionStatus.CANCELLED, planned_budget=500, spent_budget=0)
    progress = goal_progress([Decimal(40), None, Decimal(120)], [done, running, cancelled])
    assert (progress.indicators_measured, progress.indicators_percent) == (2, Decimal("70.0"))  # 40 and 100 (clamped)
    assert (progress.actions_total, progress.actions_completed, progress.actions_percent) == (2, 1, Decimal("50.0"))
    assert (progress.budget_percent, progress.percent) == (Decimal("50.0"), Decimal("60.0"))
