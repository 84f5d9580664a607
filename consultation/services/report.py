"""The consultation report (art. 6 ust. 6 u.z.p.p.r.): generated once every comment has an answer, published
on the portal (HTML, and a PDF made by the reports pipeline), then each online commenter is e-mailed once.
Coordinators are reminded of the 30-day deadline (settings.CONSULTATION_REPORT_REMINDER_DAYS)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import ADMIN, COORDINATOR
from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from participation.models import ModerationStatus
from reports.models import Report, ReportKind

from ..models import Comment, CommentChannel, Consultation
from .moderation import public_comments_changed

logger = logging.getLogger(__name__)

# The report is a Polish public document: its PDF is Polish, the English pages link the same file.
PDF_LANGUAGE = "pl"


def report_problems(consultation: Consultation, *, today: datetime.date | None = None) -> list[str]:
    """What keeps the report from being generated (empty: it can be)."""
    today = today or timezone.localdate()
    problems = []
    if not consultation.announced_at:
        problems.append(_("The consultation has not been announced."))
    elif today <= consultation.ends_on:
        problems.append(
            _("Comments are accepted until %(end)s: the report is prepared after the deadline.")
            % {"end": consultation.ends_on.strftime("%d.%m.%Y")}
        )
    comments = Comment.objects.filter(consultation=consultation)
    pending = comments.filter(status=ModerationStatus.PENDING).count()
    if pending:
        problems.append(
            ngettext(
                "%(count)d comment still waits for moderation.",
                "%(count)d comments still wait for moderation.",
                pending,
            )
            % {"count": pending}
        )
    unanswered = comments.unanswered().count()
    if unanswered:
        problems.append(
            ngettext(
                "%(count)d comment has no answer yet: the report gives the city's position on every comment.",
                "%(count)d comments have no answer yet: the report gives the city's position on every comment.",
                unanswered,
            )
            % {"count": unanswered}
        )
    return problems


@transaction.atomic
def report_generate(*, actor, consultation: Consultation) -> Consultation:
    """Freeze the report's contents as they are and ask the worker for its PDF."""
    require_permission(actor, "consultation.generate_report", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.report_published_at:
        raise ValidationError(_("The report has already been published."), code="published")
    problems = report_problems(consultation)
    if problems:
        raise ValidationError(problems, code="not_ready")
    consultation.report_generated_at = timezone.now()
    consultation.report_generated_by = actor
    consultation.save(update_fields=["report_generated_at", "report_generated_by", "updated_at"])
    from .. import tasks

    enqueue(tasks.request_report_pdf, consultation.pk, actor.pk)
    return consultation


def report_pdf_request(*, actor, consultation: Consultation) -> Report | None:
    """Ask the reports pipeline for the PDF of the generated report (unless one is on its way for it)."""
    from reports.services import report_request

    require_permission(actor, "consultation.generate_report", consultation)
    consultation = Consultation.objects.get(pk=consultation.pk)
    if not consultation.report_generated_at:
        raise ValidationError(_("Generate the report first."), code="not_generated")
    current = Report.objects.filter(
        kind=ReportKind.CONSULTATION, subject_id=consultation.pk, queued_at__gte=consultation.report_generated_at
    )
    if current.exclude(status="failed").exists():
        return None
    with translation.override(PDF_LANGUAGE):
        label = _("Consultation report: %(title)s") % {"title": consultation.title}
    return report_request(
        actor=actor,
        kind=ReportKind.CONSULTATION,
        language=PDF_LANGUAGE,
        subject_id=consultation.pk,
        subject_label=label,
    )


@transaction.atomic
def report_publish(*, actor, consultation: Consultation) -> Consultation:
    """Publish the generated report: answers become public, and each online commenter is e-mailed once."""
    require_permission(actor, "consultation.publish_report", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.report_published_at:
        raise ValidationError(_("The report has already been published."), code="published")
    if not consultation.report_generated_at:
        raise ValidationError(_("Generate the report first: it is published as generated."), code="not_generated")
    consultation.report_published_at = timezone.now()
    consultation.report_published_by = actor
    consultation.save(update_fields=["report_published_at", "report_published_by", "updated_at"])
    public_comments_changed(consultation.pk)
    from .. import tasks

    enqueue(tasks.notify_commenters, consultation.pk)
    return consultation


# E-mails -------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _bilingual(template: str, context: dict, subject) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in ("pl", "en"):
        with translation.override(language):
            subjects.append(str(subject(context)))
            bodies.append(render_to_string(template, context).strip())
    subject_line = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subjects[0]} / {subjects[1]}"
    return subject_line, bodies[0] + "\n\n---------- English ----------\n\n" + bodies[1] + "\n"


def commenters_notify(*, consultation_id: int) -> list[int]:
    """One e-mail per online commenter with a link to the answer to each of their comments; each comment is
    marked told, so a retry never sends twice. Returns the ids of the authors whose e-mail failed."""
    consultation = Consultation.objects.get(pk=consultation_id)
    if not consultation.report_published_at:
        return []
    comments = (
        Comment.objects.in_report()
        .filter(consultation=consultation, channel=CommentChannel.ONLINE, notified_at__isnull=True)
        .filter(author__isnull=False, author__is_active=True)
        .select_related("author")
        .order_by("author_id", "number")
    )
    by_author: dict[int, list[Comment]] = {}
    for comment in comments:
        by_author.setdefault(comment.author_id, []).append(comment)
    failed = []
    for author_id, own in by_author.items():
        author = own[0].author
        if not author.email:
            continue
        context = {
            "consultation": consultation,
            "comments": [(comment, _absolute(comment.get_absolute_url())) for comment in own],
            "report_url": _absolute(reverse("consultation:report", kwargs={"pk": consultation.pk})),
            "process_name": settings.PROCESS_NAME,
        }
        subject, body = _bilingual(
            "consultation/email/answers.txt", context, lambda c: _("The city's answer to your consultation comment")
        )
        try:
            EmailMessage(subject=subject, body=body, to=[author.email]).send()
        except Exception:
            logger.exception("Could not e-mail the answers of consultation %s to user %s", consultation_id, author_id)
            failed.append(author_id)
            continue
        Comment.objects.filter(pk__in=[comment.pk for comment in own]).update(notified_at=timezone.now())
    return failed


def _coordinators():
    return (
        get_user_model()
        .objects.filter(Q(groups__name=COORDINATOR) | Q(groups__name=ADMIN), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the coordinators of the report deadline 7 and 2 days before it (settings), once each.

    Run daily by beat; a day missed is caught up the next day (the e-mail says how many days are left).
    Returns how many reminders were sent.
    """
    today = today or timezone.localdate()
    days = sorted(settings.CONSULTATION_REPORT_REMINDER_DAYS, reverse=True)
    sent = 0
    candidates = Consultation.objects.filter(
        announced_at__isnull=False, report_published_at__isnull=True, ends_on__lt=today
    )
    for consultation in candidates:
        left = (consultation.report_due_on - today).days
        due = [day for day in days if left <= day and day not in consultation.reminders_sent]
        if not due or left < 0:
            continue
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            due = [day for day in due if day not in locked.reminders_sent]
            if not due:
                continue
            _send_reminder(locked, left)
            locked.reminders_sent = sorted(set(locked.reminders_sent) | set(due), reverse=True)
            locked.save(update_fields=["reminders_sent", "updated_at"])
        sent += 1
    return sent


def _send_reminder(consultation: Consultation, left: int) -> None:
    unanswered = Comment.objects.filter(consultation=consultation).unanswered().count()
    context = {
        "consultation": consultation,
        "days_left": left,
        "due_on": consultation.report_due_on,
        "unanswered": unanswered,
        "dashboard_url": _absolute(reverse("consultation:staff_dashboard", kwargs={"pk": consultation.pk})),
        "process_name": settings.PROCESS_NAME,
    }
    subject, body = _bilingual(
        "consultation/email/reminder.txt",
        context,
        lambda c: (
            ngettext(
                "The consultation report is due in %(days)d day",
                "The consultation report is due in %(days)d days",
                c["days_left"],
            )
            % {"days": c["days_left"]}
        ),
    )
    recipients = [user.email for user in _coordinators()]
    if recipients:
        EmailMessage(subject=subject, body=body, to=recipients[:1], bcc=recipients[1:]).send()
