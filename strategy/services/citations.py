"""Recommendations in the strategy: citations by a goal, a direction or a block, and the written
reasons for an included recommendation not taken up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recommendations.models import Recommendation, RecommendationStatus

from ..models import Block, Citation, Direction, RecommendationExplanation, StrategicGoal, StrategyVersion
from .common import _editable_version, _fresh, _touch


@transaction.atomic
def citation_add(*, actor, version: StrategyVersion, recommendation: Recommendation, target) -> Citation:
    """A goal, a direction or a block draws on an included recommendation."""
    version = _editable_version(actor, version)
    recommendation = Recommendation.objects.filter(pk=recommendation.pk).first()
    if recommendation is None or recommendation.status != RecommendationStatus.INCLUDED:
        raise ValidationError(_("Only recommendations included in the strategy can be cited."), code="not_included")
    model = type(target)
    if model not in (StrategicGoal, Direction, Block):
        raise ValidationError(_("Cite a recommendation in a goal, a direction or a block."), code="target")
    target = _fresh(model, target, version)
    field = {StrategicGoal: "goal", Direction: "direction", Block: "block"}[model]
    if Citation.objects.filter(**{field: target}, recommendation=recommendation).exists():
        raise ValidationError(_("This recommendation is already cited here."), code="duplicate")
    citation = Citation(version=version, recommendation=recommendation, created_by=actor, **{field: target})
    citation.full_clean(validate_constraints=False)
    citation.save()
    _touch(version)
    return citation


@transaction.atomic
def citation_remove(*, actor, citation: Citation) -> None:
    version = _editable_version(actor, citation.version)
    Citation.objects.filter(pk=citation.pk, version=version).delete()
    _touch(version)


@transaction.atomic
def explanation_set(
    *, actor, version: StrategyVersion, recommendation: Recommendation, reason: str
) -> RecommendationExplanation:
    """The team's written reason for not taking up an included recommendation (shown on its public page)."""
    version = _editable_version(actor, version)
    if recommendation.status != RecommendationStatus.INCLUDED:
        raise ValidationError(
            _("Only recommendations included in the strategy need an explanation."), code="not_included"
        )
    reason = (reason or "").strip()
    if len(reason) < RecommendationExplanation.REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Explain in at least %(min)d characters why the recommendation was not taken up.")
                % {"min": RecommendationExplanation.REASON_MIN_LENGTH}
            }
        )
    explanation = RecommendationExplanation.objects.filter(version=version, recommendation=recommendation).first()
    explanation = explanation or RecommendationExplanation(version=version, recommendation=recommendation)
    explanation.reason, explanation.author = reason, actor
    explanation.full_clean(validate_constraints=False)
    explanation.save()
    _touch(version)
    return explanation


@transaction.atomic
def explanation_remove(*, actor, explanation: RecommendationExplanation) -> None:
    version = _editable_version(actor, explanation.version)
    RecommendationExplanation.objects.filter(pk=explanation.pk, version=version).delete()
    _touch(version)
