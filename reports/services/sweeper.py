"""The sweeper: reports whose worker died or whose message was lost are queued again, or failed."""

import datetime
import logging
import shutil

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import selectors
from ..models import ACTIVE_STATUSES, Report, ReportError, ReportStatus
from .files import work_dir
from .requests import new_run, queue_run

logger = logging.getLogger(__name__)


def reports_sweep(*, now=None, stale_after: int | None = None, queued_after: int | None = None) -> dict:
    """Re-queue (or, after REPORTS_MAX_ATTEMPTS, fail) reports whose worker died or whose message was lost.

    A running report shows a sign of life at every step (start, each part, the merge); none for
    REPORTS_STALE_SECONDS, longer than any task may run, means its worker is gone. Runs every minute
    under Celery beat, and for the rows a staff page reads.
    """
    now = now or timezone.now()
    stale_after = settings.REPORTS_STALE_SECONDS if stale_after is None else stale_after
    queued_after = settings.REPORTS_QUEUED_TIMEOUT_SECONDS if queued_after is None else queued_after
    candidates = list(
        selectors.stale_reports(
            running_before=now - datetime.timedelta(seconds=stale_after),
            queued_before=now - datetime.timedelta(seconds=queued_after),
        ).values_list("pk", flat=True)
    )
    outcome = {"requeued": [], "failed": []}
    for report_id in candidates:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or report.heartbeat_at is None:
                continue
            limit = stale_after if report.status == ReportStatus.RUNNING else queued_after
            if report.status not in ACTIVE_STATUSES or (now - report.heartbeat_at).total_seconds() < limit:
                continue
            old_run = report.run
            if report.attempts < settings.REPORTS_MAX_ATTEMPTS:
                new_run(report)
                report.attempts += 1
                report.save()
                queue_run(report)
                outcome["requeued"].append(report.pk)
            else:
                report.status = ReportStatus.FAILED
                report.error_code = ReportError.WORKER_LOST
                report.error_detail = f"no sign of life since {report.heartbeat_at.isoformat()} (run {old_run})"
                report.finished_at = now
                report.save(update_fields=["status", "error_code", "error_detail", "finished_at"])
                outcome["failed"].append(report.pk)
        shutil.rmtree(work_dir(report_id, old_run), ignore_errors=True)
        logger.warning("Report %s run %s had no sign of life: %s", report_id, old_run, outcome)
    return outcome


def is_stale(report: Report, *, now=None) -> bool:
    if not report.is_active or report.heartbeat_at is None:
        return False
    if report.status == ReportStatus.RUNNING:
        limit = settings.REPORTS_STALE_SECONDS
    else:
        limit = settings.REPORTS_QUEUED_TIMEOUT_SECONDS
    return ((now or timezone.now()) - report.heartbeat_at).total_seconds() >= limit


def report_sweep_if_stale(report: Report) -> Report:
    """The on-read sweep: a staff page showing a report checks it is not stuck."""
    if not is_stale(report):
        return report
    reports_sweep()
    report.refresh_from_db()
    return report
