"""`seed_demo` for participation: realistic opinions across areas, districts and channels, idempotent."""

import io

import pytest
from django.core.management import call_command

from participation import demo
from participation.models import Area, Event, ModerationStatus, Opinion
from stages.selectors import current_stage, is_window_open


@pytest.fixture
def seeded(reference_data):
    out = io.StringIO()
    call_command("seed_demo", opinions=300, stdout=out)
    return out.getvalue()


def test_seed_creates_varied_opinions_areas_and_events(seeded):
    opinions = Opinion.objects.all()
    assert opinions.count() == 300
    assert Area.objects.count() == 12
    assert Area.objects.filter(is_demo=True, name_pl__endswith="(demo)").count() == 8
    assert Event.objects.count() == len(demo.DEMO_EVENTS)
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


def test_seed_pins_stage_two_so_opinions_can_be_sent(seeded):
    assert current_stage().number == 2
    assert is_window_open("opinions")
    assert "pinned the current stage to stage II" in seeded


def test_seed_is_idempotent_and_tops_up(seeded):
    first = set(Opinion.objects.values_list("external_id", "text"))
    out = io.StringIO()
    call_command("seed_demo", opinions=300, stdout=out)
    assert set(Opinion.objects.values_list("external_id", "text")) == first
    assert Area.objects.count() == 12
    assert Event.objects.count() == len(demo.DEMO_EVENTS)
    assert "already pinned" in out.getvalue()
    call_command("seed_demo", opinions=350, stdout=io.StringIO())
    assert Opinion.objects.count() == 350


def test_a_coordinators_pin_is_left_alone(reference_data):
    from stages.models import Stage
    from stages.services import process_set_current_stage
    from tests.accounts.factories import coordinator

    process_set_current_stage(actor=coordinator(), stage=Stage.objects.get(number=4), reason="test")
    out = io.StringIO()
    demo.seed(stdout=out, opinions=5)
    assert current_stage().number == 4
    assert "left as it is" in out.getvalue()


def test_without_reference_data_it_says_so(db):
    out = io.StringIO()
    demo.seed(stdout=out, opinions=5)
    assert "load_reference_data" in out.getvalue()
    assert not Opinion.objects.exists()
