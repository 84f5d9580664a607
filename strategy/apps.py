from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy document")

    def ready(self):
        # The PDF of a public version is a report kind of the reports pipeline, laid out here.
        from reports import kinds
        from reports.models import ReportKind

        from .pdf import strategy_html

        kinds.register(ReportKind.STRATEGY, strategy_html)
