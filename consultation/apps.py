from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Formal consultation of the draft")

    def ready(self):
        # The report's PDF is a report kind of the reports pipeline, laid out here (reports never imports us).
        from reports import kinds
        from reports.models import ReportKind

        from .pdf import PARTS, report_html

        kinds.register(ReportKind.CONSULTATION, report_html, parts=PARTS)
