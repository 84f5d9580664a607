"""Staff export: every field, formula cells neutralised, streamed with a handful of queries."""

import csv
import datetime
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from participation import exports
from participation.models import Area, ModerationStatus
from tests.accounts.factories import UserFactory, moderator
from tests.participation.factories import EventFactory, OpinionFactory

pytestmark = pytest.mark.django_db

URL = "participation_data:export_download"


def download(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def read_csv(content: bytes, delimiter=","):
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads Polish letters
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.fixture
def staff_client(client, reference_data):
    client.force_login(moderator())
    return client


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+48 81 466 00 00", "'+48 81 466 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Zwykły tekst = bez formuły", "Zwykły tekst = bez formuły"),
        ("", ""),
    ],
)
def test_safe_cell(value, expected):
    assert exports.safe_cell(value) == expected


def test_csv_has_every_field_and_no_author(staff_client):
    event = EventFactory(title="=Kafejka")
    opinion = OpinionFactory(
        published=True,
        text='=HYPERLINK("http://zlo.example","kliknij")',
        place="@Plac Litewski",
        event=event,
        age_bracket="18-24",
        external_id="-7",
    )
    rejected = OpinionFactory(status=ModerationStatus.REJECTED, rejection_reason="+ spam")

    rows = read_csv(download(staff_client, format="csv"))

    assert list(rows[0]) == exports.HEADER
    for name in [
        "id",
        "text",
        "area",
        "district",
        "channel",
        "stage",
        "event",
        "place",
        "collected_on",
        "age_bracket",
        "status",
        "rejection_reason",
        "external_id",
        "created_at",
        "published_at",
    ]:
        assert name in exports.HEADER
    assert not {"author", "author_id", "email", "author_email"} & set(exports.HEADER)
    by_id = {row["id"]: row for row in rows}
    row = by_id[str(opinion.pk)]
    assert row["text"] == "'" + opinion.text
    assert row["place"] == "'@Plac Litewski"
    assert row["event"] == "'=Kafejka"
    assert row["external_id"] == "'-7"
    assert row["area"] == opinion.area.name_pl
    assert row["source"] == "przez portal"
    assert row["status"] == "Opublikowana"
    assert row["age_bracket"] == "18–24"
    assert row["hidden_by_flags"] == "nie"
    assert row["collected_on"] == opinion.collected_on.isoformat()
    assert row["published_at"].startswith(str(datetime.date.today().year))
    assert by_id[str(rejected.pk)]["rejection_reason"] == "'+ spam"
    content = download(staff_client, format="csv").decode("utf-8-sig")
    assert opinion.author.email not in content


def test_values_are_labels_in_the_language_of_the_page(staff_client):
    """People read spreadsheets: labels, not codes ("published", "False", "under-18"), in CSV and XLSX."""
    area = Area.objects.get(slug="edukacja")
    young = OpinionFactory(published=True, age_bracket="under-18", area=area)
    hidden = OpinionFactory(published=True, hidden_by_flags=True, age_bracket="65-plus", area=area)
    rejected = OpinionFactory(status=ModerationStatus.REJECTED, rejection_reason="Reklama.", area=area)
    polish = {row["id"]: row for row in read_csv(download(staff_client, format="csv"))}
    assert (polish[str(young.pk)]["age_bracket"], polish[str(young.pk)]["hidden_by_flags"]) == ("poniżej 18 lat", "nie")
    assert (polish[str(hidden.pk)]["age_bracket"], polish[str(hidden.pk)]["hidden_by_flags"]) == (
        "65 lat i więcej",
        "tak",
    )
    assert polish[str(rejected.pk)]["status"] == "Odrzucona"
    assert polish[str(young.pk)]["area"] == "Edukacja"
    assert polish[str(young.pk)]["source"] == "przez portal"

    english = staff_client.get("/en" + reverse(URL), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(english.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    by_id = {row[0]: dict(zip(exports.HEADER, row, strict=False)) for row in rows[1:]}
    assert (by_id[young.pk]["age_bracket"], by_id[young.pk]["hidden_by_flags"]) == ("under 18", "no")
    assert (by_id[hidden.pk]["status"], by_id[hidden.pk]["hidden_by_flags"]) == ("Published", "yes")
    assert by_id[rejected.pk]["status"] == "Rejected"
    assert by_id[young.pk]["area"] == "Education"
    assert by_id[young.pk]["source"] == "online"


def test_the_api_keeps_codes(client, reference_data):
    OpinionFactory(published=True, age_bracket="under-18", area=Area.objects.get(slug="edukacja"))
    [item] = client.get("/api/v1/opinions").json()["items"]
    assert (item["area"], item["channel"]) == ("edukacja", "online-form")
    ages = {row["key"] for row in client.get("/api/v1/statistics").json()["by_age_bracket"]}
    assert ages == {"under-18"}


def test_csv_with_semicolons_for_polish_excel(staff_client):
    OpinionFactory(text="Zieleń, ławki; i cień")
    rows = read_csv(download(staff_client, format="csv", delimiter=";"), delimiter=";")
    assert rows[0]["text"] == "Zieleń, ławki; i cień"


def test_filters(staff_client):
    area = Area.objects.get(slug="edukacja")
    OpinionFactory(published=True, area=area, collected_on=datetime.date(2020, 5, 1))
    OpinionFactory(published=True, area=area, collected_on=datetime.date(2020, 8, 1))
    OpinionFactory(area=area, collected_on=datetime.date(2020, 5, 1))
    OpinionFactory(published=True, collected_on=datetime.date(2020, 5, 1))

    rows = read_csv(
        download(
            staff_client, format="csv", status="published", area=area.pk, date_from="2020-04-01", date_to="2020-06-30"
        )
    )
    assert len(rows) == 1
    page = staff_client.get(reverse("participation_data:export"), {"status": "published", "area": area.pk})
    assert page.status_code == 200
    assert page.context["count"] == 2
    bad = staff_client.get(reverse("participation_data:export"), {"date_from": "2020-06-01", "date_to": "2020-01-01"})
    assert bad.status_code == 400


def test_export_streams_with_a_pinned_number_of_queries(staff_client, django_assert_num_queries):
    OpinionFactory.create_batch(60, published=True, event=EventFactory())
    with django_assert_num_queries(2):  # the user with her roles (the session from the cache), the export query
        response = staff_client.get(reverse(URL), {"format": "csv"})
        content = b"".join(response.streaming_content)
    assert len(read_csv(content)) == 60
    with django_assert_num_queries(2):
        response = staff_client.get(reverse(URL), {"format": "xlsx"})
        b"".join(response.streaming_content)


def test_xlsx_opens_with_real_dates_and_neutralised_formulas(staff_client):
    opinion = OpinionFactory(published=True, text="=1+1 to nie formuła", collected_on=datetime.date(2020, 3, 15))
    OpinionFactory(text="Tekst z \x0b znakiem sterującym & <nawiasami>")

    response = staff_client.get(reverse(URL), {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.HEADER
    by_id = {row[0]: dict(zip(exports.HEADER, row, strict=False)) for row in rows[1:]}
    row = by_id[opinion.pk]
    assert row["text"] == "'=1+1 to nie formuła"
    assert row["collected_on"] == datetime.datetime(2020, 3, 15)
    assert isinstance(row["published_at"], datetime.datetime)
    assert row["stage"] in ("", None)
    assert any(r["text"] == "Tekst z  znakiem sterującym & <nawiasami>" for r in by_id.values())
    # No cell is a formula.
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_streaming_xlsx_writer_handles_many_rows():
    rows = ([number, f"tekst {number}", datetime.date(2020, 1, 1)] for number in range(5000))
    content = b"".join(exports.xlsx_chunks(rows, header=["id", "text", "day"]))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 5001
    assert values[-1] == (4999, "tekst 4999", datetime.datetime(2020, 1, 1))


def test_permissions(client, reference_data):
    url = reverse("participation_data:export")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(reverse(URL)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.get(reverse(URL), {"format": "csv"}).status_code == 403
