"""The strategy's PDF: one public version laid out for the reports pipeline (kind STRATEGY).

The reports app renders it in one WeasyPrint pass (tagged PDF/UA, "strona X z Y" in the footer, the
contents with page numbers found by WeasyPrint); this module only chooses what to print and how.
Called by a worker with the report's language active; `report.subject_id` is the version.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.rendering import TocEntry, base_context

from . import selectors
from .models import StrategyVersion


def strategy_html(report) -> str:
    version = StrategyVersion.objects.select_related("strategy").get(pk=report.subject_id)
    document = selectors.document(version)
    toc = []
    for chapter in document.chapters:
        entry = TocEntry(f"{chapter.position}. {chapter.title}", f"c-{chapter.key}")
        entry.children = [
            TocEntry(f"{chapter.position}.{section.position}. {section.title}", f"s-{section.key}")
            for section in chapter.section_list
        ]
        toc.append(entry)
    if document.goals:
        goals = TocEntry(_("Goals, directions of action and indicators"), "goals")
        goals.children = [
            TocEntry(_("Strategic goal %(number)s") % {"number": goal.number} + f": {goal.title}", f"g-{goal.key}")
            for goal in document.goals
        ]
        toc.append(goals)
    if document.attachments:
        toc.append(TocEntry(_("Attachments"), "attachments"))
    context = base_context(report, single_pass=True)
    context.update(
        {
            "doc": document,
            "version": version,
            "toc": toc,
            "subtitle": _("Version %(number)d: %(state)s")
            % {"number": version.number, "state": version.get_state_display()},
            "cover_facts": [
                (_("Chapters"), len(document.chapters)),
                (_("Strategic goals"), len(document.goals)),
                (_("Indicators"), document.indicator_count),
            ],
        }
    )
    return render_to_string("strategy/pdf/strategy.html", context)
