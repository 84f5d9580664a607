"""The staff page of reports, its htmx status, downloads (private and published) and the stage tag."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, ReportKind, ReportStatus
from stages.models import Stage
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.reports.factories import ReportFactory, published_opinions

pytestmark = pytest.mark.django_db

LIST = reverse("reports:list")


def finished(report_files, **kwargs) -> Report:
    report = ReportFactory(
        status=ReportStatus.DONE, progress=100, page_count=2, file_size=9, finished_at=timezone.now(), **kwargs
    )
    report.file = f"reports/{report.pk}.pdf"
    report.save(update_fields=["file"])
    report.path.parent.mkdir(parents=True, exist_ok=True)
    report.path.write_bytes(b"%PDF-1.7 test")
    return report


@pytest.mark.parametrize("name", ["reports:list", "reports:status", "reports:download"])
def test_anonymous_people_are_sent_to_log_in(client, reference_data, name):
    report = ReportFactory()
    url = LIST if name == "reports:list" else reverse(name, args=[report.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_residents_may_not_see_reports(client, reference_data, report_files):
    report = finished(report_files)
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 403
    assert client.post(LIST, {"kind": "opinions", "language": "pl"}).status_code == 403


def test_moderators_read_and_download_but_do_not_request(client, reference_data, report_files):
    report = finished(report_files)
    client.force_login(moderator())
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Zamów raport" not in response.content.decode()
    assert client.post(LIST, {"kind": "opinions", "language": "pl"}).status_code == 403
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 test"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    assert client.post(reverse("reports:publish", args=[report.pk]), {}).status_code == 403


@pytest.mark.django_db(transaction=True)  # after-commit work runs as in production
def test_a_coordinator_requests_a_report_and_gets_it(client, reference_data, report_files, settings):
    settings.REPORTS_CHUNK_SIZE = 2
    published_opinions(3, text="Opinia do raportu {n}")
    client.force_login(coordinator())
    response = client.post(LIST, {"kind": "opinions", "area": "", "language": "pl"}, follow=True)
    page = response.content.decode()
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE
    assert "Raport jest gotowy" in page
    assert reverse("reports:download", args=[report.pk]) in page
    assert f'id="report-{report.pk}-bar"' not in page  # finished: no progress bar, no polling
    assert "hx-trigger" not in page


def test_an_invalid_request_says_why_in_polish(client, reference_data, report_files):
    client.force_login(coordinator())
    response = client.post(LIST, {"kind": "nonsense", "language": "pl"})
    assert response.status_code == 400
    assert "Wybierz poprawną wartość" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)  # after-commit work runs as in production
def test_with_the_broker_down_the_coordinator_is_told_at_once(client, reference_data, report_files, broker_down):
    client.force_login(coordinator())
    response = client.post(LIST, {"kind": "opinions", "language": "pl"}, follow=True)
    page = response.content.decode()
    assert "usługa przetwarzania w tle jest teraz niedostępna" in page.replace("\xa0", " ").lower()
    assert "nie trzeba zamawiać ponownie" in page.replace("\xa0", " ")
    assert Report.objects.get().status == ReportStatus.QUEUED


def test_a_report_in_progress_is_polled_until_it_ends(client, reference_data, report_files):
    report = ReportFactory(status=ReportStatus.RUNNING, progress=45, heartbeat_at=timezone.now())
    client.force_login(coordinator())
    page = client.get(LIST).content.decode()
    assert f'hx-get="{reverse("reports:status", args=[report.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'aria-live="polite"' in page
    assert f'<progress class="progress" id="report-{report.pk}-bar" max="100" value="45"' in page
    status = client.get(reverse("reports:status", args=[report.pk]))
    assert status.status_code == 200
    assert "45 %" in status.content.decode()
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.DONE, progress=100, file=f"reports/{report.pk}.pdf", page_count=1, file_size=5
    )
    status = client.get(reverse("reports:status", args=[report.pk]))
    assert status.status_code == 286  # htmx stops polling
    assert "Pobierz" in status.content.decode()
    assert (
        'data-announce="Raport „Raport tematyczny opinii: wszystkie obszary” jest gotowy do pobrania."'
        in status.content.decode()
    )


def test_reading_the_list_sweeps_a_report_whose_worker_died(client, reference_data, report_files, settings):
    settings.REPORTS_MAX_ATTEMPTS = 1
    long_ago = timezone.now() - timezone.timedelta(seconds=settings.REPORTS_STALE_SECONDS + 10)
    report = ReportFactory(status=ReportStatus.RUNNING, heartbeat_at=long_ago)
    client.force_login(coordinator())
    page = client.get(LIST).content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "Proces przygotowujący raport przerwał pracę" in page


def test_the_list_reads_a_fixed_number_of_queries(client, reference_data, report_files, django_assert_num_queries):
    for _ in range(4):
        finished(report_files)
        ReportFactory(status=ReportStatus.RUNNING, heartbeat_at=timezone.now())
        ReportFactory(status=ReportStatus.FAILED, error_code="error")
    client.force_login(coordinator())
    with django_assert_num_queries(5):  # one of them the override, to propose the current stage for publishing
        response = client.get(LIST)
    assert response.content.decode().count('class="report-status"') == 12


def test_publishing_puts_the_report_on_the_stage_page_for_everyone(client, reference_data, report_files):
    report = finished(report_files)
    stage = Stage.objects.get(number=2)
    client.force_login(coordinator())
    response = client.post(
        reverse("reports:publish", args=[report.pk]), {f"report-{report.pk}-stage": stage.pk}, follow=True
    )
    assert "jest opublikowany na stronie etapu" in response.content.decode()
    report.refresh_from_db()
    assert report.published_stage == stage

    client.logout()
    public = client.get(report.get_public_url())
    assert public.status_code == 200
    assert public["Content-Disposition"].startswith("inline;")
    html = Template("{% load reports_tags %}{% stage_reports stage %}").render(Context({"stage": stage}))
    assert report.get_public_url() in html
    assert "Raporty z tego etapu" in html
    assert (
        Template("{% load reports_tags %}{% stage_reports stage %}")
        .render(Context({"stage": Stage.objects.get(number=3)}))
        .strip()
        == ""
    )

    client.force_login(admin())
    client.post(reverse("reports:unpublish", args=[report.pk]))
    client.logout()
    assert client.get(report.get_public_url()).status_code == 404


def test_unpublished_or_unfinished_reports_are_never_public(client, reference_data, report_files):
    report = finished(report_files)
    assert client.get(report.get_public_url()).status_code == 404
    running = ReportFactory(status=ReportStatus.RUNNING, published_stage=Stage.objects.get(number=2))
    assert client.get(reverse("reports:public_download", args=[running.pk, "x.pdf"])).status_code == 404


def test_a_file_outside_the_private_root_is_never_served(client, reference_data, report_files):
    report = finished(report_files)
    Report.objects.filter(pk=report.pk).update(file="../../etc/passwd")
    client.force_login(coordinator())
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)  # after-commit work runs as in production
def test_try_again_makes_a_new_run(client, reference_data, report_files):
    report = ReportFactory(status=ReportStatus.FAILED, error_code="error", kind=ReportKind.OPINIONS)
    client.force_login(coordinator())
    response = client.post(reverse("reports:retry", args=[report.pk]), follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.run == 2
    assert report.status == ReportStatus.DONE


def test_administrators_see_reports_read_only_in_the_admin(client, reference_data, report_files):
    from tests.accounts.factories import UserFactory as Users

    report = finished(report_files)
    superuser = Users(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert page.status_code == 200
    assert "Zapisz" not in page.content.decode()  # no save button: changes go through the services


def test_a_published_report_is_revalidated_and_a_withdrawn_one_never_comes_from_a_cache(
    client, reference_data, report_files
):
    report = finished(report_files)
    client.force_login(coordinator())
    client.post(
        reverse("reports:publish", args=[report.pk]), {f"report-{report.pk}-stage": Stage.objects.get(number=2).pk}
    )
    client.logout()

    public = client.get(report.get_public_url())
    assert public.status_code == 200
    assert public["Cache-Control"] == "public, no-cache"  # shared caches ask again before every reuse
    assert "max-age" not in public["Cache-Control"]
    again = client.get(report.get_public_url(), HTTP_IF_NONE_MATCH=public["ETag"])
    assert again.status_code == 304

    client.force_login(coordinator())
    client.post(reverse("reports:unpublish", args=[report.pk]))
    client.logout()
    for headers in ({}, {"HTTP_IF_NONE_MATCH": public["ETag"]}):  # a cache revalidating gets the 404
        withdrawn = client.get(report.get_public_url(), **headers)
        assert withdrawn.status_code == 404
        assert "public" not in withdrawn.get("Cache-Control", "")
        assert "no-store" in withdrawn["Cache-Control"]


def test_the_list_proposes_the_current_stage_for_publishing(client, reference_data, report_files):
    from stages.services import process_set_current_stage

    report = finished(report_files)
    process_set_current_stage(actor=coordinator(), stage=Stage.objects.get(number=4), reason="test")
    client.force_login(coordinator())
    html = client.get(reverse("reports:list")).content.decode()
    stage_four = Stage.objects.get(number=4)
    assert f'<option value="{stage_four.pk}" selected>' in html
    stage_one = Stage.objects.get(number=1)
    assert f'<option value="{stage_one.pk}" selected>' not in html
    # A published report keeps showing its own stage.
    report.published_stage = Stage.objects.get(number=2)
    report.save(update_fields=["published_stage"])
    status = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "etapu II." in status
