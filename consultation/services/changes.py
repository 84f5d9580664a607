"""From comments to changes: a block of the post-consultation draft cites the comments that caused its change.

The editorial team cites while it edits that draft (the working version created from the consulted one,
or from a later one); once the draft is frozen the citations are its record. The public sees a citation
when the changed version is public.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from strategy.models import Block, StrategyVersion
from strategy.services import FrozenVersion

from ..models import ChangeCitation, Comment, Consultation
from .moderation import public_comments_changed


def _check_version(consultation: Consultation, version: StrategyVersion) -> StrategyVersion:
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    consulted = consultation.version
    if version.strategy_id != consulted.strategy_id or version.number <= consulted.number:
        raise ValidationError(
            _("Comments on version %(consulted)d are cited by a later version of the same strategy.")
            % {"consulted": consulted.number},
            code="version",
        )
    if not version.is_editable:
        raise FrozenVersion(version)
    return version


@transaction.atomic
def change_cite(*, actor, version: StrategyVersion, block_key: str, comment_ids) -> list[ChangeCitation]:
    """Cite comments on a block of the working draft; comments already cited there are left as they are."""
    comments = list(
        Comment.objects.in_report()
        .filter(pk__in={int(pk) for pk in comment_ids})
        .select_related("consultation__version")
        .order_by("number")
    )
    if not comments:
        raise ValidationError(_("Choose at least one comment."), code="empty")
    consultations = {comment.consultation_id for comment in comments}
    if len(consultations) > 1:
        raise ValidationError(_("Choose comments of one consultation."), code="consultations")
    consultation = comments[0].consultation
    require_permission(actor, "consultation.cite_comment", version)
    version = _check_version(consultation, version)
    block = Block.objects.filter(version=version, key=block_key).first()
    if block is None:
        raise ValidationError(
            _("Version %(number)d has no block with this key.") % {"number": version.number}, code="no_block"
        )
    existing = set(
        ChangeCitation.objects.filter(version=version, block_key=block_key).values_list("comment_id", flat=True)
    )
    created = ChangeCitation.objects.bulk_create(
        [
            ChangeCitation(comment=comment, version=version, block_key=block_key, block=block, created_by=actor)
            for comment in comments
            if comment.pk not in existing
        ]
    )
    public_comments_changed(consultation.pk)
    return created


@transaction.atomic
def change_uncite(*, actor, citation: ChangeCitation) -> None:
    citation = ChangeCitation.objects.select_related("comment__consultation__version", "version").get(pk=citation.pk)
    require_permission(actor, "consultation.cite_comment", citation.version)
    _check_version(citation.comment.consultation, citation.version)
    consultation_id = citation.comment.consultation_id
    citation.delete()
    public_comments_changed(consultation_id)
