"""The steps the workers take: start and plan a run, render it in one pass or in parts, finish or fail it.

The merge of the parts is in `merge.py`.
"""

import logging
import shutil
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from lublin2030.queue import enqueue

from .. import kinds, rendering, selectors
from ..models import ACTIVE_STATUSES, PartStatus, Report, ReportError, ReportKind, ReportPart, ReportStatus
from . import part_cache
from .files import final_relative_path, part_file, replace_atomically, reports_root, temporary_path, work_dir
from .liveness import working

logger = logging.getLogger(__name__)

FRONT_PART = 0
PROGRESS_STARTED = 2
PROGRESS_PLANNED = 5
PROGRESS_PARTS = 85  # share of the bar the parts fill; the merge takes it to 100


def live_report(report_id: int, run: int, *, lock: bool = False) -> Report | None:
    """The report, if this run is still the one wanted and still in progress."""
    queryset = Report.objects.select_for_update(of=("self",)) if lock else Report.objects
    report = queryset.select_related("area").filter(pk=report_id).first()
    if report is None or report.run != run or report.status not in ACTIVE_STATUSES:
        return None
    return report


def touch(report_id: int, run: int, **fields) -> None:
    Report.objects.filter(pk=report_id, run=run, status__in=ACTIVE_STATUSES).update(
        heartbeat_at=timezone.now(), **fields
    )


def report_execute(*, report_id: int, run: int) -> None:
    """The first step on a worker: start, plan, and either render in one pass or queue the parts."""
    with transaction.atomic():
        report = live_report(report_id, run, lock=True)
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
    with translation.override(report.language), working(report.pk, report.run):
        if report.kind == ReportKind.OPINIONS and settings.REPORTS_CHUNK_SIZE > 0:
            plan = selectors.opinion_plan(area_id=report.area_id)
            if plan.total > 0:
                _plan_parts(report, plan)
                return
            _render_single(report, plan=plan)
        elif not _plan_kind_parts(report):
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
    elif kinds.is_registered(report.kind):
        html = kinds.render(report)
    else:
        html = rendering.verification_html(report)
    touch(report.pk, report.run, progress=PROGRESS_PLANNED)
    target = reports_root() / f"{report.pk}.pdf"
    temporary = temporary_path(target)
    try:
        rendered = rendering.render_html(html, temporary)
        finish(report, temporary, rendered.pages)
    finally:
        temporary.unlink(missing_ok=True)


def part_size(total: int) -> int:
    """REPORTS_CHUNK_SIZE, but small reports are still cut in REPORTS_MIN_PARTS so several processes
    share them (never below REPORTS_MIN_CHUNK_SIZE, where a part's fixed cost would dominate)."""
    shared = -(-total // max(1, settings.REPORTS_MIN_PARTS))
    return max(1, min(settings.REPORTS_CHUNK_SIZE, max(settings.REPORTS_MIN_CHUNK_SIZE, shared)))


def _plan_parts(report: Report, plan: selectors.OpinionPlan) -> None:
    """The front matter and the parts, cut where the content says; parts an earlier report rendered
    with the same content key are taken from it, done, instead of rendered again (part_cache.py)."""
    slices = part_cache.stable_slices(plan.ids, plan.keys, part_size(plan.total))
    digits = len(str(max(99, plan.total * 2 + 20)))
    names, counts = selectors.reference_names(), rendering.group_counts(plan.groups)
    keys = [part_cache.opinion_part_key(report, plan, start, end, names, counts) for start, end in slices]
    reusable = part_cache.reusable_parts(report, keys)
    parts = [
        ReportPart(
            report=report,
            run=report.run,
            index=FRONT_PART,
            spec={"front": True, "summary": plan.summary, "groups": plan.groups, "digits": digits},
        )
    ]
    for number, ((start, end), key) in enumerate(zip(slices, keys, strict=True), start=1):
        part = ReportPart(
            report=report,
            run=report.run,
            index=number,
            key=key,
            spec={
                "ids": plan.ids[start:end],
                "before": list(plan.keys[start - 1]) if start > 0 else None,
                "groups": plan.groups,
            },
        )
        source = reusable.get(key)
        if source is not None and part_cache.adopt(report.pk, source):
            part.status, part.reused, part.seconds = PartStatus.DONE, True, 0.0
            part.page_count, part.headings, part.rendered_at = source.page_count, source.headings, timezone.now()
        parts.append(part)
    _store_parts(report, parts)


def _plan_kind_parts(report: Report) -> bool:
    """A kind registered with parts (reports.kinds) is cut as its app plans; False: it is rendered in one pass."""
    cutting = kinds.parts(report.kind)
    planned = cutting.plan(report) if cutting is not None and settings.REPORTS_CHUNK_SIZE > 0 else None
    if not planned:
        return False
    front, specs = planned
    parts = [ReportPart(report=report, run=report.run, index=FRONT_PART, spec={**front, "front": True})]
    parts += [ReportPart(report=report, run=report.run, index=n, spec=spec) for n, spec in enumerate(specs, start=1)]
    _store_parts(report, parts)
    return True


def _store_parts(report: Report, parts: list[ReportPart]) -> None:
    with transaction.atomic():
        live = live_report(report.pk, report.run, lock=True)
        if live is None:
            return
        ReportPart.objects.filter(report=live).exclude(run=live.run).delete()
        ReportPart.objects.filter(report=live, run=live.run).delete()
        ReportPart.objects.bulk_create(parts)
        live.parts_total = len(parts)
        live.parts_done = sum(part.status == PartStatus.DONE for part in parts)
        live.progress = PROGRESS_PLANNED
        live.heartbeat_at = timezone.now()
        live.save(update_fields=["parts_total", "parts_done", "progress", "heartbeat_at"])
        transaction.on_commit(partial(_queue_pending_parts, live))


def _queue_pending_parts(report: Report) -> None:
    from .. import tasks

    pending = ReportPart.objects.filter(report=report, run=report.run, status=PartStatus.PENDING).values_list(
        "pk", "index"
    )
    # Longest first, the short front matter last: the processes finish together (LPT scheduling).
    for part_id, _index in sorted(pending, key=lambda row: (row[1] == FRONT_PART, row[1])):
        enqueue(tasks.render_part, part_id)


def part_render(*, part_id: int) -> None:
    """Render one part; the task completing the last part queues the merge."""
    part = ReportPart.objects.filter(pk=part_id).first()
    if part is None:
        return
    report = live_report(part.report_id, part.run)
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
    with working(report.pk, report.run, part_id=part.pk):
        _render_and_count(report, part)


def _render_and_count(report: Report, part: ReportPart) -> None:
    touch(report.pk, report.run)
    target = part_file(part)
    temporary = temporary_path(target)
    try:
        with translation.override(report.language):
            rendered = _render_part_file(report, part, temporary)
        replace_atomically(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    headings = [[name, page, left, top] for name, (page, left, top) in rendered.anchors.items()]
    with transaction.atomic():
        live = live_report(report.pk, report.run, lock=True)
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
            _queue_merge(live.pk, live.run)


def _count_attempt(part: ReportPart) -> int:
    ReportPart.objects.filter(pk=part.pk).update(attempts=F("attempts") + 1)
    return ReportPart.objects.values_list("attempts", flat=True).get(pk=part.pk)


def _render_part_file(report: Report, part: ReportPart, target: Path) -> rendering.Rendered:
    spec = part.spec
    cutting = kinds.parts(report.kind)
    if cutting is not None:
        if spec.get("front"):
            placeholder = rendering.placeholder_page(spec["digits"])
            return rendering.render_html(cutting.render_front(report, spec, lambda anchor: placeholder), target)
        return rendering.render_html(cutting.render_part(report, spec), target)
    names = selectors.reference_names()
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
    report = live_report(report_id, run)
    if report and report.parts_total and report.parts_done >= report.parts_total:
        _queue_merge(report_id, run)


def _queue_merge(report_id: int, run: int) -> None:
    from .. import tasks

    enqueue(tasks.merge_report, report_id, run)


def finish(report: Report, temporary: Path, pages: int) -> None:
    relative = final_relative_path(report)
    target = Path(settings.PRIVATE_STORAGE_ROOT) / relative
    with transaction.atomic():
        live = live_report(report.pk, report.run, lock=True)
        if live is None:  # asked again or swept meanwhile: this run's file is not wanted
            return
        replace_atomically(temporary, target)
        live.status = ReportStatus.DONE
        live.progress = 100
        live.file = relative
        live.page_count = pages
        live.file_size = target.stat().st_size
        live.finished_at = timezone.now()
        live.heartbeat_at = live.finished_at
        live.error_code = live.error_detail = ""
        live.worker_lost_at = None
        live.save(
            update_fields=[
                "worker_lost_at",
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
        report = live_report(report_id, run, lock=True)
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
