"""Recommendation test data, written straight to the models (the services are what the tests test)."""

import factory

from recommendations.models import Comment, Direction, Evidence, Goal, Recommendation, RecommendationStatus
from recommendations.services.structure import _record_version
from tests.accounts.factories import UserFactory
from tests.participation.factories import OpinionFactory
from tests.workgroups.factories import WorkingGroupFactory


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Zielony Lublin, rekomendacja {n}")
    vision = "Lublin w 2030 roku jest miastem zieleni i krótkich odległości."
    diagnosis = "Dziś brakuje drzew przy ulicach, a parki są nierówno rozmieszczone."
    status = RecommendationStatus.DRAFT

    @factory.post_generation
    def structure(obj, create, extracted, **kwargs):
        """One goal and one direction serving it, and version 1, unless `structure=False`."""
        if extracted is False:
            return
        goal = Goal.objects.create(recommendation=obj, position=1, text="Więcej zieleni w każdej dzielnicy.")
        direction = Direction.objects.create(
            recommendation=obj, position=1, title="Sadzenie drzew", description="Tysiąc drzew rocznie."
        )
        direction.goals.add(goal)
        _record_version(recommendation=obj, actor=None, summary="factory")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    recommendation = factory.SubFactory(RecommendationFactory, status=RecommendationStatus.SUBMITTED)
    author = factory.SubFactory(UserFactory)
    text = "Dobra rekomendacja, ale brakuje w niej ścieżek rowerowych."


def cite(recommendation, opinion=None, **kwargs):
    """Evidence: a published opinion (new unless given) of the recommendation's area."""
    if opinion is None:
        opinion = OpinionFactory(published=True, area=recommendation.group.area, **kwargs)
    Evidence.objects.create(recommendation=recommendation, opinion=opinion)
    return opinion
