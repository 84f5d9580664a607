"""The consultation report's PDF, laid out for the reports pipeline (kind CONSULTATION).

What it prints comes from `report_data`, the same as the report's page and exports: the consultation (legal
basis, subject, dates, announcement, forms, meetings), the statistics, and every comment in order grouped by
chapter, each with its commenter, fragment, text, proposed wording, the city's position and its justification.
Each comment is an entry with those fields named, not a row of a seven-column table: on an A4 page the table
was unreadable, and WeasyPrint laid it out three times slower for twice the pages (measured: bench/).

A few hundred comments are rendered in one pass (`report_html`). A longer report is cut into parts as the
opinions report is (`PARTS`, through reports.kinds): the front matter (cover, contents, the consultation,
statistics) and slices of about REPORTS_CHUNK_SIZE comments rendered by any worker, then merged with the real
page numbers; no process holds the layout of the whole report. Called by workers with the report's language
active; `report.subject_id` is the consultation.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import kinds, pdfmerge
from reports.rendering import TocEntry, base_context

from . import selectors
from .models import Comment, Consultation
from .report_data import ROW_FIELDS, document_group_title, report_data

FRONT_ANCHORS = (("about", gettext_lazy("The consultation")), ("statistics", gettext_lazy("Statistics")))


def _consultation(report) -> Consultation:
    return Consultation.objects.select_related("version__strategy").get(pk=report.subject_id)


def _toc(groups: list[tuple[str, str, int]], page_of=None) -> list[TocEntry]:
    toc = [TocEntry(_("The consultation"), "about"), TocEntry(_("Statistics"), "statistics")]
    first = groups[0][0] if groups else "comments"
    comments = TocEntry(_("Comments and the city's positions"), "comments", page_of(first) if page_of else None)
    comments.children = [TocEntry(title, anchor, page_of(anchor) if page_of else None) for anchor, title, _n in groups]
    return [*toc, comments]


def _context(report, consultation, data, *, single_pass: bool) -> dict:
    context = base_context(report, single_pass=single_pass)
    context.update(
        {
            "data": data,
            "consultation": consultation,
            "subtitle": consultation.version.strategy.title,
            "cover_facts": [
                (_("Period"), f"{consultation.starts_on:%d.%m.%Y} – {consultation.ends_on:%d.%m.%Y}"),
                (_("Comments"), data.total),
            ],
        }
    )
    return context


def _entries(groups) -> list[dict]:
    """Headings and comments in print order, from (group, [comments], first part of the group?) triples."""
    blocks = []
    for group, comments, starts_here in groups:
        if starts_here:
            blocks.append({"type": "group", "anchor": group[0], "title": group[1], "count": group[2]})
        else:
            blocks.append({"type": "continued", "title": _("%(title)s (continued)") % {"title": group[1]}})
        blocks += [{"type": "comment", "comment": comment} for comment in comments]
    return blocks


def report_html(report) -> str:
    """The whole report in one WeasyPrint pass (a few hundred comments)."""
    consultation = _consultation(report)
    data = report_data(consultation)
    context = _context(report, consultation, data, single_pass=True)
    context["toc"] = _toc([(group.anchor, group.title, group.count) for group in data.groups])
    context["blocks"] = _entries(
        ((group.anchor, group.title, group.count), group.comments, True) for group in data.groups
    )
    return render_to_string("consultation/pdf/report.html", context)


# In parts ------------------------------------------------------------------------------------------


def plan(report):
    """The comments' order in slices of about REPORTS_CHUNK_SIZE; None when one part would hold them all."""
    from reports.services.pipeline import part_size

    consultation = _consultation(report)
    chapters = list(consultation.version.chapters.values_list("key", "position", "title"))
    positions = {key: position for key, position, _title in chapters}  # the groups' order: the chapters'
    titles = {key: f"{position}. {title}" for key, position, title in chapters}
    rows = list(
        Comment.objects.filter(consultation=consultation).in_report().values_list("pk", "chapter_key", "number")
    )
    rows.sort(key=lambda row: (positions.get(row[1], 0), row[2]))
    size = part_size(len(rows))
    if len(rows) <= size:
        return None
    anchor = {key: f"r-{key}" for key in positions}
    keys = [row[1] if row[1] in positions else "" for row in rows]
    groups = []
    for key in dict.fromkeys(keys):
        title = titles[key] if key else document_group_title()
        groups.append([anchor.get(key, "r-document"), title, keys.count(key)])
    by_anchor = {group[0]: group for group in groups}
    specs = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        chunk_keys = keys[start : start + size]
        slices, previous = [], keys[start - 1] if start else None
        for key in dict.fromkeys(chunk_keys):
            ids = [row[0] for row, row_key in zip(chunk, chunk_keys, strict=True) if row_key == key]
            group = by_anchor[anchor.get(key, "r-document")]
            slices.append({"group": group, "ids": ids, "starts_here": key != previous})
            previous = key
        specs.append({"slices": slices})
    return {"groups": groups, "digits": len(str(max(99, len(rows))))}, specs


def render_front(report, spec: dict, page_of) -> str:
    consultation = _consultation(report)
    data = report_data(consultation, with_comments=False)
    context = _context(report, consultation, data, single_pass=False)
    context["toc"] = _toc([tuple(group) for group in spec["groups"]], page_of)
    context["toc_self_anchors"] = True
    return render_to_string("consultation/pdf/report.html", context)


def render_part(report, spec: dict) -> str:
    ids = [pk for piece in spec["slices"] for pk in piece["ids"]]
    comments = {
        comment.pk: comment
        for comment in selectors.annotate(
            list(Comment.objects.filter(pk__in=ids).select_related("chapter", "section", "block").only(*ROW_FIELDS))
        )
    }
    blocks = _entries(
        (tuple(piece["group"]), [comments[pk] for pk in piece["ids"]], piece["starts_here"]) for piece in spec["slices"]
    )
    context = base_context(report, single_pass=False)
    context["blocks"] = blocks
    return render_to_string("consultation/pdf/report_part.html", context)


def outline(report, front_anchors: dict, located: dict, spec: dict) -> list[pdfmerge.OutlineItem]:
    items = []
    for anchor, title in FRONT_ANCHORS:
        if anchor in front_anchors:
            page, _left, top = front_anchors[anchor]
            items.append(pdfmerge.OutlineItem(str(title), page, top))
    children = []
    for anchor, title, _count in spec["groups"]:
        if anchor in located:
            page, _left, top = located[anchor]
            children.append(pdfmerge.OutlineItem(title, page, top))
    if children:
        items.append(
            pdfmerge.OutlineItem(_("Comments and the city's positions"), children[0].page, children[0].top, children)
        )
    return items


PARTS = kinds.Parts(plan=plan, render_front=render_front, render_part=render_part, outline=outline)
