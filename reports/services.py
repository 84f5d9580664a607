"""Writes of the reports app: asking for a report, the steps the workers take, sweeping, publishing.

How a report is made (docs/reports.md has the picture):

1. `report_request` stores the row (queued) and, after commit, publishes `run_report(id, run)`. If the
   broker cannot be reached the row is marked failed at once with a message the person sees.
2. `report_execute` (task `run_report`) takes a snapshot of what to print. Small reports, and the
   opinions report when REPORTS_CHUNK_SIZE is 0, are rendered right there in one WeasyPrint pass.
   The opinions report is otherwise split into parts of about REPORTS_CHUNK_SIZE opinions plus the
   front matter; one `render_part` task per part goes through the broker, so any worker on any
   machine renders any part.
3. `part_render` writes one part's PDF and, under a row lock, counts it done; the task that
   completes the last part publishes `merge_report`.
4. `report_merge` renders the front matter again with the real page numbers (now known), joins
   the parts (reports.pdfmerge: structure tree kept, page footers stamped) and replaces the report's
   file atomically.

Every task names the report's `run`; a task of an older run does nothing. `heartbeat_at` moves at
every step; `reports_sweep` (periodic, and on read) re-queues or fails reports whose worker died.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from . import pdfmerge, rendering, selectors
from .models import ACTIVE_STATUSES, PartStatus, Report, ReportError, ReportKind, ReportPart, ReportStatus

logger = logging.getLogger(__name__)

FRONT_PART = 0
PROGRESS_STARTED = 2
PROGRESS_PLANNED = 5
PROGRESS_PARTS = 85  # share of the bar the parts fill; the merge takes it to 100


# --- files ---------------------------------------------------------------------------------------


def reports_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "reports"


def final_relative_path(report: Report) -> str:
    """One file per report: running it again replaces it."""
    return f"reports/{report.pk}.pdf"


def work_dir(report_id: int, run: int) -> Path:
    return reports_root() / "work" / f"{report_id}-{run}"


def part_path(report_id: int, run: int, index: int) -> Path:
    return work_dir(report_id, run) / f"part-{index:05d}.pdf"


def _replace_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")


# --- asking for a report -------------------------------------------------------------------------


def report_request(*, actor, kind: str, area=None, language: str = "pl") -> Report:
    """Store the request and queue it; the returned report says whether queuing worked."""
    require_permission(actor, "reports.request_report", message=_("Only coordinators may request reports."))
    if kind != ReportKind.OPINIONS:
        area = None
        if not selectors.recommendations_available():
            raise ValidationError(ReportError.UNAVAILABLE.label, code="unavailable")
    with transaction.atomic():
        report = Report(kind=kind, area=area, language=language, requested_by=actor, heartbeat_at=timezone.now())
        report.full_clean()
        report.save()
        transaction.on_commit(partial(publish_run, report.pk, report.run))
    report.refresh_from_db()
    return report


def report_retry(*, actor, report: Report) -> Report:
    """Make the report again (a new run): its file is replaced when the new one is ready."""
    require_permission(actor, "reports.request_report", message=_("Only coordinators may request reports."))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.is_active:
            raise ValidationError(_("This report is already being generated."), code="active")
        _new_run(report)
        report.requested_by = actor
        report.save()
        transaction.on_commit(partial(publish_run, report.pk, report.run))
    report.refresh_from_db()
    return report


def _new_run(report: Report) -> None:
    report.run += 1
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.parts_total = report.parts_done = 0
    report.error_code = report.error_detail = ""
    report.started_at = report.finished_at = None
    report.heartbeat_at = timezone.now()


BROKER_ERRORS: tuple[type[BaseException], ...] = (OSError, ConnectionError, TimeoutError)
try:  # kombu wraps connection errors in its own OperationalError
    from kombu.exceptions import OperationalError as KombuOperationalError

    BROKER_ERRORS += (KombuOperationalError,)
except ImportError:  # pragma: no cover
    pass
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BROKER_ERRORS += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    pass


def _dispatch(task, *args, retry_publish: bool = True) -> None:
    """Queue `task`; without a broker (eager mode, `make run`) run it here, the way a worker would.

    `task.apply(throw=False)` rather than the eager `apply_async`: retries then happen in place and a
    failure is recorded by the task's `on_failure` instead of propagating into the caller.
    """
    if task.app.conf.task_always_eager:
        task.apply(args=args, throw=False)
        return
    options = {} if retry_publish else {"retry": False}
    task.apply_async(args=args, ignore_result=True, **options)


def publish_run(report_id: int, run: int) -> None:
    """Queue the first step. One short attempt: a person is waiting (the transport bounds it to ~1 s)."""
    from . import tasks

    try:
        _dispatch(tasks.run_report, report_id, run, retry_publish=False)
    except BROKER_ERRORS as error:
        logger.warning("Report %s: the broker is unavailable (%s)", report_id, error)
        report_fail(report_id=report_id, run=run, code=ReportError.BROKER_UNAVAILABLE, detail=repr(error))


# --- the steps the workers take ------------------------------------------------------------------


def _live(report_id: int, run: int, *, lock: bool = False) -> Report | None:
    """The report, if this run is still the one wanted and still in progress."""
    queryset = Report.objects.select_for_update(of=("self",)) if lock else Report.objects
    report = queryset.select_related("area").filter(pk=report_id).first()
    if report is None or report.run != run or report.status not in ACTIVE_STATUSES:
        return None
    return report


def _touch(report_id: int, run: int, **fields) -> None:
    Report.objects.filter(pk=report_id, run=run, status__in=ACTIVE_STATUSES).update(
        heartbeat_at=timezone.now(), **fields
    )


def report_execute(*, report_id: int, run: int) -> None:
    """The first step on a worker: start, plan, and either render in one pass or queue the parts."""
    with transaction.atomic():
        report = _live(report_id, run, lock=True)
        if report is None:
            return
        already_planned = report.status == ReportStatus.RUNNING and report.parts_total > 0
        if not already_planned:
            report.status = ReportStatus.RUNNING
            report.started_at = report.started_at or timezone.now()
            report.heartbeat_at = timezone.now()
            report.progress = PROGRESS_STARTED
            report.save(update_fields=["status", "started_at", "heartbeat_at", "progress"])
    if already_planned:  # a redelivered message: the parts exist, make sure each is queued
        _queue_pending_parts(report)
        return
    with translation.override(report.language):
        if report.kind == ReportKind.OPINIONS and settings.REPORTS_CHUNK_SIZE > 0:
            plan = selectors.opinion_plan(area_id=report.area_id)
            if plan.total > 0:
                _plan_parts(report, plan)
                return
            _render_single(report, plan=plan)
        else:
            _render_single(report)


def _render_single(report: Report, *, plan: selectors.OpinionPlan | None = None) -> None:
    """The whole report in one WeasyPrint pass (small reports, or chunking switched off)."""
    if report.kind == ReportKind.OPINIONS:
        plan = plan or selectors.opinion_plan(area_id=report.area_id)
        names = selectors.reference_names()
        blocks = rendering.opinion_blocks(
            selectors.opinions_by_ids(plan.ids), None, names, rendering.group_counts(plan.groups)
        )
        html = rendering.opinions_front_html(
            report, summary=plan.summary, groups=plan.groups, names=names, single_pass=True, body=blocks
        )
    elif report.kind == ReportKind.WORKGROUPS:
        html = rendering.workgroups_html(report)
    else:
        html = rendering.verification_html(report)
    _touch(report.pk, report.run, progress=PROGRESS_PLANNED)
    target = reports_root() / f"{report.pk}.pdf"
    temporary = _temporary(target)
    try:
        rendered = rendering.render_html(html, temporary)
        _finish(report, temporary, rendered.pages)
    finally:
        temporary.unlink(missing_ok=True)


def _chunks(plan: selectors.OpinionPlan, size: int) -> list[tuple[int, int]]:
    """Slices of the plan of about `size` opinions, ending at a district's end when one is near.

    Each part starts on a new page, so cutting where a district ends anyway costs nothing, and a
    part that begins mid-district repeats its name on a plain line.
    """
    slices, start, total = [], 0, plan.total
    slack = max(1, size // 5)
    while start < total:
        end = min(start + size, total)
        if end < total:
            # the nearest group boundary within [end - slack, end + slack]
            best = None
            for candidate in range(max(start + 1, end - slack), min(total, end + slack) + 1):
                boundary = candidate == total or plan.keys[candidate] != plan.keys[candidate - 1]
                if boundary and (best is None or abs(candidate - end) < abs(best - end)):
                    best = candidate
            end = best or end
        slices.append((start, end))
        start = end
    return slices


def part_size(total: int) -> int:
    """REPORTS_CHUNK_SIZE, but small reports are still cut in REPORTS_MIN_PARTS so several processes
    share them (never below REPORTS_MIN_CHUNK_SIZE, where a part's fixed cost would dominate)."""
    shared = -(-total // max(1, settings.REPORTS_MIN_PARTS))
    return max(1, min(settings.REPORTS_CHUNK_SIZE, max(settings.REPORTS_MIN_CHUNK_SIZE, shared)))


def _plan_parts(report: Report, plan: selectors.OpinionPlan) -> None:
    slices = _chunks(plan, part_size(plan.total))
    digits = len(str(max(99, plan.total * 2 + 20)))
    parts = [
        ReportPart(
            report=report,
            run=report.run,
            index=FRONT_PART,
            spec={"front": True, "summary": plan.summary, "groups": plan.groups, "digits": digits},
        )
    ]
    for number, (start, end) in enumerate(slices, start=1):
        parts.append(
            ReportPart(
                report=report,
                run=report.run,
                index=number,
                spec={
                    "ids": plan.ids[start:end],
                    "before": list(plan.keys[start - 1]) if start > 0 else None,
                    "groups": plan.groups,
                },
            )
        )
    with transaction.atomic():
        live = _live(report.pk, report.run, lock=True)
        if live is None:
            return
        ReportPart.objects.filter(report=live).exclude(run=live.run).delete()
        ReportPart.objects.filter(report=live, run=live.run).delete()
        ReportPart.objects.bulk_create(parts)
        live.parts_total = len(parts)
        live.parts_done = 0
        live.progress = PROGRESS_PLANNED
        live.heartbeat_at = timezone.now()
        live.save(update_fields=["parts_total", "parts_done", "progress", "heartbeat_at"])
        transaction.on_commit(partial(_queue_pending_parts, live))


def _queue_pending_parts(report: Report) -> None:
    from . import tasks

    pending = ReportPart.objects.filter(report=report, run=report.run, status=PartStatus.PENDING).values_list(
        "pk", "index"
    )
    # Longest first, the short front matter last: the processes finish together (LPT scheduling).
    for part_id, _index in sorted(pending, key=lambda row: (row[1] == FRONT_PART, row[1])):
        _dispatch(tasks.render_part, part_id)


def part_render(*, part_id: int) -> None:
    """Render one part; the task completing the last part queues the merge."""
    part = ReportPart.objects.filter(pk=part_id).first()
    if part is None:
        return
    report = _live(part.report_id, part.run)
    if report is None:
        return
    if part.status == PartStatus.DONE:
        _queue_merge_if_complete(report.pk, report.run)
        return
    attempts = _count_attempt(part)
    if attempts > settings.REPORTS_PART_MAX_ATTEMPTS:
        report_fail(
            report_id=report.pk,
            run=report.run,
            code=ReportError.WORKER_LOST,
            detail=f"part {part.index} was started {attempts - 1} times without finishing",
        )
        return
    _touch(report.pk, report.run)
    target = part_path(report.pk, report.run, part.index)
    temporary = _temporary(target)
    try:
        with translation.override(report.language):
            rendered = _render_part_file(report, part, temporary)
        _replace_atomically(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    headings = [[name, page, left, top] for name, (page, left, top) in rendered.anchors.items()]
    with transaction.atomic():
        live = _live(report.pk, report.run, lock=True)
        if live is None:
            return
        locked = ReportPart.objects.select_for_update().get(pk=part.pk)
        if locked.status == PartStatus.DONE:
            return
        locked.status = PartStatus.DONE
        locked.page_count = rendered.pages
        locked.headings = headings
        locked.rendered_at = timezone.now()
        locked.seconds = round(rendered.seconds, 2)
        locked.save(update_fields=["status", "page_count", "headings", "rendered_at", "seconds"])
        live.parts_done += 1
        live.progress = PROGRESS_PLANNED + PROGRESS_PARTS * live.parts_done // max(1, live.parts_total)
        live.heartbeat_at = timezone.now()
        live.save(update_fields=["parts_done", "progress", "heartbeat_at"])
        if live.parts_done >= live.parts_total:
            transaction.on_commit(partial(_queue_merge, live.pk, live.run))


def _count_attempt(part: ReportPart) -> int:
    from django.db.models import F

    ReportPart.objects.filter(pk=part.pk).update(attempts=F("attempts") + 1)
    return ReportPart.objects.values_list("attempts", flat=True).get(pk=part.pk)


def _render_part_file(report: Report, part: ReportPart, target: Path) -> rendering.Rendered:
    names = selectors.reference_names()
    spec = part.spec
    if spec.get("front"):
        placeholder = rendering.placeholder_page(spec["digits"])
        html = rendering.opinions_front_html(
            report, summary=spec["summary"], groups=spec["groups"], names=names, page_of=lambda anchor: placeholder
        )
    else:
        opinions = selectors.opinions_by_ids(spec["ids"])
        before = tuple(spec["before"]) if spec.get("before") else None
        blocks = rendering.opinion_blocks(opinions, before, names, rendering.group_counts(spec["groups"]))
        html = rendering.opinions_part_html(report, blocks=blocks)
    return rendering.render_html(html, target)


def _queue_merge_if_complete(report_id: int, run: int) -> None:
    report = _live(report_id, run)
    if report and report.parts_total and report.parts_done >= report.parts_total:
        _queue_merge(report_id, run)


def _queue_merge(report_id: int, run: int) -> None:
    from . import tasks

    _dispatch(tasks.merge_report, report_id, run)


def report_merge(*, report_id: int, run: int) -> None:
    """Render the front matter with the real page numbers, join every part, replace the file."""
    report = _live(report_id, run)
    if report is None:
        return
    parts = list(selectors.parts_of(report))
    if not parts or any(part.status != PartStatus.DONE for part in parts) or parts[0].index != FRONT_PART:
        logger.warning("Report %s run %s: merge asked before every part was done", report_id, run)
        return
    _touch(report_id, run, progress=max(report.progress, PROGRESS_PLANNED + PROGRESS_PARTS))
    front, body = parts[0], parts[1:]
    names = selectors.reference_names()
    directory = work_dir(report_id, run)
    front_path = _temporary(directory / "front-final.pdf")
    started = time.perf_counter()
    with translation.override(report.language):
        front_pages = front.page_count
        for _attempt in range(4):
            starts = _part_starts(front_pages, body)
            located = _locate(body, starts)
            html = rendering.opinions_front_html(
                report,
                summary=front.spec["summary"],
                groups=front.spec["groups"],
                names=names,
                page_of=partial(_page_label, located),
            )
            rendered = rendering.render_html(html, front_path)
            if rendered.pages == front_pages:
                break
            front_pages = rendered.pages  # the numbers changed the length of the contents: once more
        else:
            raise RuntimeError("the front matter's length does not settle")
        destinations = [
            pdfmerge.Destination(name, page, left, top) for name, (page, left, top) in rendered.anchors.items()
        ] + [pdfmerge.Destination(name, page, left, top) for name, (page, left, top) in located.items()]
        # Names present in both (the contents' own link targets) must point at the body.
        unique = {}
        for destination in destinations:
            unique[destination.name] = destination
        outline = _outline(rendered.anchors, located, front.spec["groups"], names)
        front_seconds = time.perf_counter() - started
        target = reports_root() / f"{report.pk}.pdf"
        temporary = _temporary(target)
        try:
            pages = pdfmerge.merge(
                [front_path] + [part_path(report_id, run, part.index) for part in body],
                temporary,
                footer=rendering.footer_text,
                footer_font=rendering.FONT_REGULAR,
                skip_footer_pages=0,
                destinations=list(unique.values()),
                outline=outline,
            )
            merge_seconds = time.perf_counter() - started - front_seconds
            _finish(report, temporary, pages)
        finally:
            temporary.unlink(missing_ok=True)
            front_path.unlink(missing_ok=True)
    logger.info(
        "Report %s run %s: front matter %.1f s (%s tries), merge of %s parts %.1f s",
        report_id,
        run,
        front_seconds,
        _attempt + 1,
        len(parts),
        merge_seconds,
    )
    shutil.rmtree(directory, ignore_errors=True)


def _page_label(located: dict, anchor: str) -> str:
    return str(located[anchor][0] + 1) if anchor in located else "—"


def _part_starts(front_pages: int, body: list[ReportPart]) -> dict[int, int]:
    starts, page = {}, front_pages
    for part in body:
        starts[part.index] = page
        page += part.page_count
    return starts


def _locate(body: list[ReportPart], starts: dict[int, int]) -> dict[str, tuple[int, float, float]]:
    """Global (page index, left, top) of every anchor printed in the body parts."""
    located = {}
    for part in body:
        for name, page, left, top in part.headings:
            located[name] = (starts[part.index] + page, left, top)
    return located


def _outline(front_anchors: dict, located: dict, groups: list[dict], names) -> list[pdfmerge.OutlineItem]:
    items = []
    for anchor, title in (("contents", _("Contents")), ("summary", _("Summary"))):
        if anchor in front_anchors:
            page, _left, top = front_anchors[anchor]
            items.append(pdfmerge.OutlineItem(title, page, top))
    areas: dict[str, pdfmerge.OutlineItem] = {}
    for group in groups:
        area_anchor = rendering.area_anchor(group["area"])
        if area_anchor not in located:
            continue
        if area_anchor not in areas:
            page, _left, top = located[area_anchor]
            areas[area_anchor] = pdfmerge.OutlineItem(names.areas[group["area"]].name, page, top)
            items.append(areas[area_anchor])
        district_anchor = rendering.district_anchor(group["area"], group["district"])
        if district_anchor in located:
            page, _left, top = located[district_anchor]
            areas[area_anchor].children.append(pdfmerge.OutlineItem(names.districts[group["district"]].name, page, top))
    return items


def _finish(report: Report, temporary: Path, pages: int) -> None:
    relative = final_relative_path(report)
    target = Path(settings.PRIVATE_STORAGE_ROOT) / relative
    with transaction.atomic():
        live = _live(report.pk, report.run, lock=True)
        if live is None:  # asked again or swept meanwhile: this run's file is not wanted
            return
        _replace_atomically(temporary, target)
        live.status = ReportStatus.DONE
        live.progress = 100
        live.file = relative
        live.page_count = pages
        live.file_size = target.stat().st_size
        live.finished_at = timezone.now()
        live.heartbeat_at = live.finished_at
        live.error_code = live.error_detail = ""
        live.save(
            update_fields=[
                "status",
                "progress",
                "file",
                "page_count",
                "file_size",
                "finished_at",
                "heartbeat_at",
                "error_code",
                "error_detail",
            ]
        )
    logger.info("Report %s run %s: %s pages, %s bytes", report.pk, report.run, pages, live.file_size)


def report_fail(*, report_id: int, run: int, code: str, detail: str = "") -> bool:
    """Mark this run failed (if it is still the current one); returns whether it did."""
    with transaction.atomic():
        report = _live(report_id, run, lock=True)
        if report is None:
            return False
        report.status = ReportStatus.FAILED
        report.error_code = code
        report.error_detail = detail[:2000]
        report.finished_at = timezone.now()
        report.heartbeat_at = report.finished_at
        report.save(update_fields=["status", "error_code", "error_detail", "finished_at", "heartbeat_at"])
    shutil.rmtree(work_dir(report_id, run), ignore_errors=True)
    return True


# --- the sweeper ---------------------------------------------------------------------------------


def reports_sweep(*, now=None, stale_after: int | None = None, queued_after: int | None = None) -> dict:
    """Re-queue (or, after REPORTS_MAX_ATTEMPTS, fail) reports whose worker died or whose message was lost.

    A running report shows a sign of life at every step (start, each part, the merge); none for
    REPORTS_STALE_SECONDS, longer than any task may run, means its worker is gone. Runs every minute
    under Celery beat, and for the rows a staff page reads.
    """
    import datetime

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
                _new_run(report)
                report.attempts += 1
                report.save()
                transaction.on_commit(partial(publish_run, report.pk, report.run))
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


# --- publishing ----------------------------------------------------------------------------------


@transaction.atomic
def report_publish(*, actor, report: Report, stage) -> Report:
    """Show a finished report on a stage's public page; anyone may then download it."""
    require_permission(actor, "reports.publish_report", message=_("Only coordinators may publish reports."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_done:
        raise ValidationError(_("Only a finished report can be published."), code="not_done")
    report.published_stage = stage
    report.published_at = timezone.now()
    report.published_by = actor
    report.full_clean()
    report.save(update_fields=["published_stage", "published_at", "published_by"])
    return report


@transaction.atomic
def report_unpublish(*, actor, report: Report) -> Report:
    require_permission(actor, "reports.publish_report", message=_("Only coordinators may publish reports."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.published_stage = None
    report.published_at = None
    report.published_by = None
    report.save(update_fields=["published_stage", "published_at", "published_by"])
    return report
