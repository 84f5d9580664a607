"""seed_demo's consultation: the demo draft published and consulted, a few hundred comments from every
channel, one debate, every listed comment answered, so the report can be generated at once."""

import io

import pytest

from accounts import demo as accounts_demo
from consultation import demo, services
from consultation.models import Comment, CommentChannel, Consultation
from participation.models import ModerationStatus
from recommendations.models import RecommendationStatus
from strategy import demo as strategy_demo
from strategy.models import VersionState
from tests.recommendations.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_consultation_is_ready_for_its_report(reference_data, run_on_commit, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    accounts_demo.seed(stdout=io.StringIO())
    RecommendationFactory(status=RecommendationStatus.INCLUDED, title="Transport publiczny pierwszym wyborem")
    strategy_demo.seed(stdout=io.StringIO())
    out = io.StringIO()
    run_on_commit(demo.seed, stdout=out)
    consultation = Consultation.objects.get()
    assert consultation.version.state == VersionState.CONSULTATION_DRAFT
    comments = Comment.objects.filter(consultation=consultation)
    assert 250 <= comments.count() <= 400
    assert set(comments.values_list("channel", flat=True)) == set(CommentChannel.values)
    assert comments.filter(status=ModerationStatus.REJECTED).count() == 3
    assert not comments.unanswered().exists()
    assert consultation.meetings.get().participants == 48
    assert services.report_problems(consultation) == []
    assert sorted(comments.values_list("number", flat=True)) == list(range(1, comments.count() + 1))
    demo.seed(stdout=io.StringIO())  # idempotent
    assert Consultation.objects.count() == 1
