"""Thin Celery tasks of the reports app: they take ids and call a service.

Every task acknowledges late and is rejected (so redelivered) when its worker process dies
(CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST); the services make a second delivery
harmless. Transient errors (database or broker connection) are retried with exponential backoff;
any other failure, a retry budget spent or the soft time limit marks the report failed.
"""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from lublin2030.queue import BROKER_ERRORS

from . import services
from .models import ReportError, ReportPart

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, *BROKER_ERRORS)


class ReportTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True
    autoretry_for = TRANSIENT_ERRORS
    max_retries = 4
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True

    def report_of(self, args, kwargs) -> tuple[int, int] | None:
        raise NotImplementedError

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The final failure (retries exhausted or a non-transient error): the report shows it."""
        target = self.report_of(args, kwargs)
        if target is None:
            return
        report_id, run = target
        code = ReportError.TIMEOUT if isinstance(exc, SoftTimeLimitExceeded) else ReportError.ERROR
        detail = f"{self.name}: {exc.__class__.__name__}: {exc}"[:2000]
        try:
            services.report_fail(report_id=report_id, run=run, code=code, detail=detail)
        except Exception:  # the database may be what failed; the sweeper will catch the report
            logger.exception("Could not mark report %s failed", report_id)


class ReportRunTask(ReportTask):
    def report_of(self, args, kwargs):
        values = list(args) + [kwargs.get("report_id"), kwargs.get("run")]
        return values[0], values[1]


class PartTask(ReportTask):
    def report_of(self, args, kwargs):
        part_id = args[0] if args else kwargs.get("part_id")
        part = ReportPart.objects.filter(pk=part_id).values_list("report_id", "run").first()
        return tuple(part) if part else None


@shared_task(base=ReportRunTask, bind=True, name="reports.tasks.run_report")
def run_report(self, report_id: int, run: int) -> None:
    services.report_execute(report_id=report_id, run=run)


@shared_task(base=PartTask, bind=True, name="reports.tasks.render_part")
def render_part(self, part_id: int) -> None:
    services.part_render(part_id=part_id)


@shared_task(base=ReportRunTask, bind=True, name="reports.tasks.merge_report")
def merge_report(self, report_id: int, run: int) -> None:
    services.report_merge(report_id=report_id, run=run)


@shared_task(name="reports.tasks.sweep_stale_reports", ignore_result=True)
def sweep_stale_reports() -> dict:
    return services.reports_sweep()
