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

        # The public reading (and the stage pages' panels) show the versions, their state and
        # adoption, the drafting progress in counts, and the PDF the reports pipeline makes.
        from django.apps import apps

        from lublin2030 import versions
        from reports.models import Report

        versions.bump_on_writes(versions.STRATEGY, list(apps.get_app_config("strategy").get_models()))
        versions.bump_on_writes(versions.STRATEGY, [Report], when=lambda report: report.kind == ReportKind.STRATEGY)
