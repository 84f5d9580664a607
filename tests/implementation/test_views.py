"""Pages of stage IX: the public monitoring (constant queries, cached), an action, a programme, an indicator,
the changes since the consultation, the stage page, and the staff panel role by role."""

import pytest
from django.core.cache import cache

from implementation.models import Action, ActionStatus, Measurement, SectorStrategy
from strategy.models import Block, VersionState
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.implementation.factories import (
    cited_opinion,
    in_force,
    make_action,
    make_sector_strategy,
    measure,
    whole_city,
)
from tests.participation.factories import DistrictFactory
from tests.strategy.factories import editor, make_block, make_chapter, make_version

pytestmark = pytest.mark.django_db


def filled(goals=2, actions_per_direction=1, years=3):
    strategy = in_force(goals=goals, directions=2, indicators=2)
    for direction in strategy.directions:
        for index in range(actions_per_direction):
            make_action(strategy, direction, title=f"Działanie {direction.number}/{index}")
    for indicator in strategy.indicators:
        for year in range(2021, 2021 + years):
            measure(indicator, year, 1250 + year - 2020)
    programme = make_sector_strategy(strategy)
    programme.elements.create(kind="goal", key=strategy.goals[0].key)
    cited_opinion(strategy.goals[0])
    return strategy


@pytest.mark.parametrize(("goals", "actions", "years"), [(1, 1, 1), (3, 4, 5)])
def test_the_monitoring_page_reads_a_constant_number_of_queries(
    reference_data, client, django_assert_num_queries, goals, actions, years
):
    filled(goals=goals, actions_per_direction=actions, years=years)
    # The version, then the page's body once: goals, directions, indicators, citations, evidence, measurements,
    # actions, their directions, programmes, their elements, the educational programme, areas and districts of
    # the filters.
    with django_assert_num_queries(14):
        response = client.get("/strategia/realizacja/")
    assert response.status_code == 200
    with django_assert_num_queries(1):  # an anonymous visitor's page from the cache: the version read only
        client.get("/strategia/realizacja/")


def test_the_monitoring_page_shows_goals_indicators_with_tables_and_actions(reference_data, client):
    strategy = filled()
    content = client.get("/strategia/realizacja/").content.decode()
    indicator = strategy.indicators[0]
    assert f'id="i-{indicator.key}"' in content
    assert 'class="indicator-chart"' in content
    assert "<svg" in content
    assert "<table" in content
    assert "1 253" in content.replace("\xa0", " ")
    assert "Działanie 1.1/0" in content
    assert "Program „Zielony Lublin”" in content
    assert "style=" not in content
    assert "<script>" not in content


def test_a_new_value_retires_the_cached_page(reference_data, client):
    from implementation import services

    strategy = filled(years=1)
    client.get("/strategia/realizacja/")
    services.measurement_add(
        actor=coordinator(),
        strategy=strategy.strategy,
        data=services.MeasurementData(indicator=strategy.indicators[0], measured_on="31.12.2023", value="4321"),
    )
    assert "4 321" in client.get("/strategia/realizacja/").content.decode().replace("\xa0", " ")


def test_filters_by_district_and_area(reference_data, client):
    strategy = filled()
    district = DistrictFactory(slug="kosminek", name="Kośminek")
    make_action(strategy, strategy.directions[0], title="Park kieszonkowy na Kośminku", district=district)
    elsewhere = DistrictFactory(slug="felin", name="Felin")
    make_action(strategy, strategy.directions[0], title="Skwer na Felinie", district=elsewhere)
    content = client.get("/strategia/realizacja/?dzielnica=kosminek").content.decode()
    assert "Park kieszonkowy na Kośminku" in content
    assert "Skwer na Felinie" not in content
    assert "Działanie 1.1/0" in content  # the whole city's actions stay
    _opinion, recommendation = cited_opinion(strategy.goals[1])
    area = recommendation.group.area
    content = client.get(f"/strategia/realizacja/?obszar={area.slug}").content.decode()
    assert strategy.goals[1].title in content
    assert client.get("/strategia/realizacja/?dzielnica=nie-ma-takiej").status_code == 400


def test_before_the_adoption_the_page_says_so(reference_data, client):
    response = client.get("/strategia/realizacja/")
    assert "implementation/not_yet.html" in [template.name for template in response.templates]
    make_version(VersionState.CONSULTATION_DRAFT)
    response = client.get("/strategia/realizacja/")
    assert response.status_code == 200
    assert 'class="notice"' in response.content.decode()


def test_action_programme_and_indicator_pages(reference_data, client):
    strategy = filled()
    action = Action.objects.first()
    programme = SectorStrategy.objects.get()
    assert action.title in client.get(f"/strategia/realizacja/dzialania/{action.pk}/").content.decode()
    assert strategy.goals[0].title in client.get(f"/strategia/realizacja/programy/{programme.pk}/").content.decode()
    indicator = strategy.indicators[0]
    page = client.get(f"/strategia/realizacja/wskazniki/{indicator.key}/").content.decode()
    assert page.count("31 grudnia") >= 3
    hidden = make_action(strategy, is_public=False, title="Robocze")
    assert client.get(f"/strategia/realizacja/dzialania/{hidden.pk}/").status_code == 404
    assert client.get("/strategia/realizacja/wskazniki/niematakie/").status_code == 404


def test_changes_since_the_consultation_draft(reference_data, client):
    strategy = in_force()
    consulted = strategy.version.based_on
    make_block(make_chapter(consulted), "Buspasy na głównych ulicach.")
    chapter = make_chapter(strategy.version)
    block = make_block(chapter, "Buspasy na głównych ulicach do 2025 roku.")
    Block.objects.filter(pk=block.pk).update(key=Block.objects.get(version=consulted).key)
    content = client.get(f"/strategia/zmiany/{strategy.version.number}/").content.decode()
    assert "<ins" in content
    assert "2025" in content
    assert client.get(f"/strategia/zmiany/{consulted.number}/").status_code == 404  # nothing consulted before it


def test_the_stage_page_of_the_implementation(reference_data, client):
    from stages.models import Stage

    filled()
    content = client.get(Stage.objects.get(number=9).get_absolute_url()).content.decode()
    assert "/strategia/realizacja/" in content


# The staff panel ------------------------------------------------------------------------------------


STAFF_PAGES = ["/panel/realizacja/", "/panel/realizacja/dzialania/nowe/", "/panel/realizacja/programy/nowy/"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("resident", 403), ("moderator", 403), ("editor", 403), ("coordinator", 200), ("admin", 200)],
)
def test_the_panel_role_by_role(reference_data, client, role, status):
    strategy = filled()
    person = {
        "resident": UserFactory,
        "moderator": moderator,
        "editor": editor,
        "coordinator": coordinator,
        "admin": admin,
    }[role]()
    client.force_login(person)
    for url in [
        *STAFF_PAGES,
        f"/panel/realizacja/wskazniki/{strategy.indicators[0].key}/",
        "/panel/realizacja/import/",
    ]:
        assert client.get(url).status_code == status, url


def test_anonymous_visitors_go_to_the_login(reference_data, client):
    response = client.get("/panel/realizacja/")
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_an_action_through_the_panel(reference_data, client):
    strategy = in_force()
    client.force_login(coordinator())
    data = {
        "title": "Buspas na ul. Zana",
        "responsible_unit": "ZDiM",
        "district": whole_city().pk,
        "status": ActionStatus.PLANNED,
        "planned_budget": "2 500 000,00",
        "spent_budget": "0",
        "direction_keys": [strategy.directions[0].key],
        "is_public": "on",
    }
    response = client.post("/panel/realizacja/dzialania/nowe/", {**data, "planned_budget": "dwa miliony"})
    assert response.status_code == 400
    assert "dwa miliony" in response.content.decode()
    assert not Action.objects.exists()
    response = client.post("/panel/realizacja/dzialania/nowe/", data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert str(action.planned_budget) == "2500000.00"
    response = client.post(f"/panel/realizacja/dzialania/{action.pk}/", {**data, "status": ActionStatus.COMPLETED})
    assert Action.objects.get().status == ActionStatus.COMPLETED
    client.post(f"/panel/realizacja/usun/dzialanie/{action.pk}/")
    assert not Action.objects.exists()


def test_a_value_through_the_panel(reference_data, client):
    strategy = in_force()
    indicator = strategy.indicators[0]
    client.force_login(coordinator())
    url = f"/panel/realizacja/wskazniki/{indicator.key}/"
    response = client.post(url, {"measured_on": "2022-12-31", "value": "dużo"})
    assert response.status_code == 400
    assert "id_value_error1" in response.content.decode()
    assert client.post(url, {"measured_on": "2022-12-31", "value": "12,5"}).status_code == 302
    measurement = Measurement.objects.get()
    edit = f"/panel/realizacja/wskazniki/{indicator.key}/pomiary/{measurement.pk}/"
    assert "12,5" in client.get(edit).content.decode()
    assert client.post(edit, {"measured_on": "2022-12-31", "value": "13"}).status_code == 302
    assert str(Measurement.objects.get().value) == "13.0000"
    cache.clear()
