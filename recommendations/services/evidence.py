"""Opinions attached to a recommendation as its evidence."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from participation.models import Opinion
from stages.models import WindowKind
from stages.services import require_open_window

from ..models import (
    Evidence,
    Recommendation,
)
from .common import _lock
from .structure import _record_version

# Evidence --------------------------------------------------------------------------------------


@transaction.atomic
def evidence_attach(*, actor, recommendation: Recommendation, opinion: Opinion) -> Evidence:
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.edit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    opinion = Opinion.objects.filter(pk=opinion.pk).first()
    if opinion is None or not opinion.is_public:
        raise ValidationError(_("Only published opinions can be evidence."), code="not_public")
    if Evidence.objects.filter(recommendation=recommendation, opinion=opinion).exists():
        raise ValidationError(_("This opinion is already attached."), code="duplicate")
    evidence = Evidence(recommendation=recommendation, opinion=opinion, added_by=actor)
    evidence.full_clean(validate_constraints=False)
    evidence.save()
    _record_version(recommendation=recommendation, actor=actor, summary=f"attached:{opinion.pk}")
    return evidence


@transaction.atomic
def evidence_detach(*, actor, recommendation: Recommendation, opinion_id: int) -> None:
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.edit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    deleted, _rows = Evidence.objects.filter(recommendation=recommendation, opinion_id=opinion_id).delete()
    if not deleted:
        raise ValidationError(_("This opinion is not attached."), code="missing")
    _record_version(recommendation=recommendation, actor=actor, summary=f"removed:{opinion_id}")
