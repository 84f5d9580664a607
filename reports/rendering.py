"""HTML for the reports and its conversion to tagged PDF by WeasyPrint.

Every function here must be called with the report's language active (`translation.override`).
Nothing here writes to the database; services.py decides what to render and stores the outcome.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import gc
import logging
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stages.models import pick_language

from . import selectors

# WeasyPrint logs every page it lays out at INFO ("Step 5 - Creating layout - Page 2817"): thousands
# of lines per report in the worker's log. Its warnings and errors still come through.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


# The versions the patch below was written for and tested against; requirements.txt pins them and
# ReportsConfig.ready() refuses to start with any other (docs/upstream/pydyf-page-references.md).
PATCHED_VERSIONS = {"pydyf": "0.13.0", "weasyprint": "70.0"}


def installed_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in PATCHED_VERSIONS}


def _patch_pydyf_page_references() -> None:
    """Make `pydyf.PDF.page_references` O(1) instead of O(pages).

    pydyf 0.13 rebuilds the tuple of every page reference each time the property is read, and
    WeasyPrint's tagging reads it once per structure element (`'Pg': pdf.page_references[n]`): the
    cost is elements x pages, quadratic. Measured: 0.27 s of tagging for 41 pages, 4.3 s for 207,
    well over a minute for 2,800. The cached tuple is rebuilt whenever a page is added (the list of
    kids only ever grows), so the output is byte for byte the same (a test renders a document both
    ways). Reported upstream: docs/upstream/pydyf-page-references.md.
    """
    import pydyf

    if getattr(pydyf.PDF, "_lublin_cached_page_references", False):
        return
    pydyf.PDF._lublin_original_page_references = pydyf.PDF.page_references

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_page_references_cache")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            self.__dict__["_page_references_cache"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._lublin_cached_page_references = True


_patch_pydyf_page_references()

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with the PDF/UA identification; implies pdf_tags
PX_TO_PT = 0.75
PLACEHOLDER_DIGIT = "8"


@dataclasses.dataclass
class Rendered:
    pages: int
    anchors: dict[str, tuple[int, float, float]]  # id -> (page index, left, top), PDF points
    seconds: float = 0.0


@functools.cache
def _fetcher_class():
    from urllib import request

    from weasyprint.urls import HTTP_HEADERS, URLFetcher

    class ReportFetcher(URLFetcher):
        """WeasyPrint may load the shipped fonts and data: URIs, nothing else (no file or network access)."""

        def __init__(self):
            # Not URLFetcher.__init__: it builds an HTTPS handler, whose SSL context costs 0.1 s a render.
            request.OpenerDirector.__init__(self)
            for handler in (request.UnknownHandler(), request.FileHandler(), request.DataHandler()):
                self.add_handler(handler)
            self._timeout = 5
            self._http_headers = dict(HTTP_HEADERS)
            self._allowed_protocols = ("file", "data")
            self._fail_on_errors = True
            self._request = None

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.parent == FONT_DIR:
                    return super().fetch(url, headers)
            raise ValueError(f"Reports load nothing but their own fonts, not {url!r}")

    return ReportFetcher


def _fetcher():
    return _fetcher_class()()


def render_html(html: str, target: Path) -> Rendered:
    """Lay out `html`, write a tagged PDF to `target`, return its page count and anchors."""
    import time

    from weasyprint import HTML

    started = time.perf_counter()
    # Layout creates millions of small objects that live until the PDF is written: the cyclic
    # collector rescanning them, and the whole Django heap with them, is pure overhead. So the
    # existing heap is frozen (out of the collector's sight), collection is off while WeasyPrint
    # works, then one collection sweeps only what the render left, and the heap is unfrozen.
    # Measured on 700 opinions: about 10 % less CPU than leaving the collector on, for ~25 MB more
    # peak memory.
    gc_was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher()).render(pdf_tags=True)
        anchors = {}
        for index, page in enumerate(document.pages):
            for name, (x, y, *_rest) in page.anchors.items():
                anchors[name] = (index, round(x * PX_TO_PT, 2), round((page.height - y) * PX_TO_PT, 2))
        target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(target, pdf_variant=PDF_VARIANT)
        pages = len(document.pages)
        del document
    finally:
        if gc_was_enabled:
            gc.enable()
        gc.collect()
        gc.unfreeze()
    return Rendered(pages=pages, anchors=anchors, seconds=time.perf_counter() - started)


# --- shared pieces -------------------------------------------------------------------------------


def footer_format() -> str:
    return _("page %(page)s of %(pages)s")


def footer_text(page: int, pages: int) -> str:
    return footer_format() % {"page": page, "pages": pages}


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def footer_css() -> str:
    """The footer as a CSS `content` value, for reports rendered in one pass."""
    pieces = re.split(r"(%\(page\)s|%\(pages\)s)", footer_format())
    values = []
    for piece in pieces:
        if piece == "%(page)s":
            values.append("counter(page)")
        elif piece == "%(pages)s":
            values.append("counter(pages)")
        elif piece:
            values.append(_css_string(piece))
    return " ".join(values)


def base_context(report, *, single_pass: bool) -> dict:
    generated_at = timezone.localtime(report.started_at or timezone.now())
    return {
        "report": report,
        "title": str(report.title_in_language()),
        "lang": report.language,
        "process_name": settings.PROCESS_NAME,
        "generated_at": generated_at,
        "fonts": {"regular": FONT_REGULAR.as_uri(), "bold": FONT_BOLD.as_uri()},
        "footer_css": footer_css() if single_pass else "",
        "area_label": pick_language(report.area.name_pl, report.area.name_en) if report.area_id else "",
    }


@dataclasses.dataclass
class TocEntry:
    title: str
    anchor: str
    page: str | None = None  # None: WeasyPrint's target-counter finds it (same document)
    children: list[TocEntry] = dataclasses.field(default_factory=list)


def area_anchor(area_id: int) -> str:
    return f"area-{area_id}"


def district_anchor(area_id: int, district_id: int) -> str:
    return f"area-{area_id}-district-{district_id}"


def _bars(counts: dict, labels: dict, total: int, *, order=None) -> list[dict]:
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k], str(labels.get(k, k))))
    peak = max(counts.values(), default=0) or 1
    rows = []
    for key in keys:
        count = counts.get(key, 0)
        if not count:
            continue
        rows.append(
            {
                "label": labels.get(key, str(key)),
                "count": count,
                "share": round(100 * count / total, 1) if total else 0,
                "width": round(100 * count / peak, 1),
            }
        )
    return rows


# --- the thematic opinions report ----------------------------------------------------------------


def opinions_toc(groups: list[dict], names: selectors.Names, page_of=None, *, single_area=False) -> list[TocEntry]:
    """Areas, and their districts, in report order. `page_of(anchor)` gives fixed page numbers."""
    summary = TocEntry(_("Summary"), "summary")
    if not single_area:
        summary.children.append(TocEntry(_("Opinions by area"), "summary-areas"))
    summary.children += [
        TocEntry(_("Opinions by channel"), "summary-channels"),
        TocEntry(_("Opinions by month"), "summary-months"),
        TocEntry(_("Opinions by district"), "summary-districts"),
    ]
    entries: list[TocEntry] = [summary]
    current: TocEntry | None = None
    for group in groups:
        area_id, district_id = group["area"], group["district"]
        anchor = area_anchor(area_id)
        if current is None or current.anchor != anchor:
            current = TocEntry(names.areas[area_id].name, anchor, page_of(anchor) if page_of else None)
            entries.append(current)
        anchor = district_anchor(area_id, district_id)
        current.children.append(
            TocEntry(names.districts[district_id].name, anchor, page_of(anchor) if page_of else None)
        )
    return entries


def opinions_summary_context(summary: dict, names: selectors.Names, *, all_areas: bool) -> dict:
    total = summary.get("total", 0)
    area_labels = {a: names.areas[a].name for a in names.areas}
    district_labels = {d: names.districts[d].name for d in names.districts}
    channel_labels = {c: names.channels[c].name for c in names.channels}

    def int_keys(counts):
        return {int(k): v for k, v in counts.items()}

    months = summary.get("by_month", {})
    month_rows = []
    peak = max(months.values(), default=0) or 1
    for key, count in months.items():
        month_rows.append(
            {
                "label": selectors.month_label(key),
                "count": count,
                "share": round(100 * count / total, 1) if total else 0,
                "width": round(100 * count / peak, 1),
            }
        )
    area_order = sorted(names.areas, key=lambda a: (names.areas[a].position, names.areas[a].name_pl))
    district_order = sorted(names.districts, key=lambda d: (names.districts[d].position, names.districts[d].name))
    first_day, last_day = summary.get("first_day"), summary.get("last_day")
    return {
        "total": total,
        "first_day": datetime.date.fromisoformat(first_day) if first_day else None,
        "last_day": datetime.date.fromisoformat(last_day) if last_day else None,
        "by_area": _bars(int_keys(summary.get("by_area", {})), area_labels, total, order=area_order)
        if all_areas
        else [],
        "by_district": _bars(int_keys(summary.get("by_district", {})), district_labels, total, order=district_order),
        "by_channel": _bars(int_keys(summary.get("by_channel", {})), channel_labels, total),
        "by_month": month_rows,
    }


def opinion_blocks(opinions, keys_before: tuple | None, names: selectors.Names, counts: dict) -> list[dict]:
    """The flat sequence the template prints: area and district headings, continuations, opinions.

    `keys_before` is the (area, district) of the opinion printed just before this part, if any: a part
    that starts inside a group repeats its names as a plain line, not as a heading.
    """
    blocks = []
    previous = keys_before
    first = True
    for opinion in opinions:
        key = (opinion.area_id, opinion.district_id)
        if first and previous == key:
            blocks.append(
                {
                    "type": "continued",
                    "text": _("%(area)s — %(district)s (continued)")
                    % {"area": names.areas[key[0]].name, "district": names.districts[key[1]].name},
                }
            )
        elif key != previous:
            if previous is None or previous[0] != key[0]:
                blocks.append(
                    {
                        "type": "area",
                        "anchor": area_anchor(key[0]),
                        "title": names.areas[key[0]].name,
                        "count": counts.get(f"a{key[0]}", 0),
                        "first": first,
                    }
                )
            blocks.append(
                {
                    "type": "district",
                    "anchor": district_anchor(*key),
                    "title": names.districts[key[1]].name,
                    "count": counts.get(f"d{key[0]}-{key[1]}", 0),
                }
            )
        blocks.append(
            {
                "type": "opinion",
                "opinion": opinion,
                "channel": names.channels[opinion.channel_id].name,
            }
        )
        previous = key
        first = False
    return blocks


def group_counts(groups: list[dict]) -> dict:
    counts = {}
    for group in groups:
        counts[f"a{group['area']}"] = counts.get(f"a{group['area']}", 0) + group["count"]
        counts[f"d{group['area']}-{group['district']}"] = group["count"]
    return counts


def opinions_front_html(
    report, *, summary: dict, groups: list[dict], names: selectors.Names, page_of=None, single_pass=False, body=()
) -> str:
    """Cover, contents and summary; with `body` (blocks), the whole report in one document."""
    context = base_context(report, single_pass=single_pass)
    figures = opinions_summary_context(summary, names, all_areas=not report.area_id)
    period = "—"
    if figures["first_day"]:
        period = f"{date_format(figures['first_day'], 'j E Y')} – {date_format(figures['last_day'], 'j E Y')}"
    total = figures["total"]
    context.update(
        {
            "subtitle": context["area_label"] or _("All strategic areas"),
            "cover_facts": [(_("Published opinions"), total), (_("Collected"), period)],
            "toc": opinions_toc(groups, names, page_of, single_area=bool(report.area_id)),
            # Links from the contents to parts rendered separately need a target in this document;
            # the merge points those names at the real pages.
            "toc_self_anchors": page_of is not None,
            "summary": figures,
            "blocks": list(body),
        }
    )
    return render_to_string("reports/pdf/opinions.html", context)


def opinions_part_html(report, *, blocks: list[dict]) -> str:
    context = base_context(report, single_pass=False)
    context.update({"blocks": blocks, "part_only": True})
    return render_to_string("reports/pdf/opinions_part.html", context)


def placeholder_page(digits: int) -> str:
    return PLACEHOLDER_DIGIT * max(1, digits)


# --- the working groups' report and the verification report ------------------------------------


def workgroups_html(report) -> str:
    context = base_context(report, single_pass=True)
    groups = selectors.workgroups_with_recommendations()
    toc = [TocEntry(_("Summary"), "summary")]
    for group in groups:
        entry = TocEntry(group.area.name, f"group-{group.pk}")
        entry.children = [TocEntry(r.title, f"recommendation-{r.pk}") for r in group.report_recommendations]
        toc.append(entry)
    for group in groups:
        group.evidence_total = sum(r.evidence_count for r in group.report_recommendations)
    context.update(
        {
            "cover_facts": [
                (_("Working groups"), len(groups)),
                (_("Recommendations"), sum(len(g.report_recommendations) for g in groups)),
            ],
            "groups": groups,
            "toc": toc,
            "recommendation_total": sum(len(g.report_recommendations) for g in groups),
            "evidence_total": sum(r.evidence_count for g in groups for r in g.report_recommendations),
        }
    )
    return render_to_string("reports/pdf/workgroups.html", context)


def verification_html(report) -> str:
    context = base_context(report, single_pass=True)
    overview = selectors.verification_overview()
    toc = [TocEntry(_("Summary"), "summary")]
    for group in overview["groups"]:
        if not group.report_recommendations:
            continue
        entry = TocEntry(group.area.name, f"group-{group.pk}")
        entry.children = [TocEntry(r.title, f"recommendation-{r.pk}") for r in group.report_recommendations]
        toc.append(entry)
    context.update(
        {
            "toc": toc,
            "cover_facts": [
                (_("Recommendations submitted"), overview["total"]),
                (_("Verified"), overview["verified_count"]),
            ],
            **overview,
        }
    )
    return render_to_string("reports/pdf/verification.html", context)
