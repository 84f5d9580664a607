"""The staff import pages: upload → preview → confirm, with permissions and the stored file."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from participation import data_forms, imports
from participation.models import ModerationStatus, Opinion
from tests.accounts.factories import UserFactory, coordinator, moderator

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data_files"
# The English interface at /en/, so that the assertions read the msgids whatever is translated.
with translation.override("en"):
    IMPORT = reverse("participation_data:import")
    PREVIEW = reverse("participation_data:import_preview")
    CONFIRM = reverse("participation_data:import_confirm")
    CANCEL = reverse("participation_data:import_cancel")
    TEMPLATE = reverse("participation_data:import_template")
    STAFF_HOME = reverse("staff_home")
    EXPORT = reverse("participation_data:export")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def stored_files(root):
    return list((Path(root) / "imports").glob("*"))


def upload(client, name="good.csv", publish="0", content=None):
    content = content if content is not None else (DATA / name).read_bytes()
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content), "encoding": "auto", "publish": publish})


@pytest.fixture
def staff(client, reference_data):
    client.force_login(moderator())
    return client


def test_anonymous_is_sent_to_login_and_resident_is_forbidden(client, reference_data, private_storage):
    for url in (IMPORT, PREVIEW):
        assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(IMPORT).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 32}).status_code == 403
    assert not Opinion.objects.exists()
    assert not stored_files(private_storage)


def test_upload_preview_confirm(staff, private_storage, run_on_commit):
    page = staff.get(IMPORT)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content

    response = upload(staff)
    assert response.status_code == 302
    assert response["Location"] == PREVIEW
    files = stored_files(private_storage)
    assert len(files) == 1  # kept privately, never under MEDIA_ROOT
    token = staff.session[imports_session_key()]["token"]
    assert token in files[0].name

    preview = staff.get(PREVIEW)
    assert preview.status_code == 200
    assert preview.context["preview"].create_count == 3
    assert "Import 3 opinions" in preview.content.decode()
    assert not Opinion.objects.exists()  # a preview writes nothing

    confirmed = run_on_commit(staff.post, CONFIRM, {"token": token})
    done = staff.get(confirmed["Location"])
    assert Opinion.objects.count() == 3
    assert set(Opinion.objects.values_list("status", flat=True)) == {ModerationStatus.PENDING}
    assert "Imported 3 opinions" in done.content.decode()
    assert not stored_files(private_storage)  # deleted after the import
    assert imports_session_key() not in staff.session

    # Again: the preview says everything was imported before; confirming creates nothing.
    upload(staff)
    preview = staff.get(PREVIEW)
    assert "3 already imported, skipped" in preview.content.decode()
    assert "Import 3" not in preview.content.decode()


def imports_session_key():
    from participation.data_views import SESSION_KEY

    return SESSION_KEY


def test_coordinator_publishes_at_once(client, reference_data, run_on_commit):
    client.force_login(coordinator())
    upload(client, publish="1")
    token = client.session[imports_session_key()]["token"]
    run_on_commit(client.post, CONFIRM, {"token": token})
    assert set(Opinion.objects.values_list("status", flat=True)) == {ModerationStatus.PUBLISHED}


def test_broken_file_shows_errors_and_cannot_be_confirmed(staff, private_storage, run_on_commit):
    upload(staff, name="broken_rows.csv")
    preview = staff.get(PREVIEW)
    assert preview.status_code == 422
    html = preview.content.decode()
    assert "Errors by row and column" in html
    assert "Nieznany obszar" in html
    assert CONFIRM not in html
    token = staff.session[imports_session_key()]["token"]
    run_on_commit(staff.post, CONFIRM, {"token": token})  # forced anyway
    assert not Opinion.objects.exists()
    assert not stored_files(private_storage)


def test_confirm_needs_the_token_of_this_session(staff, client, private_storage):
    upload(staff)
    response = staff.post(CONFIRM, {"token": "a" * 32}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert not Opinion.objects.exists()


def test_cancel_deletes_the_file(staff, private_storage):
    upload(staff)
    assert stored_files(private_storage)
    staff.post(CANCEL)
    assert not stored_files(private_storage)
    assert staff.get(PREVIEW).status_code == 302


def test_oversize_upload_is_refused_without_storing_it(staff, private_storage, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 300)
    monkeypatch.setattr(data_forms, "MAX_UPLOAD_BYTES", 300)
    response = upload(staff, content=b"text,area\n" + b"x" * 100_000)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not stored_files(private_storage)


def test_unreadable_file_shows_a_message_not_a_500(staff):
    upload(staff, name="opinie.xlsx", content=b"PK\x03\x04 not really a zip")
    preview = staff.get(PREVIEW)
    assert preview.status_code == 422
    assert "not a valid Excel workbook" in preview.content.decode()


def test_wrong_extension_is_refused(staff):
    response = upload(staff, name="opinie.pdf", content=b"%PDF-1.4")
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file" in response.content.decode()


def test_sample_file_and_staff_panel_link(staff):
    sample = staff.get(TEMPLATE)
    assert sample.status_code == 200
    assert "treść;obszar" in sample.content.decode("utf-8-sig")
    panel = staff.get(STAFF_HOME).content.decode()
    assert IMPORT in panel
    assert EXPORT in panel


def test_the_polish_interface_is_the_default(staff):
    response = staff.get(reverse("participation_data:import"))
    assert response.status_code == 200
    assert 'lang="pl"' in response.content.decode()


@pytest.fixture
def confirm(run_on_commit):
    """Upload a file and confirm its import; what the confirmation queues is sent at its commit."""

    def _confirm(staff, name="good.csv"):
        upload(staff, name=name)
        return run_on_commit(staff.post, CONFIRM, {"token": staff.session[imports_session_key()]["token"]})

    return _confirm


def test_the_confirmed_import_runs_in_the_background(staff, queued_tasks, private_storage, confirm):
    response = confirm(staff)
    assert response.status_code == 302
    [(task, [job_id], _kwargs)] = queued_tasks
    assert task == "participation.tasks.import_opinions"
    assert job_id in response["Location"]
    assert not Opinion.objects.exists()  # nothing in the request itself
    waiting = staff.get(response["Location"])
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert stored_files(private_storage)  # the worker still needs the file

    imports.import_job_run(public_id=job_id)  # what the worker does

    assert Opinion.objects.count() == 3
    assert not stored_files(private_storage)
    done = staff.get(response["Location"], headers={"HX-Request": "true"})
    html = done.content.decode()
    assert "Imported 3 opinions" in html
    assert "hx-trigger" not in html  # polling stops
    assert imports.import_job_run(public_id=job_id).status == "done"  # a second delivery does nothing
    assert Opinion.objects.count() == 3


def test_the_job_state_outlives_a_cache_flush(staff, queued_tasks, confirm):
    from django.core.cache import cache

    response = confirm(staff)
    [(_task, [job_id], _kwargs)] = queued_tasks
    cache.clear()
    imports.import_job_run(public_id=job_id)
    cache.clear()
    assert "Imported 3 opinions" in staff.get(response["Location"]).content.decode()


def test_a_job_page_belongs_to_the_importer(staff, queued_tasks, client, confirm):
    confirm(staff)
    [(_task, [job_id], _kwargs)] = queued_tasks
    client.force_login(moderator())
    assert client.get(reverse("participation_data:import_job", kwargs={"job_id": job_id})).status_code == 404


def test_when_the_broker_is_down_the_import_waits_in_the_outbox(staff, broker_down, private_storage, confirm):
    from lublin2030.models import OutboxMessage

    response = confirm(staff)

    assert response.status_code == 302
    assert not Opinion.objects.exists()
    [message] = OutboxMessage.objects.all()
    assert message.task_name == "participation.tasks.import_opinions"
    assert message.args[0] in response["Location"]
    assert stored_files(private_storage)  # kept for the worker that will run it
    assert "waiting" in staff.get(response["Location"]).content.decode()


def test_a_failed_job_says_why(staff, queued_tasks, private_storage, confirm):
    confirm(staff, name="broken_rows.csv")
    [(_task, [job_id], _kwargs)] = queued_tasks
    job = imports.import_job_run(public_id=job_id)
    assert job.status == "failed"
    assert "Nothing was imported" in job.messages[0]
    assert not Opinion.objects.exists()
    assert not stored_files(private_storage)


def test_the_sample_file_imports_cleanly(staff):
    upload(staff, name="wzor.csv", content=staff.get(TEMPLATE).content)
    preview = staff.get(PREVIEW)
    assert preview.context["preview"].ok
    assert preview.context["preview"].create_count == 1
