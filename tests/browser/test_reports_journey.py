"""A coordinator requests a PDF report, follows its progress and downloads it; axe-core on every page.

Celery runs eagerly inside the live server here (the real-worker tests are tests/reports/test_worker.py);
the progress of a report is then moved by the test itself, to watch htmx polling carry it to 100 %.
"""

import re
import shutil

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import Report, ReportKind, ReportStatus
from tests.accounts.factories import PASSWORD, coordinator
from tests.browser.axe import assert_no_axe_violations
from tests.reports.factories import published_opinions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_parts(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.REPORTS_CHUNK_SIZE = 10


def visit(page, url):
    page.goto(url)
    assert_no_axe_violations(page)


def test_a_coordinator_requests_follows_and_downloads_a_report(
    page, live_server, reference_data, small_parts, tmp_path
):
    published_opinions(25, text="Opinia {n}: więcej zieleni przy ulicy Narutowicza, źródełko i ławki.")
    user = coordinator(email="koordynatorka@example.org")
    base = live_server.url

    visit(page, base + "/konto/login/")
    page.get_by_label(re.compile("e-mail", re.I)).first.fill(user.email)
    page.get_by_label(re.compile("Hasło", re.I)).first.fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    visit(page, base + "/panel/")
    page.locator("main a[href='/panel/raporty/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raporty PDF")
    assert_no_axe_violations(page)

    # The form, with the keyboard only.
    page.get_by_label("Rodzaj raportu").select_option(ReportKind.OPINIONS.value)
    page.get_by_label("Obszar strategiczny").select_option(label="Wszystkie obszary")
    page.get_by_label("Język raportu").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Przygotuj raport")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Raport jest gotowy", timeout=60_000)  # made inline
    report = Report.objects.get()
    row = page.locator(f"#report-{report.pk}-status")
    expect(row).to_contain_text("Gotowy")
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("Pobierz")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{report.pk}.pdf")
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    texts = [p.extract_text() for p in PdfReader(saved).pages]
    assert f"strona 1 z {len(texts)}" in texts[0]
    assert "Opinia 24: więcej zieleni przy ulicy Narutowicza, źródełko i ławki." in "\n".join(texts)

    # A report in progress: the bar follows the worker without reloading, and the end is announced.
    running = Report.objects.create(
        kind=ReportKind.OPINIONS,
        status=ReportStatus.RUNNING,
        progress=30,
        requested_by=user,
        heartbeat_at=timezone.now(),
        started_at=timezone.now(),
    )
    visit(page, base + "/panel/raporty/")
    bar = page.locator(f"#report-{running.pk}-bar")
    expect(bar).to_have_attribute("value", "30")
    expect(page.locator(f"#report-{running.pk}-label")).to_contain_text("30 %")
    Report.objects.filter(pk=running.pk).update(progress=70, heartbeat_at=timezone.now())
    expect(bar).to_have_attribute("value", "70", timeout=5000)
    expect(page.locator("#reports-announcer")).to_contain_text("W przygotowaniu, 50%", timeout=5000)

    target = report.path.with_name(f"{running.pk}.pdf")
    shutil.copy(report.path, target)
    Report.objects.filter(pk=running.pk).update(
        status=ReportStatus.DONE,
        progress=100,
        file=f"reports/{running.pk}.pdf",
        page_count=report.page_count,
        file_size=report.file_size,
        finished_at=timezone.now(),
    )
    cell = page.locator(f"#report-{running.pk}-status")
    expect(cell.get_by_role("link", name=re.compile("Pobierz"))).to_be_visible(timeout=5000)
    expect(page.locator("#reports-announcer")).to_contain_text("jest gotowy do pobrania")
    assert_no_axe_violations(page)
    # Polling has stopped (the server answered 286): the cell no longer changes.
    page.wait_for_timeout(1500)
    expect(cell).to_contain_text("Gotowy")
