"""Signs of life while a worker renders, so that a dead worker is noticed in seconds, not minutes.

Every step that renders (the run's first step, each part, the merge) runs inside `working()`: it
counts itself in `Report.active_steps`, names its process in `worker` (the part's, or the report's
for the run and the merge), and a thread touches `heartbeat_at` every REPORTS_HEARTBEAT_SECONDS
while WeasyPrint works. A report that has steps in progress but no heartbeat for
REPORTS_LOST_AFTER_SECONDS has lost a worker: the sweeper (every 30 seconds, and whenever a staff
page shows the report) queues the lost parts again, or restarts the run, and the report page says
so. A report whose parts only wait in the queue has no step in progress and is not mistaken for
a dead one; the long REPORTS_STALE_SECONDS stays the backstop for lost messages.
"""

import logging
import os
import socket
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from ..models import ACTIVE_STATUSES, Report, ReportPart

logger = logging.getLogger(__name__)


def worker_id() -> str:
    """This process, as the sweeper and the logs name it (read at call time: pool processes fork)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


@contextmanager
def working(report_id: int, run: int, *, part_id: int | None = None):
    """Count this step as in progress and beat while it runs; uncount it however it ends."""
    now, me = timezone.now(), worker_id()
    started = {"active_steps": F("active_steps") + 1, "heartbeat_at": now}
    if part_id is None:
        started["worker"] = me
    Report.objects.filter(pk=report_id, run=run).update(**started)
    if part_id is not None:
        ReportPart.objects.filter(pk=part_id).update(worker=me, heartbeat_at=now)
    stop = threading.Event()
    beat = threading.Thread(
        target=_beat, args=(stop, report_id, run, part_id), name=f"report-{report_id}-heartbeat", daemon=True
    )
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join(timeout=5)
        ended = {"active_steps": Greatest(F("active_steps") - 1, Value(0))}
        if part_id is None:
            ended["worker"] = ""
        Report.objects.filter(pk=report_id, run=run).update(**ended)


def _beat(stop: threading.Event, report_id: int, run: int, part_id: int | None) -> None:
    try:
        while not stop.wait(settings.REPORTS_HEARTBEAT_SECONDS):
            now = timezone.now()
            try:
                Report.objects.filter(pk=report_id, run=run, status__in=ACTIVE_STATUSES).update(heartbeat_at=now)
                if part_id is not None:
                    ReportPart.objects.filter(pk=part_id).update(heartbeat_at=now)
            except DatabaseError:  # the step itself will meet the outage and fail or retry
                logger.warning("Report %s: heartbeat not written", report_id, exc_info=True)
    finally:
        connections.close_all()  # this thread's own connections


def lost_since(report: Report, *, now=None) -> bool:
    """Whether a step of this report was rendering and has stopped beating (no query)."""
    if report.status not in ACTIVE_STATUSES or not report.active_steps or report.heartbeat_at is None:
        return False
    return ((now or timezone.now()) - report.heartbeat_at).total_seconds() >= settings.REPORTS_LOST_AFTER_SECONDS
