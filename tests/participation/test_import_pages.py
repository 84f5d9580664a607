"""What staff see around an import: the size limit, the round trip of our own export, the counter of a
running import, Polish numbers and plurals, the link to moderation, cells that look like formulas."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse

from participation import imports
from participation.data_views import SESSION_KEY
from participation.models import Area, Channel, District, ImportJob, ImportJobStatus, Opinion
from tests.accounts.factories import moderator
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"  # Polish groups thousands with a (non-breaking) space: "50 000"
HEADER = "text,area,district,channel,place,collected_on"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def staff(client, reference_data):
    client.force_login(moderator())
    return client


def csv_rows(count, text="Więcej zieleni przy szkole numer {n}", place="Plac Litewski"):
    lines = [HEADER]
    lines += [f"{text.format(n=n)},Edukacja,Śródmieście,Punkt mobilny,{place},2020-06-15" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def upload(client, content, name="opinie.csv", language="pl"):
    url = reverse("participation_data:import") if language == "pl" else "/en" + reverse("participation_data:import")
    return client.post(url, {"file": SimpleUploadedFile(name, content), "encoding": "auto", "publish": "0"})


def preview_page(client, content, name="opinie.csv"):
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("participation_data:import_preview"))


# --- a file over the limit ----------------------------------------------------------------------


def test_a_file_over_ten_megabytes_gets_only_the_size_message(staff):
    response = upload(staff, b"text,area\n" + b"x" * (imports.MAX_UPLOAD_BYTES + 1024), language="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file is too large. The limit is 10 MB" in html
    assert "This field is required" not in html
    assert "wymagane" not in html


# --- the round trip of our own export -----------------------------------------------------------


@pytest.fixture
def exported_opinions(reference_data):
    common = {
        "area": Area.objects.get(slug="edukacja"),
        "district": District.objects.get(slug="srodmiescie"),
        "collected_on": datetime.date(2020, 6, 15),
    }
    mobile = Channel.objects.get(code="punkt-mobilny")
    return [
        OpinionFactory(
            text="Więcej zieleni przy szkołach.",
            channel=mobile,
            external_id="PM-1",
            age_bracket="under-18",
            place="Plac",
            **common,
        ),
        OpinionFactory(
            text="=Ławki (formuła?) przy boisku.", channel=mobile, place="Boisko", age_bracket="65-plus", **common
        ),
        OpinionFactory(
            text="Tańsze bilety dla studentów.",
            channel=Channel.objects.get(code=Channel.ONLINE_FORM),
            published=True,
            **common,
        ),
    ]


def export_file(client, fmt):
    query = {"format": fmt} if fmt != "csv-semicolon" else {"format": "csv", "delimiter": ";"}
    response = client.get(reverse("participation_data:export_download"), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content), "opinie.xlsx" if fmt == "xlsx" else "opinie.csv"


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-semicolon"])
def test_our_own_export_imports_back_into_the_same_portal_as_already_there(staff, exported_opinions, fmt):
    content, name = export_file(staff, fmt)
    preview = preview_page(staff, content, name).context["preview"]
    assert preview.file_errors == []
    assert preview.errors == []
    assert preview.create_count == 0
    assert preview.skipped == 3  # the online opinion too: the portal's number and the text match


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_our_own_export_imports_into_an_empty_portal(staff, exported_opinions, fmt):
    online = exported_opinions.pop()
    Opinion.objects.filter(pk=online.pk).delete()
    content, name = export_file(staff, fmt)
    expected = sorted(
        Opinion.objects.values_list("text", "area_id", "district_id", "channel_id", "age_bracket", "place")
    )
    Opinion.objects.all().delete()

    preview = preview_page(staff, content, name).context["preview"]
    assert preview.ok, (preview.file_errors, preview.errors)
    assert preview.create_count == 2
    assert {cell.value for cell in preview.formula_cells} == {"=Ławki (formuła?) przy boisku."}
    imports.opinions_import(
        actor=moderator(), path=imports.upload_path(staff.session[SESSION_KEY]["token"]), name=name, publish=False
    )
    assert (
        sorted(Opinion.objects.values_list("text", "area_id", "district_id", "channel_id", "age_bracket", "place"))
        == expected
    )
    assert Opinion.objects.filter(external_id="PM-1").exists()


def test_an_id_column_alone_is_still_the_external_id(staff):
    content = (
        HEADER + ",id\nWięcej zieleni przy szkole,Edukacja,Śródmieście,Punkt mobilny,Plac,2020-06-15,K-7\n"
    ).encode()
    preview = preview_page(staff, content).context["preview"]
    assert preview.ok
    assert preview.to_create[0]["external_id"] == "K-7"


# --- the counter of a running import -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_running_import_shows_its_counter_to_other_connections(reference_data, private_storage, monkeypatch):
    """The job page reads the counter from another connection while the import's transaction is open."""
    from participation.imports import jobs, service

    monkeypatch.setattr(service, "BATCH_SIZE", 10)
    seen = []
    record = jobs._record_progress

    def record_and_look(job, done, total):
        record(job, done, total)
        outside = connections.create_connection("default")
        try:
            with outside.cursor() as cursor:
                cursor.execute("SELECT rows_done, rows_total FROM participation_importjob WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone())
            with outside.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM participation_opinion")
                seen.append(("opinions visible", cursor.fetchone()[0]))
        finally:
            outside.close()

    monkeypatch.setattr(jobs, "_record_progress", record_and_look)
    token, _path = imports.store_upload(SimpleUploadedFile("opinie.csv", csv_rows(35)))
    job = imports.import_job_create(
        actor=moderator(), upload_token=token, file_name="opinie.csv", encoding="auto", publish=False
    )
    imports.import_job_run(public_id=job.public_id)  # the worker (tasks run in place: already done)
    assert seen == [
        (0, 35),
        ("opinions visible", 0),
        (10, 35),
        ("opinions visible", 0),  # one transaction: nothing is public before the end
        (20, 35),
        ("opinions visible", 0),
        (30, 35),
        ("opinions visible", 0),
        (35, 35),
        ("opinions visible", 0),
    ]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.created) == ("done", 35, 35, 35)


@pytest.mark.django_db(transaction=True)
def test_the_job_page_shows_the_counter_while_the_import_runs(client, reference_data, private_storage, monkeypatch):
    """On either database: SQLite has one writer (the import), so there the counter goes to a file the job
    page reads, removed at the end; PostgreSQL writes the row from a connection of its own."""
    from participation.imports import jobs, service

    monkeypatch.setattr(service, "BATCH_SIZE", 10)
    actor = moderator()
    client.force_login(actor)
    seen = []
    record = jobs._record_progress

    def record_and_look(job, done, total):
        record(job, done, total)
        html = job_page(client, job, **{"HX-Request": "true"}).content.decode()
        seen.append(re.search(r'max="(\d+)" value="(\d+)"', html).groups() if "<progress" in html else None)

    monkeypatch.setattr(jobs, "_record_progress", record_and_look)
    token, _path = imports.store_upload(SimpleUploadedFile("opinie.csv", csv_rows(35)))
    job = imports.import_job_create(
        actor=actor, upload_token=token, file_name="opinie.csv", encoding="auto", publish=False
    )
    imports.import_job_run(public_id=job.public_id)
    assert seen[0] in (None, ("35", "0"))  # before the first batch: "checking" (SQLite) or 0 of 35
    assert seen[1:] == [("35", "10"), ("35", "20"), ("35", "30"), ("35", "35")]
    assert not list(imports.uploads.upload_dir().glob("*.progress"))


def job_page(client, job, **headers):
    return client.get(reverse("participation_data:import_job", kwargs={"job_id": job.public_id}), headers=headers)


def make_job(actor, **fields):
    return ImportJob.objects.create(
        public_id=f"job-{ImportJob.objects.count()}",
        actor=actor,
        upload_token="t",
        file_name="duzy.csv",
        encoding="auto",
        publish=False,
        language="pl",
        **fields,
    )


def test_the_job_page_counts_rows_written_of_rows_in_polish(client, reference_data):
    actor = moderator()
    client.force_login(actor)
    job = make_job(actor, status=ImportJobStatus.RUNNING, rows_done=4000, rows_total=20000)
    html = job_page(client, job, **{"HX-Request": "true"}).content.decode()
    assert f"Zapisano 4{NBSP}000 z 20{NBSP}000 opinii" in html
    assert '<progress class="progress" id="import-job-bar" max="20000" value="4000"' in html
    assert 'hx-trigger="every 2s"' in html
    checking = make_job(actor, status=ImportJobStatus.RUNNING)
    assert "Trwa sprawdzanie wierszy" in job_page(client, checking).content.decode()


def test_the_done_page_links_to_the_moderation_queue_and_agrees_in_number(client, reference_data):
    actor = moderator()
    client.force_login(actor)
    one = make_job(actor, status=ImportJobStatus.DONE, created=1, rows_done=1, rows_total=1)
    html = job_page(client, one).content.decode()
    assert "Zaimportowano 1 opinię; czeka w kolejce moderacji." in html
    assert f'href="{reverse("participation:moderation_queue")}"' in html
    many = make_job(actor, status=ImportJobStatus.DONE, created=50000, skipped=2, rows_done=50000, rows_total=50000)
    html = job_page(client, many).content.decode()
    assert f"Zaimportowano 50{NBSP}000 opinii; czekają w kolejce moderacji." in html
    assert "2 wiersze zaimportowane wcześniej, pominięte." in html


# --- numbers and plurals in Polish ---------------------------------------------------------------


def test_the_upload_page_writes_numbers_the_polish_way(staff):
    html = staff.get(reverse("participation_data:import")).content.decode()
    assert f"50{NBSP}000" in html
    assert "50,000" not in html
    assert "50000" not in html


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (1, "powstanie 1 opinia — czekająca na moderację"),
        (3, "powstaną 3 opinie — czekające na moderację"),
        (1500, f"powstanie 1{NBSP}500 opinii — czekających na moderację"),
    ],
)
def test_the_preview_agrees_in_number_and_groups_thousands(staff, rows, expected):
    html = preview_page(staff, csv_rows(rows)).content.decode()
    assert expected in html
    if rows == 1500:
        assert f"1{NBSP}500 wierszy z danymi" in html
        assert f"Importuj 1{NBSP}500 opinii" in html
        assert f"Pierwsze 20 z 1{NBSP}500 opinii" in html


# --- cells that a spreadsheet would run ----------------------------------------------------------


def test_the_preview_warns_about_formula_cells_and_shows_their_rows_past_the_first_twenty(staff):
    lines = [HEADER]
    for n in range(40):
        text, place = f"Więcej zieleni przy szkole numer {n}", "Plac Litewski"
        if n == 30:
            text = '"=HYPERLINK(""http://example.com"",""kliknij"") i więcej drzew"'
        if n == 2:
            place = "@Boisko"
        if n == 35:
            text = "- więcej ławek nad Zalewem"
        lines.append(f"{text},Edukacja,Śródmieście,Punkt mobilny,{place},2020-06-15")
    response = preview_page(staff, ("\n".join(lines) + "\n").encode())
    preview = response.context["preview"]
    assert [(cell.row, cell.column) for cell in preview.formula_cells] == [(4, "place"), (32, "text"), (37, "text")]
    shown = [row["row"] for row in preview.sample]
    assert shown == list(range(2, 22)) + [32, 37]
    html = response.content.decode()
    assert "Komórki, które arkusz może wykonać jako formuły" in html
    assert "=HYPERLINK(" in html
    assert preview.ok  # a warning, not an error: the text is kept as written


def test_the_sample_file_still_imports_cleanly(staff):
    template = staff.get(reverse("participation_data:import_template")).content
    preview = preview_page(staff, template, "wzor.csv").context["preview"]
    assert preview.ok
    assert preview.formula_cells == []
