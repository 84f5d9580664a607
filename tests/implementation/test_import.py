"""Import of indicator values (django-import-export): a dry-run preview, errors by row and column, all or
nothing, the Polish decimal comma, Polish headers, Windows-1250 CSV and XLSX."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from implementation.measurement_import import measurements_import
from implementation.models import Measurement
from tests.accounts.factories import coordinator, moderator
from tests.implementation.factories import in_force, measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_storage(settings, tmp_path):
    translation.activate("en")
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def csv_file(tmp_path, rows, *, encoding="cp1250", delimiter=";"):
    path = tmp_path / "pomiary.csv"
    path.write_bytes("\n".join(delimiter.join(row) for row in rows).encode(encoding))
    return path


def three_years(strategy):
    rows = [["Wskaźnik", "Data", "Wartość", "Źródło", "Uwagi"]]
    for indicator in strategy.indicators:
        for year, value in ((2021, "1 260,5"), (2022, "1 281,25"), (2023, "1300")):
            rows.append([indicator.key, f"31.12.{year}", value, "GUS", ""])
    return rows


def test_the_preview_writes_nothing_and_the_import_writes_every_row(reference_data, tmp_path):
    strategy = in_force()
    path = csv_file(tmp_path, three_years(strategy))
    preview = measurements_import(actor=coordinator(), strategy=strategy.strategy, path=path, confirm=False)
    assert preview.ok
    assert preview.rows == 12
    assert len(preview.accepted) == 12
    assert not preview.imported
    assert preview.accepted[0]["number"] == 2  # the file's own row numbers: the header is row 1
    assert not Measurement.objects.exists()
    outcome = measurements_import(actor=coordinator(), strategy=strategy.strategy, path=path, confirm=True)
    assert outcome.imported
    assert Measurement.objects.count() == 12
    assert sorted(set(Measurement.objects.values_list("value", flat=True))) == [
        Decimal("1260.5"),
        Decimal("1281.25"),
        Decimal("1300"),
    ]


def test_any_bad_row_imports_nothing_and_every_error_is_named(reference_data, tmp_path):
    strategy = in_force()
    first, second = strategy.indicators[0], strategy.indicators[1]
    rows = [
        ["indicator", "date", "value", "note"],
        [first.key, "31.12.2021", "12,5", ""],  # row 2: fine
        ["Wskaźnik którego nie ma", "31.12.2021", "1", ""],  # row 3: unknown indicator
        [second.key, "31.12.2021", "dużo", ""],  # row 4: not a number
        [second.key, "31.12.2019", "3", ""],  # row 5: outside the period
        [first.key, "2021-12-31", "13", ""],  # row 6: the same indicator and date as row 2
        [second.name, "31.02.2022", "4", ""],  # row 7: by name, but no such date
    ]
    path = csv_file(tmp_path, rows, encoding="utf-8", delimiter=",")
    outcome = measurements_import(actor=coordinator(), strategy=strategy.strategy, path=path, confirm=True)
    assert not outcome.imported
    assert not outcome.accepted
    found = {(error.row, error.column) for error in outcome.errors}
    assert found == {(3, "indicator"), (4, "value"), (5, "date"), (6, "date"), (7, "date")}
    messages = {(error.row, error.column): error.message for error in outcome.errors}
    assert "is not an indicator of the strategy in force" in messages[(3, "indicator")]
    assert "is not a number" in messages[(4, "value")]
    assert "outside the strategy's period" in messages[(5, "date")]
    assert "already has a value on 31.12.2021" in messages[(6, "date")]
    assert not Measurement.objects.exists()


def test_a_value_already_stored_is_a_duplicate(reference_data, tmp_path):
    strategy = in_force()
    indicator = strategy.indicators[0]
    measure(indicator, 2022, "10")
    path = csv_file(tmp_path, [["wskaznik", "data", "wartosc"], [indicator.key, "31.12.2022", "11"]])
    outcome = measurements_import(actor=coordinator(), strategy=strategy.strategy, path=path, confirm=True)
    assert [(error.row, error.column) for error in outcome.errors] == [(2, "date")]
    assert Measurement.objects.get().value == Decimal("10")


def test_an_xlsx_workbook_with_numbers_and_dates(reference_data, tmp_path):
    import datetime

    strategy = in_force()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Wskaźnik", "Data", "Wartość"])
    sheet.append([strategy.indicators[0].name, datetime.date(2022, 12, 31), 12.5])
    sheet.append([strategy.indicators[1].key, "31.12.2022", "7,25"])
    path = tmp_path / "pomiary.xlsx"
    workbook.save(path)
    outcome = measurements_import(actor=coordinator(), strategy=strategy.strategy, path=path, confirm=True)
    assert outcome.imported, outcome.errors
    assert sorted(Measurement.objects.values_list("value", flat=True)) == [Decimal("7.25"), Decimal("12.5")]


def test_a_file_without_the_columns_is_refused(reference_data, tmp_path):
    strategy = in_force()
    path = csv_file(tmp_path, [["nazwa", "rok"], ["x", "2022"]])
    with pytest.raises(ValidationError, match="The file has no column “indicator”, “date”, “value”"):
        measurements_import(actor=coordinator(), strategy=strategy.strategy, path=path, confirm=False)


def test_only_the_city_imports(reference_data, tmp_path):
    strategy = in_force()
    path = csv_file(tmp_path, three_years(strategy))
    with pytest.raises(PermissionDenied):
        measurements_import(actor=moderator(), strategy=strategy.strategy, path=path, confirm=True)


def test_upload_preview_and_confirm_through_the_page(reference_data, client):
    strategy = in_force()
    content = "\n".join(";".join(row) for row in three_years(strategy)).encode("cp1250")
    client.force_login(coordinator())
    response = client.post(
        "/panel/realizacja/import/", {"action": "upload", "file": SimpleUploadedFile("pomiary.csv", content)}
    )
    assert response.status_code == 200
    assert "281,25" in response.content.decode()  # the preview, in Polish numbers
    assert not Measurement.objects.exists()
    response = client.post("/panel/realizacja/import/", {"action": "confirm"})
    assert response.status_code == 302
    assert Measurement.objects.count() == 12


def test_a_bad_file_through_the_page_shows_the_errors(reference_data, client):
    strategy = in_force()
    content = io.BytesIO(f"indicator,date,value\n{strategy.indicators[0].key},31.12.2022,abc\n".encode())
    client.force_login(coordinator())
    response = client.post(
        "/panel/realizacja/import/", {"action": "upload", "file": SimpleUploadedFile("x.csv", content.read())}
    )
    assert response.status_code == 400
    assert "abc" in response.content.decode()
    response = client.post("/panel/realizacja/import/", {"action": "confirm"})
    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_moderators_do_not_import(reference_data, client):
    client.force_login(moderator())
    assert client.get("/panel/realizacja/import/").status_code == 403
