import datetime

import pytest
from django.utils import timezone

from stages import selectors
from stages.models import Stage, WindowKind
from stages.services import WindowClosed, process_set_current_stage, require_open_window
from tests.accounts.factories import coordinator

pytestmark = pytest.mark.django_db


def at(day: str):
    return timezone.make_aware(datetime.datetime.fromisoformat(day + "T12:00:00"))


def test_current_stage_follows_the_calendar(reference_data):
    assert selectors.current_stage(at=at("2020-03-15")).number == 2
    assert selectors.current_stage(at=at("2021-05-01")).number == 5  # III, IV and V overlap: the most advanced
    assert selectors.current_stage(at=at("2026-11-26")).number == 9
    assert selectors.current_stage(at=at("2017-01-01")) is None


def test_overlapping_stages_all_keep_their_windows_open(reference_data):
    day = at("2021-05-01")
    assert [stage.number for stage in selectors.running_stages(at=day)] == [3, 4, 5]
    assert selectors.is_window_open(WindowKind.DRAFTING, at=day)
    assert selectors.is_window_open(WindowKind.VERIFICATION, at=day)
    assert selectors.open_window(WindowKind.VERIFICATION, at=day).stage.number == 4


def test_opinions_window_is_open_only_in_stage_two(reference_data):
    assert selectors.is_window_open(WindowKind.OPINIONS, at=at("2020-03-15"))
    assert not selectors.is_window_open(WindowKind.OPINIONS, at=at("2021-01-15"))
    assert not selectors.is_window_open(WindowKind.OPINIONS, at=at("2019-01-15"))


def test_window_with_its_own_dates_is_narrower_than_its_stage(reference_data):
    window = Stage.objects.get(number=7).windows.get(kind=WindowKind.CONSULTATION)
    window.opens_on = datetime.date(2021, 11, 1)
    window.closes_on = datetime.date(2021, 12, 6)
    window.save()
    assert not selectors.is_window_open(WindowKind.CONSULTATION, at=at("2021-10-15"))
    assert selectors.is_window_open(WindowKind.CONSULTATION, at=at("2021-11-20"))
    assert not selectors.is_window_open(WindowKind.CONSULTATION, at=at("2021-12-07"))


def test_override_makes_another_stage_current_and_opens_its_windows(reference_data):
    stage_two = Stage.objects.get(number=2)
    process_set_current_stage(actor=coordinator(), stage=stage_two, reason="running late")
    assert selectors.current_stage(at=at("2026-11-26")) == stage_two
    assert selectors.is_window_open(WindowKind.OPINIONS, at=at("2026-11-26"))
    process_set_current_stage(actor=coordinator(), stage=None)
    assert not selectors.is_window_open(WindowKind.OPINIONS, at=at("2026-11-26"))


def test_require_open_window_says_when_the_window_opens(reference_data):
    with pytest.raises(WindowClosed) as raised:
        require_open_window(WindowKind.CONSULTATION, at=at("2019-06-01"))
    assert "01.10.2021" in raised.value.messages[0]


def test_require_open_window_says_when_the_window_closed(reference_data):
    with pytest.raises(WindowClosed) as raised:
        require_open_window(WindowKind.OPINIONS, at=at("2026-11-26"))
    assert "31.12.2020" in raised.value.messages[0]


def test_timeline_marks_done_current_and_upcoming(reference_data):
    states = {entry.stage.number: entry.state for entry in selectors.timeline(at=at("2020-03-15"))}
    assert states[1] == "done"
    assert states[2] == "current"
    assert states[3] == "upcoming"
    assert states[9] == "upcoming"


@pytest.mark.parametrize("role", ["nobody", "resident", "moderator"])
def test_only_coordinators_pin_the_stage(reference_data, role):
    from django.core.exceptions import PermissionDenied

    from stages.models import ProcessState
    from tests.accounts.factories import UserFactory, moderator

    actor = {"nobody": lambda: None, "resident": UserFactory, "moderator": moderator}[role]()
    with pytest.raises(PermissionDenied):
        process_set_current_stage(actor=actor, stage=Stage.objects.get(number=2), reason="no right")
    assert not ProcessState.objects.filter(current_stage_override__isnull=False).exists()
