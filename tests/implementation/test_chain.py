"""The chain from an opinion to what the city does, both ways, and coverage of opinions.

The chain of one opinion reads a fixed number of queries however far it reaches (pinned exactly here); the
coverage is counted in SQL, grouped by area and district.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from implementation import chain as chain_module
from implementation import coverage as coverage_module
from implementation.models import ActionStatus
from recommendations.models import Assessment, RecommendationStatus
from strategy.models import RecommendationExplanation, VersionState
from tests.implementation.factories import cited_opinion, in_force, make_action, measure
from tests.participation.factories import AreaFactory, DistrictFactory, OpinionFactory
from tests.recommendations.factories import RecommendationFactory
from tests.recommendations.factories import cite as evidence
from tests.strategy.factories import cite, make_block, make_chapter

pytestmark = pytest.mark.django_db


def far_reaching(size: int):
    """An opinion cited by `size` recommendations, each cited by a goal, a direction and a block of the adopted
    version, whose goals have indicators with measurements and actions."""
    strategy = in_force(goals=size, directions=2, indicators=2)
    opinion = OpinionFactory(published=True)
    chapter = make_chapter(strategy.version)
    for index in range(size):
        recommendation = RecommendationFactory(status=RecommendationStatus.INCLUDED, verification_round=1)
        evidence(recommendation, opinion)
        for kind in ("legality", "feasibility", "financing"):
            Assessment.objects.create(
                recommendation=recommendation, round=1, kind=kind, verdict="positive", justification="Zgodne z prawem."
            )
        goal = strategy.goals[index]
        cite(goal, recommendation)
        cite(strategy.directions[2 * index], recommendation)
        cite(make_block(chapter, f"Akapit {index}."), recommendation)
        make_action(strategy, strategy.directions[2 * index], title=f"Działanie {index}")
        make_action(strategy, strategy.directions[2 * index + 1], title=f"Inne działanie {index}")
    for indicator in strategy.indicators:
        measure(indicator, 2022, "1300")
    return strategy, opinion


@pytest.mark.parametrize("size", [1, 4])
def test_the_chain_reaches_everything_in_seven_queries(reference_data, django_assert_num_queries, size):
    strategy, opinion = far_reaching(size)
    # evidence, verdicts, version, citations, directions, indicators with their last values, actions
    with django_assert_num_queries(7):
        chain = chain_module.opinion_chain(opinion)
    assert len(chain.recommendations) == size
    assert all(len(r.public_verdicts) == 3 for r in chain.verified)
    assert {g.pk for g in chain.goals} == {g.pk for g in strategy.goals[:size]}
    assert len(chain.directions) == size
    assert len(chain.places) == 1  # one chapter, however many of its paragraphs cite
    assert len(chain.indicators) == size * 4
    assert all(item.latest_value == 1300 for item in chain.indicators)
    assert len(chain.actions) == size * 2
    assert chain.adopted
    assert chain.resolution.display_number == "Nr XLII/1234/2021"
    assert chain.milestones >= {f"adopted:{strategy.version.number}", f"strategy:{strategy.version.number}"}


def test_an_included_recommendation_not_taken_up_shows_the_teams_reason(reference_data, django_assert_num_queries):
    strategy = in_force()
    recommendation = RecommendationFactory(status=RecommendationStatus.INCLUDED)
    opinion = evidence(recommendation)
    RecommendationExplanation.objects.create(
        version=strategy.version, recommendation=recommendation, reason="Zadanie realizuje samorząd województwa."
    )
    with django_assert_num_queries(5):  # evidence, verdicts, version, citations, the team's reasons
        chain = chain_module.opinion_chain(opinion)
    assert not chain.in_strategy
    assert chain.not_taken_up[0].strategy_explanation.reason == "Zadanie realizuje samorząd województwa."


def test_an_opinion_nobody_cites_costs_one_query(reference_data, django_assert_num_queries):
    opinion = OpinionFactory(published=True)
    with django_assert_num_queries(1):
        chain = chain_module.opinion_chain(opinion)
    assert not chain.recommendations
    assert chain.milestones == set()


def test_the_chain_page_follows_the_opinion_to_the_action(reference_data, client):
    strategy, opinion = far_reaching(1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/opinie/{opinion.pk}/droga/")
    assert response.status_code == 200
    assert len(queries) == 8  # the opinion, then the chain (7)
    content = response.content.decode()
    assert strategy.goals[0].title in content
    assert strategy.indicators[0].name in content
    assert "Działanie 0" in content
    assert "Nr XLII/1234/2021" in content
    assert f"/strategia/wersje/{strategy.version.number}/#g-{strategy.goals[0].key}" in content


def test_an_unpublished_opinion_has_no_chain_for_others(reference_data, client):
    opinion = OpinionFactory()  # pending
    assert client.get(f"/opinie/{opinion.pk}/droga/").status_code == 404
    client.force_login(opinion.author)
    assert client.get(f"/opinie/{opinion.pk}/droga/").status_code == 200


def test_the_opinion_page_links_its_chain(reference_data, client):
    opinion = OpinionFactory(published=True)
    assert f"/opinie/{opinion.pk}/droga/" in client.get(f"/opinie/{opinion.pk}/").content.decode()


def test_milestones_of_many_opinions_at_once(reference_data, django_assert_num_queries):
    strategy = in_force()
    cited, recommendation = cited_opinion(strategy.goals[0])
    started = make_action(strategy, strategy.directions[0], status=ActionStatus.IN_PROGRESS)
    make_action(strategy, strategy.directions[1], status=ActionStatus.PLANNED)
    lonely = OpinionFactory(published=True)
    with django_assert_num_queries(5):  # evidence, version, citations, directions, actions
        found = chain_module.milestones([cited.pk, lonely.pk])
    version = strategy.version.number
    assert found[cited.pk] == {
        f"recommendation:{recommendation.pk}",
        f"included:{recommendation.pk}",
        f"strategy:{version}",
        f"adopted:{version}",
        f"action:{started.pk}",
    }
    assert found[lonely.pk] == set()


# From a goal, a direction, an action or an indicator: what it rests on --------------------------------


def test_a_goal_rests_on_its_own_and_its_directions_recommendations(reference_data, client):
    strategy = in_force()
    opinion_of_goal, _ = cited_opinion(strategy.goals[0])
    opinion_of_direction, _ = cited_opinion(strategy.directions[0])
    response = client.get(f"/strategia/podstawy/cel/{strategy.goals[0].key}/")
    content = response.content.decode()
    assert f"/opinie/{opinion_of_goal.pk}/" in content
    assert f"/opinie/{opinion_of_direction.pk}/" in content
    direction_page = client.get(f"/strategia/podstawy/kierunek/{strategy.directions[0].key}/").content.decode()
    assert f"/opinie/{opinion_of_direction.pk}/" in direction_page
    assert f"/opinie/{opinion_of_goal.pk}/" not in direction_page
    action = make_action(strategy, strategy.directions[0])
    assert (
        f"/opinie/{opinion_of_direction.pk}/"
        in client.get(f"/strategia/podstawy/dzialanie/{action.pk}/").content.decode()
    )
    indicator = strategy.indicators[0]  # of direction 1.1
    assert (
        f"/opinie/{opinion_of_direction.pk}/"
        in client.get(f"/strategia/podstawy/wskaznik/{indicator.key}/").content.decode()
    )
    assert client.get("/strategia/podstawy/dzialanie/abc/").status_code == 404
    assert client.get("/strategia/podstawy/cos/abc/").status_code == 404


def test_hidden_opinions_are_not_counted(reference_data):
    from implementation.basis import version_basis

    strategy = in_force()
    opinion, recommendation = cited_opinion(strategy.goals[0])
    evidence(recommendation, OpinionFactory(published=True, hidden_by_flags=True))
    assert version_basis(strategy.version).goal(strategy.goals[0].key).opinion_ids == {opinion.pk}


# Coverage -------------------------------------------------------------------------------------------


def coverage_case():
    """Area A / district X: one opinion in the strategy, one in a recommendation only, one in neither; a pending one."""
    strategy = in_force()
    area, other_area = AreaFactory(slug="obszar-a", name_pl="Obszar A"), AreaFactory(slug="obszar-b")
    district = DistrictFactory(slug="dzielnica-x", name="Dzielnica X")
    cited_opinion(strategy.goals[0], area=area, district=district)
    submitted = RecommendationFactory(status=RecommendationStatus.SUBMITTED)
    evidence(submitted, OpinionFactory(published=True, area=area, district=district))
    OpinionFactory(published=True, area=area, district=district)
    OpinionFactory(published=True, area=other_area, district=district)
    OpinionFactory(area=area, district=district)  # pending: not counted
    return strategy, area, district


def test_coverage_by_area_and_district(reference_data, django_assert_num_queries):
    strategy, area, district = coverage_case()
    with django_assert_num_queries(5):  # three grouped counts, the areas, the districts
        data = coverage_module.compute(strategy.version)
    row = next(r for r in data.by_area if r.key == area.slug)
    assert (row.published, row.in_recommendation, row.in_strategy) == (3, 2, 1)
    assert (str(row.recommendation_share), str(row.strategy_share)) == ("66.7", "33.3")
    district_row = next(r for r in data.by_district if r.key == district.slug)
    assert (district_row.published, district_row.in_strategy) == (4, 1)
    assert (data.total.published, data.total.in_recommendation, data.total.in_strategy) == (4, 2, 1)
    assert data.adopted
    assert data.lowest(data.by_area, limit=1)[0].key == "obszar-b"  # 0 % reached the strategy


def test_coverage_is_cached_until_something_it_counts_changes(reference_data, django_assert_num_queries):
    strategy, area, _district = coverage_case()
    coverage_module.cached(strategy.version)
    with django_assert_num_queries(1):  # only what it depends on: the last change of a recommendation's state
        coverage_module.cached(strategy.version)
    from lublin2030.versions import bump_publication_version

    bump_publication_version()
    with django_assert_num_queries(6):
        coverage_module.cached(strategy.version)


def test_coverage_before_the_adoption_counts_the_public_draft(reference_data):
    strategy, area, _district = coverage_case()
    strategy.version.state = VersionState.AFTER_CONSULTATION
    strategy.version.save()
    data = coverage_module.compute(strategy.version)
    assert not data.adopted
    assert data.total.in_strategy == 1


def test_the_coverage_pages(reference_data, client):
    from tests.accounts.factories import UserFactory, moderator

    coverage_case()
    public = client.get("/strategia/pokrycie/").content.decode()
    assert "Dzielnica X" in public
    assert "/panel/pokrycie/" not in public
    client.force_login(moderator())
    staff_hint = client.get("/strategia/pokrycie/").content.decode()
    assert "/panel/pokrycie/" in staff_hint
    staff = client.get("/panel/pokrycie/").content.decode()
    assert staff.index("obszar-b") < staff.index("obszar-a")  # the lowest first
    client.force_login(UserFactory())
    assert client.get("/panel/pokrycie/").status_code == 403
