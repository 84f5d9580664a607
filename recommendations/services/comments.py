"""Residents' comments (moderated) and the group's internal comments."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from lublin2030 import ratelimit
from lublin2030.permissions import require_permission
from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus
from stages.models import WindowKind
from stages.selectors import open_window
from stages.services import require_open_window

from ..models import (
    Comment,
    InternalComment,
    Recommendation,
)

# Comments --------------------------------------------------------------------------------------


@transaction.atomic
def internal_comment_add(*, actor, recommendation: Recommendation, text: str) -> InternalComment:
    require_permission(actor, "recommendations.write_internal_comment", recommendation)
    comment = InternalComment(recommendation=recommendation, author=actor, text=text.strip())
    comment.full_clean()
    comment.save()
    return comment


TOO_MANY_COMMENTS = ngettext_lazy(
    "You have sent too many comments in a short time. Please try again in %(minutes)d minute.",
    "You have sent too many comments in a short time. Please try again in %(minutes)d minutes.",
    "minutes",
)


@transaction.atomic
def comment_submit(*, actor, recommendation: Recommendation, text: str, ip_address: str | None = None) -> Comment:
    """A resident comments on a public recommendation while the comments window is open.

    Rate-limited per account and per address (RATE_LIMITS "comment:user", "comment:ip").
    """
    require_open_window(WindowKind.RECOMMENDATION_COMMENTS)
    require_permission(actor, "recommendations.comment_recommendation", recommendation)
    text = text.strip()
    if len(text) < Comment.TEXT_MIN_LENGTH:
        raise ValidationError({"text": _("Write at least %(min)d characters.") % {"min": Comment.TEXT_MIN_LENGTH}})
    hit = ratelimit.require(
        ratelimit.limit("comment:user", actor.pk), ratelimit.limit("comment:ip", ip_address), message=TOO_MANY_COMMENTS
    )
    window = open_window(WindowKind.RECOMMENDATION_COMMENTS)
    comment = Comment(recommendation=recommendation, author=actor, text=text, stage=window.stage if window else None)
    try:
        comment.full_clean()
        comment.save()
    except Exception:
        hit.undo()
        raise
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, publish: bool, reason: str = "") -> Comment:
    """Publish a pending comment, or reject a pending or published one with a reason; logged."""
    require_permission(actor, "recommendations.moderate_comment")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    reason = reason.strip()
    now = timezone.now()
    if publish:
        if comment.status != ModerationStatus.PENDING:
            raise ValidationError(_("Only a pending comment can be published."), code="transition")
        comment.status = ModerationStatus.PUBLISHED
        comment.published_at = now
        comment.rejection_reason = ""
        action = ModerationAction.PUBLISH
    else:
        if comment.status == ModerationStatus.REJECTED:
            raise ValidationError(_("This comment has already been rejected."), code="transition")
        if not reason:
            raise ValidationError({"reason": _("Give the reason for rejection: the author will see it.")})
        comment.status = ModerationStatus.REJECTED
        comment.rejection_reason = reason
        action = ModerationAction.REJECT
    comment.moderated_by = actor
    comment.moderated_at = now
    comment.full_clean()
    comment.save(update_fields=["status", "published_at", "rejection_reason", "moderated_by", "moderated_at"])
    ModerationLogEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        reason=reason,
    )
    return comment
