"""Every list of stage VIII–IX reads a fixed number of queries, whatever its length (pinned exactly)."""

import pytest

from implementation.models import Follow, SectorStrategy
from tests.accounts.factories import UserFactory, coordinator
from tests.implementation.factories import cited_opinion, in_force, make_action, make_sector_strategy, measure
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import cite as evidence
from tests.strategy.adoption_factories import final_draft, record_steps

pytestmark = pytest.mark.django_db


def strategy_of(size: int):
    strategy = in_force(goals=size, directions=2, indicators=1)
    for direction in strategy.directions:
        make_action(strategy, direction, title=f"Działanie {direction.key}")
    for indicator in strategy.indicators:
        for year in range(2021, 2021 + size):
            measure(indicator, year, 10 + year - 2020)
    programme = make_sector_strategy(strategy)
    for goal in strategy.goals:
        programme.elements.create(kind="goal", key=goal.key)
        cited_opinion(goal)
    return strategy


@pytest.mark.parametrize("size", [1, 4])
def test_what_a_goal_rests_on(reference_data, client, django_assert_num_queries, size):
    strategy = in_force()
    _opinion, recommendation = cited_opinion(strategy.goals[0])
    for _ in range(size):
        evidence(recommendation, OpinionFactory(published=True))
    # the version read, citations, evidence, the goal, the recommendations, the page of opinions, their count
    with django_assert_num_queries(7):
        response = client.get(f"/strategia/podstawy/cel/{strategy.goals[0].key}/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_an_action_and_a_programme(reference_data, client, django_assert_num_queries, size):
    strategy = strategy_of(size)
    action = make_action(strategy, *strategy.directions[:size])
    # the version read, the action, its directions' keys, the directions, the citations and the evidence behind them
    with django_assert_num_queries(6):
        client.get(f"/strategia/realizacja/dzialania/{action.pk}/")
    programme = SectorStrategy.objects.get()
    with django_assert_num_queries(6):  # the version read, the programme, its elements, goals, directions, actions
        client.get(f"/strategia/realizacja/programy/{programme.pk}/")


@pytest.mark.parametrize("size", [1, 3])
def test_the_api_lists(reference_data, client, django_assert_num_queries, size):
    strategy_of(size)
    for url, queries in (
        ("/api/v1/strategy", 6),  # version, goals, directions, indicators, citations, evidence
        ("/api/v1/strategy/indicators", 5),  # version, goals, directions, indicators, measurements
        ("/api/v1/strategy/actions", 3),  # version, actions, their directions
        ("/api/v1/strategy/sector-strategies", 3),  # version, programmes, their elements
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200, url
        with django_assert_num_queries(1):  # cached: the version read only
            client.get(url)


@pytest.mark.parametrize("size", [1, 3])
def test_the_staff_pages(reference_data, client, django_assert_num_queries, size):
    strategy = strategy_of(size)
    client.force_login(coordinator())
    client.get("/panel/realizacja/")  # the user with their roles is read once per request anyway
    with django_assert_num_queries(10):
        assert client.get("/panel/realizacja/").status_code == 200
    with django_assert_num_queries(7):
        assert client.get(f"/panel/realizacja/wskazniki/{strategy.indicators[0].key}/").status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_my_follows_and_the_adoption_page(reference_data, client, django_assert_num_queries, size):
    resident = UserFactory()
    for _ in range(size):
        Follow.objects.create(user=resident, opinion=OpinionFactory(published=True))
    client.force_login(resident)
    # the user with their roles and verified address (the session from the cache), the follows with their opinions
    with django_assert_num_queries(2):
        assert client.get("/konto/obserwowane/").status_code == 200
    _consulted, version = final_draft()
    record_steps(version)
    client.force_login(coordinator())
    with django_assert_num_queries(8):
        assert client.get(f"/panel/strategia/wersje/{version.number}/uchwalenie/").status_code == 200
