"""The formal evaluation (stage VI): the checklist of a version, and the internal consultation
(departments' comments on blocks, answered by the editorial team)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from ..models import (
    Attachment,
    Block,
    ChecklistItem,
    ChecklistPhase,
    CommentStatus,
    InternalComment,
    ItemStatus,
    StrategyVersion,
)
from .attachments import _drop_attachment
from .common import V, _check_revision, _checklist_version, _fresh, _locked_version, _next_position, _required, _title

# The checklist (stage VI) ---------------------------------------------------------------------


@dataclass
class ChecklistData:
    status: str
    responsible: object = None
    due_on: object = None
    notes: str = ""


@transaction.atomic
def checklist_item_update(
    *, actor, item: ChecklistItem, expected_revision: int | None, data: ChecklistData
) -> ChecklistItem:
    version = _checklist_version(actor, item.version)
    item = ChecklistItem.objects.select_related("updated_by").filter(pk=item.pk, version=version).first()
    if item is None:
        raise ValidationError(_("This checklist item no longer exists."), code="missing")
    _check_revision(item, expected_revision)
    if data.status not in ItemStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    notes = (data.notes or "").strip()
    if data.status == ItemStatus.NOT_APPLICABLE and not notes:
        raise ValidationError({"notes": _("Say in the notes why this item does not apply.")})
    if data.status == ItemStatus.DONE and item.status != ItemStatus.DONE:
        item.completed_at = timezone.now()
    elif data.status not in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE):
        item.completed_at = None
    item.status, item.responsible, item.due_on, item.notes = data.status, data.responsible, data.due_on, notes
    item.updated_by = actor
    item.revision += 1
    item.full_clean(exclude=["version"])
    item.save()
    return item


@transaction.atomic
def checklist_item_add(
    *, actor, version: StrategyVersion, title: str, mandatory: bool, description: str = ""
) -> ChecklistItem:
    version = _checklist_version(actor, version)
    item = ChecklistItem(
        version=version,
        phase=ChecklistPhase.FORMAL if not version.strategy.versions.public().exists() else ChecklistPhase.ADOPTION,
        title=_title(title, ChecklistItem.TITLE_MAX_LENGTH),
        description=(description or "").strip(),
        mandatory=mandatory,
        position=_next_position(ChecklistItem.objects.filter(version=version)),
        updated_by=actor,
    )
    item.full_clean(exclude=["version"])
    item.save()
    return item


@transaction.atomic
def checklist_item_remove(*, actor, item: ChecklistItem) -> None:
    version = _checklist_version(actor, item.version)
    for attachment in list(Attachment.objects.filter(checklist_item=item, version=version)):
        _drop_attachment(attachment)
    ChecklistItem.objects.filter(pk=item.pk, version=version).delete()


# Internal consultation ------------------------------------------------------------------------


@transaction.atomic
def internal_comment_add(*, actor, block: Block, text: str) -> InternalComment:
    """A department's staff member (or the team, or a coordinator) comments on a block before it is public."""
    version = _locked_version(block.version)
    require_permission(actor, "strategy.comment_internally", version)
    if version.state not in (V.WORKING, V.INTERNAL_REVIEW):
        raise ValidationError(
            _("The internal consultation of version %(number)d has ended.") % {"number": version.number}, code="closed"
        )
    block = _fresh(Block, block, version)
    text = _required(text, "text", _("Write the comment."))
    comment = InternalComment(version=version, block=block, block_key=block.key, author=actor, text=text)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def internal_comment_answer(*, actor, comment: InternalComment, status: str, resolution: str) -> InternalComment:
    """The editorial team marks a comment resolved, or rejected with the reason."""
    comment = InternalComment.objects.select_for_update().select_related("version").get(pk=comment.pk)
    require_permission(actor, "strategy.resolve_comment", comment.version)
    if comment.version.is_public:
        raise ValidationError(_("The internal consultation of this version has ended."), code="closed")
    if comment.status != CommentStatus.OPEN:
        raise ValidationError(_("This comment has already been answered."), code="answered")
    resolution = (resolution or "").strip()
    if status == CommentStatus.REJECTED and not resolution:
        raise ValidationError({"resolution": _("Give the reason for rejecting the comment: its author will read it.")})
    if status not in (CommentStatus.RESOLVED, CommentStatus.REJECTED):
        raise ValidationError({"status": _("Choose: resolved or rejected.")})
    comment.status, comment.resolution = status, resolution
    comment.resolved_by, comment.resolved_at = actor, timezone.now()
    comment.full_clean()
    comment.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    return comment
