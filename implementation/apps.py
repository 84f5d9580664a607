from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "implementation"
    verbose_name = _("Implementation and monitoring of the strategy")

    def ready(self):
        # The annual monitoring report is a report kind of the reports pipeline, laid out here.
        from reports import kinds
        from reports.models import ReportKind

        from .pdf import monitoring_html

        kinds.register(ReportKind.MONITORING, monitoring_html)
