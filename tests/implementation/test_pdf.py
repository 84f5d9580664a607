"""The annual report on the implementation: a report kind of the reports pipeline (tagged PDF, contents,
"strona X z Y"), asked for by a coordinator for a year of the strategy's period."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from implementation.annual_report import monitoring_report_request
from implementation.models import ActionStatus
from reports.models import Report, ReportKind, ReportStatus
from tests.accounts.factories import coordinator, moderator
from tests.implementation.factories import in_force, make_action, measure
from tests.strategy.factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def test_the_annual_report_prints_the_year(reference_data, run_on_commit):
    strategy = in_force(goals=1, directions=1, indicators=1)
    indicator = strategy.indicators[0]
    measure(indicator, 2022, "1300.5")
    measure(indicator, 2023, "1390")  # after the year reported on: not printed as its value
    make_action(strategy, title="Buspas na Al. Racławickich", status=ActionStatus.IN_PROGRESS, starts_on="2022-03-01")
    make_action(strategy, title="Działanie z 2025 roku", starts_on="2025-01-01")
    report = run_on_commit(monitoring_report_request, actor=coordinator(), year=2022)
    report.refresh_from_db()
    assert (report.kind, report.subject_id, report.status) == (ReportKind.MONITORING, 2022, ReportStatus.DONE)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(report.path).pages)
    assert "Raport z realizacji strategii w 2022 r." in text
    assert indicator.name in text
    assert "1 300,5" in text
    assert "1 390" not in text
    assert "Buspas na Al. Racławickich" in text
    assert "Działanie z 2025 roku" not in text
    assert f"strona 1 z {report.page_count}" in text
    assert "/StructTreeRoot" in PdfReader(report.path).trailer["/Root"]


def test_no_report_before_the_adoption_or_outside_the_period(reference_data):
    make_version("consultation_draft")
    with pytest.raises(ValidationError, match="nie została jeszcze uchwalona|not adopted yet"):
        monitoring_report_request(actor=coordinator(), year=2022)
    in_force()
    with pytest.raises(ValidationError):
        monitoring_report_request(actor=coordinator(), year=2019)
    with pytest.raises(PermissionDenied):
        monitoring_report_request(actor=moderator(), year=2022)
    assert not Report.objects.exists()
