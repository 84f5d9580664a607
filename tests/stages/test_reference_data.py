import datetime

import pytest
from django.core.management import call_command

from participation.models import Area, Channel, District
from stages.models import ParticipationWindow, Stage, WindowKind
from stages.reference.parser import parse_period

pytestmark = pytest.mark.django_db


def test_quarters_become_dates():
    assert parse_period("IV kwartał 2018 – IV kwartał 2019") == (
        datetime.date(2018, 10, 1),
        datetime.date(2019, 12, 31),
    )
    assert parse_period("II–III kwartał 2021") == (datetime.date(2021, 4, 1), datetime.date(2021, 9, 30))
    assert parse_period("II kwartał 2021") == (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))


def test_load_reference_data_creates_the_nine_stages_from_the_city_text():
    call_command("load_reference_data")
    stages = list(Stage.objects.order_by("number"))
    assert [stage.roman for stage in stages] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    assert stages[1].title_pl == "Rozmawiamy o przyszłości Lublina"
    assert stages[1].starts_on == datetime.date(2019, 10, 1)
    assert stages[1].ends_on == datetime.date(2020, 12, 31)
    assert "Kafejki Partycypacyjnej" in stages[1].description_pl
    assert "Logotyp" not in stages[8].description_pl  # the page footer is not part of stage IX
    assert stages[8].ends_on == datetime.date(2030, 12, 31)
    assert all(stage.title_en and stage.description_en and stage.expected_result_pl for stage in stages)
    assert ParticipationWindow.objects.get(kind=WindowKind.OPINIONS).stage.number == 2
    assert ParticipationWindow.objects.get(kind=WindowKind.CONSULTATION).stage.number == 7


def test_load_reference_data_is_idempotent_and_keeps_edits():
    call_command("load_reference_data")
    stage = Stage.objects.get(number=2)
    stage.ends_on = datetime.date(2021, 3, 31)
    stage.save()
    call_command("load_reference_data")
    assert Stage.objects.count() == 9
    assert ParticipationWindow.objects.count() == 6
    assert Stage.objects.get(number=2).ends_on == datetime.date(2021, 3, 31)
    assert District.objects.count() == 28
    assert Channel.objects.count() == 9
    assert Area.objects.count() == 4
    call_command("load_reference_data", reset=True)
    assert Stage.objects.get(number=2).ends_on == datetime.date(2020, 12, 31)


def test_districts_include_the_whole_city_and_the_27_from_the_seed():
    call_command("load_reference_data")
    assert District.objects.filter(is_whole_city=True).count() == 1
    assert District.objects.filter(name="Śródmieście").exists()
    assert District.objects.filter(name="Czechów Południowy").exists()
