"""Attachments of the working version, and documents of a checklist item."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import files
from ..models import Attachment, ChecklistItem, StrategyVersion
from .common import _checklist_version, _editable_version, _title, _touch


@transaction.atomic
def attachment_add(
    *,
    actor,
    version: StrategyVersion,
    upload,
    title: str,
    kind: str,
    checklist_item: ChecklistItem | None = None,
    listed_publicly: bool = True,
) -> Attachment:
    """A file of the working version (the team), or a document of a checklist item (coordinators)."""
    if checklist_item is None:
        version = _editable_version(actor, version)
    else:
        version = _checklist_version(actor, version)
        if checklist_item.version_id != version.pk:
            raise ValidationError(_("That checklist item belongs to another version."), code="item")
    title = _title(title, Attachment.TITLE_MAX_LENGTH)
    stored = files.store(upload)
    attachment = Attachment(
        version=version,
        checklist_item=checklist_item,
        title=title,
        kind=kind,
        file=stored.relative,
        original_name=(getattr(upload, "name", "") or "")[:255],
        content_type=stored.kind.content_type,
        extension=stored.kind.extension,
        size=stored.size,
        sha256=stored.sha256,
        listed_publicly=listed_publicly,
        uploaded_by=actor,
    )
    try:
        attachment.full_clean(validate_constraints=False)
    except ValidationError:
        if not Attachment.objects.filter(file=stored.relative).exists():
            files.discard(stored.relative)
        raise
    attachment.save()
    if checklist_item is None:
        _touch(version)
    return attachment


def _drop_attachment(attachment: Attachment) -> None:
    relative = attachment.file
    attachment.delete()
    if not Attachment.objects.filter(file=relative).exists():
        transaction.on_commit(lambda: files.discard(relative))


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    if attachment.checklist_item_id is None:
        version = _editable_version(actor, attachment.version)
    else:
        version = _checklist_version(actor, attachment.version)
    attachment = Attachment.objects.filter(pk=attachment.pk, version=version).first()
    if attachment is not None:
        _drop_attachment(attachment)
