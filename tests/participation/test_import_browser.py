"""The import and export pages in Chromium: keyboard-usable forms, no serious axe-core findings."""

from pathlib import Path

import pytest

from participation.models import Opinion
from tests.accounts.factories import moderator
from tests.browser.axe import assert_no_axe_violations
from tests.browser.session import log_in

DATA = Path(__file__).parent / "data_files"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_then_export_as_a_moderator(page, live_server, reference_data, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    base = live_server.url
    log_in(page, base, moderator().email, language="/en")

    page.goto(base + "/en/panel/dane/import/")
    assert_no_axe_violations(page)
    page.get_by_label("File with opinions (CSV or XLSX)").set_input_files(str(DATA / "broken_rows.csv"))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.get_by_role("table", name="Errors by row and column").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Discard and upload another file").click()

    page.get_by_label("File with opinions (CSV or XLSX)").set_input_files(str(DATA / "polish_excel_cp1250.csv"))
    page.get_by_label("After the import").select_option("1")
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    confirm = page.get_by_role("button", name="Import 3 opinions")
    confirm.focus()
    page.keyboard.press("Enter")  # keyboard only
    page.wait_for_load_state()
    assert "Imported 3 opinions and published them." in page.locator("#import-job").inner_text()
    assert Opinion.objects.filter(status="published").count() == 3

    page.goto(base + "/en/panel/dane/eksport/")
    assert_no_axe_violations(page)
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "3 opinions match the filters." in page.get_by_role("status").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Ścieżki rowerowe wzdłuż Bystrzycy" in content
