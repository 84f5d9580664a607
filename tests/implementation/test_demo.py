"""seed_demo adopts the demo strategy with a resolution and fills its implementation, through the services."""

import io

import pytest

from accounts import demo as accounts_demo
from implementation import demo
from implementation.models import Action, Follow, Measurement, SectorStrategy
from recommendations.models import RecommendationStatus
from strategy import demo as strategy_demo
from strategy.adoption import demo as adoption_demo
from strategy.adoption.models import AdoptionStep, Resolution
from strategy.adoption.selectors import in_force_version
from strategy.models import Block, StrategyVersion, VersionState
from strategy.selectors import current_strategy
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import RecommendationFactory
from tests.recommendations.factories import cite as evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def test_the_demo_strategy_is_adopted_and_implemented(reference_data):
    accounts_demo.seed(stdout=io.StringIO())
    transport = RecommendationFactory(
        status=RecommendationStatus.INCLUDED, title="Transport publiczny pierwszym wyborem"
    )
    evidence(transport, OpinionFactory(published=True))
    RecommendationFactory(status=RecommendationStatus.VERIFIED, title="Lublin miastem młodych talentów")
    strategy_demo.seed(stdout=io.StringIO())
    adoption_demo.seed(stdout=io.StringIO())
    version = in_force_version(current_strategy())
    assert (version.number, version.state) == (2, VersionState.ADOPTED)
    assert StrategyVersion.objects.get(number=1).state == VersionState.CONSULTATION_DRAFT
    assert Resolution.objects.get().display_number.startswith("Nr XLII/1234/")
    assert AdoptionStep.objects.filter(version=version).count() == 3
    assert Block.objects.filter(version=version, text__contains="Po konsultacjach").count() == 2
    adoption_demo.seed(stdout=io.StringIO())  # idempotent
    assert Resolution.objects.count() == 1

    out = io.StringIO()
    demo.seed(stdout=out)
    assert SectorStrategy.objects.count() == 2
    assert Action.objects.count() == 10
    assert Measurement.objects.count() == 20 * 3
    assert sorted({m.measured_on.year for m in Measurement.objects.all()}) == [2021, 2022, 2023]
    assert Follow.objects.filter(user__email="mieszkanka@example.org").exists()
    demo.seed(stdout=io.StringIO())
    assert Action.objects.count() == 10
