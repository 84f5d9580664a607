"""What every service of recommendations starts with: the row lock."""

from ..models import (
    Recommendation,
)


def _lock(recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)
