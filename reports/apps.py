from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import Report
        from .services.part_cache import delete_files_after_commit

        post_delete.connect(delete_files_after_commit, sender=Report, dispatch_uid="reports_delete_files")
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
