"""seed_demo's strategy: a realistic draft in internal review, written through the services."""

import io

import pytest

from accounts import demo as accounts_demo
from recommendations.models import RecommendationStatus
from strategy import demo, selectors
from strategy.models import Block, ChecklistItem, Citation, Indicator, ItemStatus, StrategicGoal, VersionState
from tests.recommendations.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_draft(reference_data):
    accounts_demo.seed(stdout=io.StringIO())
    transport = RecommendationFactory(
        status=RecommendationStatus.INCLUDED, title="Transport publiczny pierwszym wyborem"
    )
    RecommendationFactory(status=RecommendationStatus.VERIFIED, title="Lublin miastem młodych talentów")
    out = io.StringIO()
    demo.seed(stdout=out)
    version = selectors.current_strategy().versions.get()
    assert version.state == VersionState.INTERNAL_REVIEW
    progress = selectors.progress(version)
    assert progress.elements_missing == []
    assert StrategicGoal.objects.filter(version=version).count() == 4
    assert version.directions.count() == 12
    assert Indicator.objects.filter(version=version).count() == 20
    assert Block.objects.filter(version=version).count() > 20
    assert Citation.objects.filter(version=version, recommendation=transport).count() >= 3
    assert progress.covered == progress.included == 2
    items = list(ChecklistItem.objects.filter(version=version))
    done = sum(item.status == ItemStatus.DONE for item in items)
    assert 0 < done < len(items)
    demo.seed(stdout=io.StringIO())  # idempotent
    assert selectors.current_strategy().versions.count() == 1
