from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # reports.rendering patches pydyf's internals; with another version the patch may silently
        # produce wrong PDFs, so no process (web or worker) starts with one.
        from .rendering import PATCHED_VERSIONS, installed_versions

        installed = installed_versions()
        if installed != PATCHED_VERSIONS:
            raise ImproperlyConfigured(
                f"reports.rendering patches pydyf and was written for {PATCHED_VERSIONS}; installed: {installed}. "
                "Check the patch against the new versions (docs/upstream/pydyf-page-references.md), then update "
                "PATCHED_VERSIONS and requirements.txt together."
            )
