"""The sweeper: reports whose worker died or whose message was lost are resumed, queued again, or failed."""

import datetime
import logging
import shutil

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lublin2030.queue import enqueue

from .. import selectors
from ..models import ACTIVE_STATUSES, PartStatus, Report, ReportError, ReportPart, ReportStatus
from .files import work_dir
from .liveness import lost_since
from .requests import new_run, queue_run

logger = logging.getLogger(__name__)


def reports_sweep(
    *, now=None, stale_after: int | None = None, queued_after: int | None = None, lost_after: int | None = None
) -> dict:
    """Resume, re-queue or (after REPORTS_MAX_ATTEMPTS) fail reports whose worker died or whose message was lost.

    A step that was rendering and stopped beating for REPORTS_LOST_AFTER_SECONDS lost its worker
    (services/liveness.py): its parts are queued again, a lost merge is queued again, a lost first
    step restarts the run. A running report with no sign of life at all for REPORTS_STALE_SECONDS,
    longer than any task may run, is restarted too. Runs every 30 seconds under Celery beat, and for
    the rows a staff page reads.
    """
    now = now or timezone.now()
    stale_after = settings.REPORTS_STALE_SECONDS if stale_after is None else stale_after
    queued_after = settings.REPORTS_QUEUED_TIMEOUT_SECONDS if queued_after is None else queued_after
    lost_after = settings.REPORTS_LOST_AFTER_SECONDS if lost_after is None else lost_after
    candidates = list(
        selectors.stale_reports(
            running_before=now - datetime.timedelta(seconds=stale_after),
            queued_before=now - datetime.timedelta(seconds=queued_after),
            lost_before=now - datetime.timedelta(seconds=lost_after),
        ).values_list("pk", flat=True)
    )
    outcome = {"requeued": [], "resumed": [], "failed": []}
    for report_id in candidates:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or report.heartbeat_at is None or report.status not in ACTIVE_STATUSES:
                continue
            silent = (now - report.heartbeat_at).total_seconds()
            lost = report.status == ReportStatus.RUNNING and (
                (report.active_steps and silent >= lost_after) or _silent_parts(report, now, lost_after).exists()
            )
            limit = stale_after if report.status == ReportStatus.RUNNING else queued_after
            if not lost and silent < limit:
                continue
            if lost and _resume(report, now=now, lost_after=lost_after):
                outcome["resumed"].append(report.pk)
                continue
            old_run = report.run
            if report.attempts < settings.REPORTS_MAX_ATTEMPTS:
                was_running = report.status == ReportStatus.RUNNING
                new_run(report)
                report.attempts += 1
                report.worker_lost_at = now if was_running else None
                report.save()
                queue_run(report)
                outcome["requeued"].append(report.pk)
            else:
                report.status = ReportStatus.FAILED
                report.error_code = ReportError.WORKER_LOST
                report.error_detail = f"no sign of life since {report.heartbeat_at.isoformat()} (run {old_run})"
                report.finished_at = now
                report.active_steps = 0
                report.save(update_fields=["status", "error_code", "error_detail", "finished_at", "active_steps"])
                outcome["failed"].append(report.pk)
        shutil.rmtree(work_dir(report_id, old_run), ignore_errors=True)
        logger.warning("Report %s run %s had no sign of life: %s", report_id, old_run, outcome)
    return outcome


def _resume(report: Report, *, now, lost_after: int) -> bool:
    """Queue again what the lost worker was doing, keeping the parts already made; False: restart the run.

    Parts whose worker stopped beating go back to the queue (their old message may still come back
    after the broker's visibility timeout: a part rendered twice is counted once). A lost merge is
    queued again. A lost first step (planning, or a report rendered in one pass) cannot be resumed.
    """
    from .. import tasks

    started = ReportPart.objects.filter(report=report, run=report.run, status=PartStatus.PENDING).exclude(worker="")
    lost = list(_silent_parts(report, now, lost_after).select_for_update())
    alive = started.count() - len(lost)
    step_lost = bool(report.worker) and (now - report.heartbeat_at).total_seconds() >= lost_after
    merging = bool(report.parts_total) and report.parts_done >= report.parts_total
    if step_lost and not merging:
        return False
    for part in lost:
        part.worker = ""
        part.save(update_fields=["worker"])
        enqueue(tasks.render_part, part.pk)
    if step_lost:
        enqueue(tasks.merge_report, report.pk, report.run)
    report.active_steps = alive
    report.worker = ""
    report.heartbeat_at = now
    if lost or step_lost:
        report.worker_lost_at = now
        logger.warning(
            "Report %s run %s: worker lost; %s parts and merge=%s queued again",
            report.pk,
            report.run,
            len(lost),
            step_lost,
        )
    report.save(update_fields=["active_steps", "worker", "heartbeat_at", "worker_lost_at"])
    return True


def _silent_parts(report: Report, now, lost_after: int):
    """Parts of the current run that a worker started and stopped beating for."""
    cutoff = now - datetime.timedelta(seconds=lost_after)
    return (
        ReportPart.objects.filter(report=report, run=report.run, status=PartStatus.PENDING)
        .exclude(worker="")
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None))
    )


def is_stale(report: Report, *, now=None) -> bool:
    if not report.is_active or report.heartbeat_at is None:
        return False
    if lost_since(report, now=now):
        return True
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
