"""The workflow, and the only transitions the services allow:

draft ──submit (leader, DRAFTING)──▶ submitted ──first assessment / start (coordinator, VERIFICATION)──▶ in verification
returned ──submit──▶ submitted           in verification ──third assessment──▶ verified
submitted | in verification ──return with reason (coordinator, VERIFICATION)──▶ returned
verified ──include (coordinator)──▶ included in the strategy
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from stages.models import WindowKind
from stages.services import require_open_window

from ..models import (
    EDITABLE_STATUSES,
    Assessment,
    AssessmentKind,
    Recommendation,
    RecommendationStatus,
    StatusChange,
)
from .common import _lock

S = RecommendationStatus
ALLOWED_TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.IN_VERIFICATION),
    (S.IN_VERIFICATION, S.VERIFIED),
    (S.SUBMITTED, S.RETURNED),
    (S.IN_VERIFICATION, S.RETURNED),
    (S.VERIFIED, S.INCLUDED),
}


# The workflow ----------------------------------------------------------------------------------


def _transition(recommendation: Recommendation, to_status: str, *, actor, reason: str = "") -> None:
    from_status = recommendation.status
    if (from_status, to_status) not in ALLOWED_TRANSITIONS:
        raise ValidationError(
            _("A recommendation cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="transition",
        )
    recommendation.status = to_status
    StatusChange.objects.create(
        recommendation=recommendation, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )


def completeness_problems(recommendation: Recommendation) -> list[str]:
    """What a recommendation lacks before it can be submitted: every part of the fixed structure."""
    problems = []
    if not recommendation.vision.strip():
        problems.append(_("The vision is empty."))
    if not recommendation.diagnosis.strip():
        problems.append(_("The diagnosis is empty."))
    goals = list(recommendation.goals.all())
    directions = list(recommendation.directions.prefetch_related("goals"))
    if not goals:
        problems.append(_("There is no goal."))
    if not directions:
        problems.append(_("There is no recommended direction of action."))
    for direction in directions:
        if not direction.goals.all():
            problems.append(
                _("Direction %(number)d does not say which goals it serves.") % {"number": direction.position}
            )
    return problems


@transaction.atomic
def recommendation_submit(*, actor, recommendation: Recommendation) -> Recommendation:
    """Only the group's leader, only while the drafting window is open, only a complete recommendation."""
    recommendation = _lock(recommendation)
    if recommendation.status not in EDITABLE_STATUSES:
        _transition(recommendation, S.SUBMITTED, actor=actor)  # raises with the workflow's message
    require_permission(actor, "recommendations.submit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    problems = completeness_problems(recommendation)
    if problems:
        raise ValidationError(problems, code="incomplete")
    _transition(recommendation, S.SUBMITTED, actor=actor)
    recommendation.submitted_at = timezone.now()
    recommendation.verification_round += 1
    recommendation.return_reason = ""
    recommendation.save(update_fields=["status", "submitted_at", "verification_round", "return_reason", "updated_at"])
    return recommendation


@transaction.atomic
def recommendation_start_verification(*, actor, recommendation: Recommendation) -> Recommendation:
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.verify_recommendation", recommendation)
    require_open_window(WindowKind.VERIFICATION)
    _transition(recommendation, S.IN_VERIFICATION, actor=actor)
    recommendation.save(update_fields=["status", "updated_at"])
    return recommendation


@transaction.atomic
def assessment_record(
    *, actor, recommendation: Recommendation, kind: str, verdict: str, justification: str
) -> Assessment:
    """One of the three assessments. The first starts verification; the third makes it verified."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.verify_recommendation", recommendation)
    require_open_window(WindowKind.VERIFICATION)
    if recommendation.status == S.SUBMITTED:
        _transition(recommendation, S.IN_VERIFICATION, actor=actor)
        recommendation.save(update_fields=["status", "updated_at"])
    elif recommendation.status != S.IN_VERIFICATION:
        raise ValidationError(
            _("Only a submitted recommendation can be assessed; this one is “%(status)s”.")
            % {"status": recommendation.get_status_display()},
            code="transition",
        )
    if Assessment.objects.filter(
        recommendation=recommendation, round=recommendation.verification_round, kind=kind
    ).exists():
        raise ValidationError(
            _("The %(kind)s assessment has already been recorded.") % {"kind": AssessmentKind(kind).label.lower()},
            code="duplicate",
        )
    assessment = Assessment(
        recommendation=recommendation,
        round=recommendation.verification_round,
        kind=kind,
        verdict=verdict,
        justification=justification.strip(),
        author=actor,
    )
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    recorded = set(
        Assessment.objects.filter(recommendation=recommendation, round=recommendation.verification_round).values_list(
            "kind", flat=True
        )
    )
    if recorded >= set(AssessmentKind.values):
        _transition(recommendation, S.VERIFIED, actor=actor)
        recommendation.verified_at = timezone.now()
        recommendation.save(update_fields=["status", "verified_at", "updated_at"])
    return assessment


@transaction.atomic
def recommendation_return(*, actor, recommendation: Recommendation, reason: str) -> Recommendation:
    """A coordinator sends it back to the group, saying what to change; the group edits and resubmits."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.verify_recommendation", recommendation)
    require_open_window(WindowKind.VERIFICATION)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the group should change.")})
    _transition(recommendation, S.RETURNED, actor=actor, reason=reason)
    recommendation.return_reason = reason
    recommendation.save(update_fields=["status", "return_reason", "updated_at"])
    return recommendation


@transaction.atomic
def recommendation_include(*, actor, recommendation: Recommendation) -> Recommendation:
    """A verified recommendation is taken into the strategy (stage V has no participation window)."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.include_recommendation")
    _transition(recommendation, S.INCLUDED, actor=actor)
    recommendation.save(update_fields=["status", "updated_at"])
    return recommendation
