"""The demo of working groups and recommendations: every area gets a group, every state appears, twice is once."""

import io

import pytest

from recommendations.models import Evidence, Recommendation, RecommendationStatus, RecommendationVersion
from workgroups.models import Application, MemberCategory, Membership, WorkingGroup

pytestmark = pytest.mark.django_db


def run_demo():
    from accounts import demo as accounts_demo
    from participation import demo as participation_demo
    from recommendations import demo as recommendations_demo
    from workgroups import demo as workgroups_demo

    out = io.StringIO()
    for module in (accounts_demo, participation_demo, workgroups_demo, recommendations_demo):
        module.seed(stdout=out, opinions=300, seed=2030)
    return out.getvalue()


def counts():
    return (
        WorkingGroup.objects.count(),
        Membership.objects.count(),
        Application.objects.count(),
        Recommendation.objects.count(),
        Evidence.objects.count(),
        RecommendationVersion.objects.count(),
    )


def test_demo_covers_every_area_and_state_and_is_idempotent(reference_data):
    from participation.models import Area

    output = run_demo()
    assert "recommendations:" in output
    assert WorkingGroup.objects.count() == Area.objects.count()
    first = WorkingGroup.objects.order_by("area__position", "area__name_pl").first()
    assert first.memberships.count() == WorkingGroup.MAX_MEMBERS
    assert first.memberships.filter(user__email="mieszkanka@example.org", category=MemberCategory.RESIDENT).exists()
    assert first.memberships.get(category=MemberCategory.LEADER).user.email == "lider1@example.org"
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == set(RecommendationStatus.values)
    for recommendation in Recommendation.objects.exclude(status=RecommendationStatus.DRAFT):
        assert recommendation.evidence.exists()
        assert all(link.opinion.is_public for link in recommendation.evidence.select_related("opinion"))
    verified = Recommendation.objects.get(status=RecommendationStatus.VERIFIED)
    assert verified.assessments.count() == 3
    before = counts()
    run_demo()
    assert counts() == before
