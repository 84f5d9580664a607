"""`seed_demo` for participation: realistic opinions across areas, districts and channels, idempotent."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from accounts import demo as accounts_demo
from participation import demo
from participation.models import Area, Event, ModerationStatus, Opinion
from stages import demo as stages_demo
from stages.models import ProcessState, Stage
from stages.selectors import current_stage, next_window, timeline, window_status


@pytest.fixture
def seeded(reference_data):
    out = io.StringIO()
    call_command("seed_demo", opinions=300, stdout=out)
    return out.getvalue()


def demo_events():
    """Participation's own demo events (seed_demo's later steps add events of their own, e.g. a consultation's)."""
    return Event.objects.filter(title__in=[event[0] for event in demo.DEMO_EVENTS])


def test_seed_creates_varied_opinions_areas_and_events(seeded):
    opinions = Opinion.objects.all()
    assert opinions.count() == 300
    assert Area.objects.count() == 12
    assert Area.objects.filter(is_demo=True, name_pl__endswith="(demo)").count() == 8
    assert demo_events().count() == len(demo.DEMO_EVENTS)
    assert opinions.values("area").distinct().count() >= 10
    assert opinions.values("district").distinct().count() >= 15
    assert opinions.values("channel").distinct().count() >= 7
    statuses = {status: opinions.filter(status=status).count() for status in ModerationStatus.values}
    assert statuses["published"] > statuses["pending"] > statuses["rejected"] > 0
    assert not opinions.filter(status="rejected", rejection_reason="").exists()
    assert not opinions.filter(status="published", published_at__isnull=True).exists()
    assert opinions.filter(event__isnull=False).exists()
    assert len(set(opinions.values_list("text", flat=True))) > 250  # varied sentences
    texts = " ".join(opinions.values_list("text", flat=True))
    assert any(letter in texts for letter in "ąćęłńóśźż")
    assert "{where}" not in texts


def test_seed_lays_the_calendar_around_today_so_opinions_can_be_sent(seeded):
    """No pin: stage II runs today by its dates, and every date the pages show tells the truth."""
    today = timezone.localdate()
    assert ProcessState.objects.filter(current_stage_override__isnull=False).count() == 0
    assert current_stage().number == 2
    status = window_status("opinions")
    assert status.is_open
    assert status.open_until >= today
    assert "calendar moved by" in seeded
    states = {entry.stage.number: entry.state for entry in timeline()}
    assert states == {1: "done", 2: "current", **dict.fromkeys(range(3, 10), "upcoming")}
    for stage in Stage.objects.filter(number__gte=3):
        assert stage.starts_on > today
    assert next_window().stage.number == 3  # recruitment and drafting open next
    stage = Stage.objects.get(number=2)
    opinions = Opinion.objects.all()
    assert not opinions.filter(collected_on__lt=stage.starts_on).exists()
    assert not opinions.filter(collected_on__gt=today).exists()
    assert not opinions.filter(event__starts_at__gt=timezone.now()).exists()  # no opinion from an event to come
    for event in demo_events():
        assert stage.starts_on <= timezone.localtime(event.starts_at).date() <= stage.ends_on


def test_the_home_page_of_the_demo_shows_no_date_that_has_passed_as_open(seeded, client):
    content = client.get("/").content.decode()
    ends_on = Stage.objects.get(number=2).ends_on
    assert "otwarte do " + date_format(ends_on, "j E Y") in content
    assert "2020" not in content.split("Dziewięć etapów")[0]


def test_seed_is_idempotent_and_tops_up(seeded):
    first = set(Opinion.objects.values_list("external_id", "text", "collected_on"))
    dates = list(Stage.objects.values_list("starts_on", "ends_on"))
    out = io.StringIO()
    call_command("seed_demo", opinions=300, stdout=out)
    assert set(Opinion.objects.values_list("external_id", "text", "collected_on")) == first
    assert list(Stage.objects.values_list("starts_on", "ends_on")) == dates
    assert Area.objects.count() == 12
    assert demo_events().count() == len(demo.DEMO_EVENTS)
    assert "already laid around today" in out.getvalue()
    call_command("seed_demo", opinions=350, stdout=io.StringIO())
    assert Opinion.objects.count() == 350


def test_a_later_run_moves_the_calendar_and_the_demo_data_on(seeded, monkeypatch):
    stage = Stage.objects.get(number=2)
    old_start, old_events = stage.starts_on, sorted(demo_events().values_list("starts_at", flat=True))
    later = timezone.localdate() + datetime.timedelta(days=92)
    assert stages_demo.lay_calendar(today=later) == 3
    stage.refresh_from_db()
    assert stage.starts_on == stages_demo.shift_months(old_start, 3)
    assert demo.follow_calendar(stage) == 3
    new_events = sorted(demo_events().values_list("starts_at", flat=True))
    assert [timezone.localtime(e).date() for e in new_events] == [
        stages_demo.shift_months(timezone.localtime(e).date(), 3) for e in old_events
    ]
    assert not Opinion.objects.filter(collected_on__lt=stage.starts_on).exists()
    assert not Opinion.objects.filter(collected_on__gt=timezone.localdate()).exists()
    assert demo.follow_calendar(stage) == 0


def test_the_old_demo_pin_is_released_and_a_coordinators_pin_is_left_alone(reference_data):
    from stages.services import process_set_current_stage
    from tests.accounts.factories import coordinator

    accounts_demo.seed(stdout=io.StringIO())  # the demo coordinator releases the pin
    process_set_current_stage(
        actor=coordinator(), stage=Stage.objects.get(number=2), reason=stages_demo.OLD_DEMO_PIN_REASON
    )
    out = io.StringIO()
    stages_demo.seed(stdout=out)
    assert "released the old demo pin" in out.getvalue()
    assert ProcessState.objects.get().current_stage_override is None
    process_set_current_stage(actor=coordinator(), stage=Stage.objects.get(number=4), reason="test")
    stages_demo.seed(stdout=io.StringIO())
    assert current_stage().number == 4


def test_shifting_by_months_keeps_the_last_day_of_a_quarter():
    assert stages_demo.shift_months(datetime.date(2020, 9, 30), 3) == datetime.date(2020, 12, 31)
    assert stages_demo.shift_months(datetime.date(2020, 12, 31), 2) == datetime.date(2021, 2, 28)
    assert stages_demo.shift_months(datetime.date(2019, 11, 14), 75) == datetime.date(2026, 2, 14)


def test_without_reference_data_it_says_so(db):
    out = io.StringIO()
    demo.seed(stdout=out, opinions=5)
    assert "load_reference_data" in out.getvalue()
    assert not Opinion.objects.exists()
