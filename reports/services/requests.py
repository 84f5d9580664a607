"""Asking for a report and asking for it again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue

from .. import kinds, selectors
from ..models import Report, ReportError, ReportKind, ReportStatus


def report_request(
    *, actor, kind: str, area=None, language: str = "pl", subject_id: int | None = None, subject_label: str = ""
) -> Report:
    """Store the request and queue its first step after commit.

    A kind registered by another app (reports.kinds) prints one object of it: `subject_id`, named
    `subject_label`; the app checks that object may be printed before it asks.
    """
    require_permission(actor, "reports.request_report", message=_("Only coordinators may request reports."))
    if kinds.is_registered(kind) != (subject_id is not None):
        raise ValidationError(ReportError.UNAVAILABLE.label, code="subject")
    if kind != ReportKind.OPINIONS:
        area = None
        if not selectors.recommendations_available():
            raise ValidationError(ReportError.UNAVAILABLE.label, code="unavailable")
    with transaction.atomic(durable=True):
        report = Report(
            kind=kind,
            area=area,
            language=language,
            subject_id=subject_id,
            subject_label=subject_label[:300],
            requested_by=actor,
            heartbeat_at=timezone.now(),
        )
        report.full_clean()
        report.save()
        queue_run(report)
    report.refresh_from_db()
    return report


def report_retry(*, actor, report: Report) -> Report:
    """Make the report again (a new run): its file is replaced when the new one is ready."""
    require_permission(actor, "reports.request_report", message=_("Only coordinators may request reports."))
    with transaction.atomic(durable=True):
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.is_active:
            raise ValidationError(_("This report is already being generated."), code="active")
        new_run(report)
        report.requested_by = actor
        report.save()
        queue_run(report)
    report.refresh_from_db()
    return report


def new_run(report: Report) -> None:
    """Start the report afresh: a new run number makes every task of the old run do nothing."""
    report.run += 1
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.parts_total = report.parts_done = 0
    report.error_code = report.error_detail = ""
    report.started_at = report.finished_at = None
    report.heartbeat_at = timezone.now()
    report.active_steps = 0
    report.worker = ""
    report.worker_lost_at = None


def queue_run(report: Report) -> None:
    """Queue the first step of this run after commit; a broker outage keeps it in the outbox."""
    from .. import tasks

    enqueue(tasks.run_report, report.pk, report.run)
