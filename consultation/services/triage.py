"""The editorial team's work on the comments: assigning, grouping similar ones and answering every one.

Answers stay internal until the report is published; they can change until then. A change after the
report was generated takes the report back to "not generated" (it must be generated again, so the PDF and
the page never disagree with the answers).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from participation.models import ModerationStatus

from ..models import Answer, Comment, CommentGroup, Consultation

WORD = re.compile(r"\w+")


def _editable(consultation: Consultation) -> Consultation:
    """Lock the consultation; refuse once the report is published (the answers are then the city's record)."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.report_published_at:
        raise ValidationError(_("The report has been published: the answers are final."), code="report_published")
    return locked


def _report_outdated(consultation: Consultation) -> None:
    if consultation.report_generated_at:
        consultation.report_generated_at = None
        consultation.report_generated_by = None
        consultation.save(update_fields=["report_generated_at", "report_generated_by", "updated_at"])


def check_justification(justification: str) -> str:
    """At least a sentence: 20 characters and three words."""
    text = " ".join((justification or "").split())
    if len(text) < Comment.JUSTIFICATION_MIN_LENGTH or len(WORD.findall(text)) < 3:
        raise ValidationError(
            {
                "justification": _(
                    "Justify the answer in at least one full sentence (%(min)d characters or more): the report "
                    "publishes it beside the comment."
                )
                % {"min": Comment.JUSTIFICATION_MIN_LENGTH}
            },
            code="justification",
        )
    if len(text) > Comment.TEXT_MAX_LENGTH:
        raise ValidationError({"justification": _("At most %(max)d characters.") % {"max": Comment.TEXT_MAX_LENGTH}})
    return (justification or "").strip()


def _check_answer(answer: str) -> None:
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choose the answer.")}, code="answer")


def _comments(consultation: Consultation, comment_ids) -> list[int]:
    """The ids among `comment_ids` that are comments of this consultation the report lists (one query)."""
    ids = sorted({int(pk) for pk in comment_ids})
    found = list(
        Comment.objects.filter(consultation=consultation, pk__in=ids)
        .exclude(status=ModerationStatus.REJECTED)
        .values_list("pk", flat=True)
    )
    if not found:
        raise ValidationError(_("Choose at least one comment."), code="empty")
    return found


@transaction.atomic
def comment_answer(*, actor, comment: Comment, answer: str, justification: str) -> Comment:
    """The city's position on one comment, with its justification."""
    require_permission(actor, "consultation.answer_comment", comment)
    consultation = _editable(comment.consultation)
    _check_answer(answer)
    justification = check_justification(justification)
    comment = Comment.objects.select_for_update().get(pk=comment.pk, consultation=consultation)
    if comment.status == ModerationStatus.REJECTED:
        raise ValidationError(_("This comment was rejected in moderation: it is not answered."), code="rejected")
    comment.answer = answer
    comment.answer_justification = justification
    comment.answered_by = actor
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answer_justification", "answered_by", "answered_at", "updated_at"])
    _report_outdated(consultation)
    return comment


@transaction.atomic
def comments_answer_bulk(*, actor, consultation: Consultation, comment_ids, answer: str, justification: str) -> int:
    """The same answer and justification on each chosen comment (a group of similar ones); each still has its
    own row in the report. Four queries whatever the number: lock, permission-free read, one UPDATE, and the
    report's state."""
    require_permission(actor, "consultation.answer_comment", consultation)
    consultation = _editable(consultation)
    _check_answer(answer)
    justification = check_justification(justification)
    ids = _comments(consultation, comment_ids)
    now = timezone.now()
    updated = Comment.objects.filter(pk__in=ids).update(
        answer=answer, answer_justification=justification, answered_by=actor, answered_at=now, updated_at=now
    )
    _report_outdated(consultation)
    return updated


@transaction.atomic
def comments_assign(*, actor, consultation: Consultation, comment_ids, assignee) -> int:
    """Give comments to a person of the team to prepare their answers (None: to nobody)."""
    require_permission(actor, "consultation.answer_comment", consultation)
    consultation = _editable(consultation)
    if assignee is not None:
        assignee = get_user_model().objects.get(pk=assignee.pk)
        if not assignee.has_perm("consultation.answer_comment", consultation):
            raise ValidationError(
                {
                    "assignee": _("%(person)s does not answer comments (coordinators and the editorial team do).")
                    % {"person": assignee}
                },
                code="assignee",
            )
    ids = _comments(consultation, comment_ids)
    return Comment.objects.filter(pk__in=ids).update(assignee=assignee, updated_at=timezone.now())


@transaction.atomic
def group_create(*, actor, consultation: Consultation, title: str, comment_ids=()) -> CommentGroup:
    """A group of similar comments, to answer together."""
    require_permission(actor, "consultation.answer_comment", consultation)
    consultation = _editable(consultation)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the group a title.")})
    group = CommentGroup(consultation=consultation, title=title, created_by=actor)
    group.full_clean()
    group.save()
    if comment_ids:
        Comment.objects.filter(pk__in=_comments(consultation, comment_ids)).update(
            group=group, updated_at=timezone.now()
        )
    return group


@transaction.atomic
def comments_group(*, actor, consultation: Consultation, comment_ids, group: CommentGroup | None) -> int:
    """Put comments into a group (None: take them out of theirs)."""
    require_permission(actor, "consultation.answer_comment", consultation)
    consultation = _editable(consultation)
    if group is not None and group.consultation_id != consultation.pk:
        raise ValidationError(_("That group belongs to another consultation."), code="group")
    ids = _comments(consultation, comment_ids)
    return Comment.objects.filter(pk__in=ids).update(group=group, updated_at=timezone.now())


@transaction.atomic
def group_delete(*, actor, group: CommentGroup) -> None:
    """The group goes; its comments stay, each with its answer."""
    require_permission(actor, "consultation.answer_comment", group.consultation)
    _editable(group.consultation)
    Comment.objects.filter(group=group).update(group=None, updated_at=timezone.now())
    group.delete()
