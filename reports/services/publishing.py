"""Publishing a finished report on a stage's public page, and withdrawing it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from ..models import Report


@transaction.atomic
def report_publish(*, actor, report: Report, stage) -> Report:
    """Show a finished report on a stage's public page; anyone may then download it."""
    require_permission(actor, "reports.publish_report", message=_("Only coordinators may publish reports."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_done:
        raise ValidationError(_("Only a finished report can be published."), code="not_done")
    report.published_stage = stage
    report.published_at = timezone.now()
    report.published_by = actor
    report.full_clean()
    report.save(update_fields=["published_stage", "published_at", "published_by"])
    return report


@transaction.atomic
def report_unpublish(*, actor, report: Report) -> Report:
    require_permission(actor, "reports.publish_report", message=_("Only coordinators may publish reports."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.published_stage = None
    report.published_at = None
    report.published_by = None
    report.save(update_fields=["published_stage", "published_at", "published_by"])
    return report
