"""The last step: the front matter again with the real page numbers, then every part joined into one PDF."""

import logging
import shutil
import time
from functools import partial

from django.utils import translation
from django.utils.translation import gettext as _

from .. import kinds, pdfmerge, rendering, selectors
from ..models import PartStatus, ReportPart
from . import part_cache
from .files import part_file, reports_root, temporary_path, work_dir
from .liveness import working
from .pipeline import FRONT_PART, PROGRESS_PARTS, PROGRESS_PLANNED, finish, live_report, touch

logger = logging.getLogger(__name__)


def report_merge(*, report_id: int, run: int) -> None:
    """Render the front matter with the real page numbers, join every part, replace the file."""
    report = live_report(report_id, run)
    if report is None:
        return
    parts = list(selectors.parts_of(report))
    if not parts or any(part.status != PartStatus.DONE for part in parts) or parts[0].index != FRONT_PART:
        logger.warning("Report %s run %s: merge asked before every part was done", report_id, run)
        return
    with working(report_id, run):
        _merge(report, parts)


def _merge(report, parts: list[ReportPart]) -> None:
    report_id, run = report.pk, report.run
    touch(report_id, run, progress=max(report.progress, PROGRESS_PLANNED + PROGRESS_PARTS))
    front, body = parts[0], parts[1:]
    names = selectors.reference_names()
    directory = work_dir(report_id, run)
    front_path = temporary_path(directory / "front-final.pdf")
    started = time.perf_counter()
    with translation.override(report.language):
        front_pages = front.page_count
        for _attempt in range(4):
            starts = _part_starts(front_pages, body)
            located = _locate(body, starts)
            html = _front_html(report, front.spec, names, partial(_page_label, located))
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
        cutting = kinds.parts(report.kind)
        if cutting is not None:
            outline = cutting.outline(report, rendered.anchors, located, front.spec)
        else:
            outline = _outline(rendered.anchors, located, front.spec["groups"], names)
        front_seconds = time.perf_counter() - started
        target = reports_root() / f"{report.pk}.pdf"
        temporary = temporary_path(target)
        try:
            pages = pdfmerge.merge(
                [front_path] + [part_file(part) for part in body],
                temporary,
                footer=rendering.footer_text,
                footer_font=rendering.FONT_REGULAR,
                skip_footer_pages=0,
                destinations=list(unique.values()),
                outline=outline,
            )
            merge_seconds = time.perf_counter() - started - front_seconds
            finish(report, temporary, pages)
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
    part_cache.prune(report_id)


def _front_html(report, spec: dict, names, page_of) -> str:
    """The front matter with the real page numbers: the opinions report's, or a registered kind's."""
    cutting = kinds.parts(report.kind)
    if cutting is not None:
        return cutting.render_front(report, spec, page_of)
    return rendering.opinions_front_html(
        report, summary=spec["summary"], groups=spec["groups"], names=names, page_of=page_of
    )


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
