"""Moderation of comments for abuse: the same as opinions' (publish, or reject with a reason the author reads),
logged in participation's generic moderation log. Moderation is about abuse only: the city's position on a
comment is its answer (triage.py), not this.

A comment rejected here is not shown and not answered; the report counts it with its reason.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030 import versions
from lublin2030.permissions import require_permission
from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus

from ..models import Comment, Consultation

ACTIONS = (ModerationAction.PUBLISH, ModerationAction.REJECT)


def public_version_name(consultation_id: int) -> str:
    """The name under which the consultation's public pages are cached (lublin2030.versions)."""
    return f"consultation:{consultation_id}"


def public_comments_changed(consultation_id: int) -> None:
    """Call from every write that changes what the public reads about the consultation's comments."""
    versions.bump(public_version_name(consultation_id))


def log_entries(*, actor, action: str, comment_ids: list[int], reason: str = "") -> None:
    content_type = ContentType.objects.get_for_model(Comment)
    ModerationLogEntry.objects.bulk_create(
        [
            ModerationLogEntry(actor=actor, action=action, content_type=content_type, object_id=pk, reason=reason)
            for pk in comment_ids
        ],
        batch_size=1000,
    )


def _apply(comment: Comment, *, actor, action: str, reason: str, now) -> None:
    """Change one locked comment in memory; refuse a decision it already has."""
    if action == ModerationAction.PUBLISH:
        if comment.status == ModerationStatus.PUBLISHED:
            raise ValidationError(_("Comment no. %(number)d is already published.") % {"number": comment.number})
        comment.status = ModerationStatus.PUBLISHED
        comment.rejection_reason = ""
        comment.published_at = comment.published_at or now
    elif action == ModerationAction.REJECT:
        if comment.status == ModerationStatus.REJECTED:
            raise ValidationError(_("Comment no. %(number)d is already rejected.") % {"number": comment.number})
        comment.status = ModerationStatus.REJECTED
        comment.rejection_reason = reason
    else:
        raise ValidationError(_("Unknown moderation action."), code="invalid_action")
    comment.moderated_by = actor
    comment.moderated_at = now


def _check(consultation: Consultation, action: str, reason: str) -> None:
    if consultation.report_generated_at:
        raise ValidationError(
            _("The report has been generated: its comments are no longer moderated."), code="report_generated"
        )
    if action == ModerationAction.REJECT and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting: the author will read it.")}, code="required")


FIELDS = ["status", "rejection_reason", "published_at", "moderated_by", "moderated_at", "updated_at"]


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, action: str, reason: str = "") -> Comment:
    """Publish a pending comment, or reject one (pending or published) for abuse with a reason; logged."""
    require_permission(actor, "consultation.moderate_comment", comment)
    reason = (reason or "").strip()
    locked = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
    _check(locked.consultation, action, reason)
    _apply(locked, actor=actor, action=action, reason=reason, now=timezone.now())
    locked.save(update_fields=FIELDS)
    log_entries(actor=actor, action=action, comment_ids=[locked.pk], reason=reason)
    public_comments_changed(locked.consultation_id)
    return locked


@transaction.atomic(durable=True)
def comments_moderate_bulk(
    *, actor, consultation: Consultation, comment_ids: list[int], action: str, reason: str = ""
) -> dict:
    """The same decision for many comments of one consultation; those already in that state are skipped.

    A constant number of queries whatever the count: one locking read, one UPDATE, one INSERT of the log.
    """
    require_permission(actor, "consultation.moderate_comment", consultation)
    reason = (reason or "").strip()
    if action not in ACTIONS:
        raise ValidationError(_("Unknown moderation action."), code="invalid_action")
    _check(consultation, action, reason)
    now = timezone.now()
    changed, skipped = [], []
    queryset = Comment.objects.select_for_update().filter(consultation=consultation, pk__in=set(comment_ids))
    for comment in queryset.order_by("pk"):
        try:
            _apply(comment, actor=actor, action=action, reason=reason, now=now)
        except ValidationError:
            skipped.append(comment.pk)
            continue
        comment.updated_at = now  # bulk_update does not run auto_now
        changed.append(comment)
    if changed:
        Comment.objects.bulk_update(changed, FIELDS, batch_size=500)
        log_entries(actor=actor, action=action, comment_ids=[comment.pk for comment in changed], reason=reason)
        public_comments_changed(consultation.pk)
    return {"done": [comment.pk for comment in changed], "skipped": skipped}
