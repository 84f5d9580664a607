"""Asking for the annual report on the implementation (raport z realizacji strategii) of one year.

The report itself is a report kind of the reports pipeline, laid out in `pdf.py`; the subject is the year.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from reports.models import Report, ReportKind
from strategy.adoption.selectors import in_force_version
from strategy.selectors import current_strategy

LANGUAGE = "pl"  # a document of the city, like the strategy's PDF


def monitoring_report_request(*, actor, year: int) -> Report:
    from reports.services import report_request

    require_permission(actor, "reports.request_report", message=_("Only coordinators may request reports."))
    version = in_force_version(current_strategy())
    if version is None:
        raise ValidationError(
            _("The strategy is not adopted yet: there is no implementation to report on."), code="not_adopted"
        )
    strategy = version.strategy
    last = min(strategy.ends_year, timezone.localdate().year)
    if not strategy.starts_year <= year <= last:
        raise ValidationError(
            _("Choose a year of the strategy's period that has begun: %(first)d–%(last)d.")
            % {"first": strategy.starts_year, "last": last},
            code="year",
        )
    with translation.override(LANGUAGE):
        label = _("Report on the implementation of the strategy in %(year)d") % {"year": year}
    return report_request(
        actor=actor, kind=ReportKind.MONITORING, language=LANGUAGE, subject_id=year, subject_label=label
    )
