"""The consultation report's PDF, laid out for the reports pipeline (kind CONSULTATION).

The reports app renders it in one WeasyPrint pass (tagged PDF/UA, "strona X z Y" in the footer, the contents
with page numbers found by WeasyPrint); this module chooses what to print from `report_data`, the same data as
the report's page and exports. Called by a worker with the report's language active; `report.subject_id` is
the consultation.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.rendering import TocEntry, base_context

from .models import Consultation
from .report_data import report_data


def report_html(report) -> str:
    consultation = Consultation.objects.select_related("version__strategy").get(pk=report.subject_id)
    data = report_data(consultation)
    toc = [
        TocEntry(_("The consultation"), "about"),
        TocEntry(_("Statistics"), "statistics"),
        TocEntry(_("Comments and the city's positions"), "comments"),
    ]
    toc[2].children = [TocEntry(group.title, group.anchor) for group in data.groups]
    context = base_context(report, single_pass=True)
    context.update(
        {
            "data": data,
            "consultation": consultation,
            "toc": toc,
            "subtitle": consultation.version.strategy.title,
            "cover_facts": [
                (_("Period"), f"{consultation.starts_on:%d.%m.%Y} – {consultation.ends_on:%d.%m.%Y}"),
                (_("Comments"), data.total),
            ],
        }
    )
    return render_to_string("consultation/pdf/report.html", context)
