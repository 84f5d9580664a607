"""The life of a report: request, parts, merge, re-runs, stale tasks, the sweeper, the broker down, publishing."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from participation.models import District
from reports import rendering, selectors, services
from reports.models import PartStatus, Report, ReportError, ReportKind, ReportPart, ReportStatus
from tests.accounts.factories import coordinator, moderator
from tests.reports.factories import ReportFactory, published_opinions

pytestmark = pytest.mark.django_db


@pytest.fixture
def chunked(settings, report_files):
    settings.REPORTS_CHUNK_SIZE = 3
    return settings


def pdf_texts(report: Report) -> list[str]:
    return [page.extract_text() for page in PdfReader(report.path).pages]


def opinions_in_two_districts():
    first, second = District.objects.order_by("position")[1:3]
    return published_opinions(
        5, district=first, text="Opinia {n} z pierwszej dzielnicy: źdźbło, żółw."
    ) + published_opinions(3, district=second, text="Opinia {n} z drugiej dzielnicy: gęś.")


def test_a_chunked_report_is_made_from_parts_with_global_page_numbers_and_contents(
    reference_data, chunked, run_on_commit
):
    opinions_in_two_districts()
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)
    assert report.status == ReportStatus.DONE, report.error_detail
    assert report.progress == 100
    assert report.parts_total == report.parts_done >= 4  # front matter + at least three parts of <= 3 opinions
    assert report.file == f"reports/{report.pk}.pdf"
    assert report.path.stat().st_size == report.file_size
    texts = pdf_texts(report)
    assert len(texts) == report.page_count
    body = "\n".join(texts)
    for n in range(5):
        assert f"Opinia {n} z pierwszej dzielnicy: źdźbło, żółw." in body
    assert "Spis treści" in texts[1]
    for number, text in enumerate(texts, start=1):
        assert f"strona {number} z {report.page_count}" in text
    # Every district in the contents is on the page the contents say.
    contents = texts[1]
    for district in District.objects.order_by("position")[1:3]:
        page = int(re.search(rf"{district.name}\s*(\d+)", contents).group(1))
        assert district.name in texts[page - 1]
    assert not services.work_dir(report.pk, report.run).exists()


def test_a_report_in_one_pass_when_chunking_is_off(reference_data, settings, report_files, run_on_commit):
    settings.REPORTS_CHUNK_SIZE = 0
    opinions_in_two_districts()
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS, language="en")
    assert report.status == ReportStatus.DONE
    assert report.parts_total == 0
    texts = pdf_texts(report)
    assert texts[0].startswith("STRATEGIA LUBLIN 2030")
    assert "Thematic report of opinions" in texts[0]
    assert f"page 1 of {report.page_count}" in texts[0]
    assert f"page 2 of {report.page_count}" in texts[1]
    assert "Opinia 4 z pierwszej dzielnicy" in "\n".join(texts)


def test_running_a_report_again_replaces_its_file(reference_data, chunked, run_on_commit):
    actor = coordinator()
    opinions_in_two_districts()
    report = run_on_commit(services.report_request, actor=actor, kind=ReportKind.OPINIONS)
    pages_before = report.page_count
    published_opinions(30, text="Nowa opinia {n}, dodana po pierwszym raporcie, dość długa, żeby zająć miejsce. " * 3)
    again = run_on_commit(services.report_retry, actor=actor, report=report)
    assert again.pk == report.pk
    assert again.run == report.run + 1
    assert again.status == ReportStatus.DONE
    assert again.page_count > pages_before
    assert sorted(p.name for p in (services.reports_root()).glob("*.pdf")) == [f"{report.pk}.pdf"]
    assert PdfReader(again.path).pages.__len__() == again.page_count
    assert ReportPart.objects.filter(report=report).exclude(run=again.run).count() == 0


def test_an_area_report_prints_that_area_only(reference_data, chunked, run_on_commit):
    from participation.models import Area

    first, second = Area.objects.order_by("position")[:2]
    published_opinions(2, area=first, text="Z obszaru pierwszego {n}")
    published_opinions(2, area=second, text="Z obszaru drugiego {n}")
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS, area=first)
    body = "\n".join(pdf_texts(report))
    assert "Z obszaru pierwszego 1" in body
    assert "Z obszaru drugiego" not in body
    assert first.name_pl in report.title


def test_an_empty_report_still_has_its_cover_and_summary(reference_data, chunked, run_on_commit):
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)
    assert report.status == ReportStatus.DONE
    assert "Podsumowanie" in "\n".join(pdf_texts(report))


def test_working_groups_and_verification_reports(reference_data, report_files, run_on_commit):
    from tests.reports import recommendations_data

    data = recommendations_data.make()
    actor = coordinator()
    for kind in (ReportKind.WORKGROUPS, ReportKind.VERIFICATION):
        report = run_on_commit(services.report_request, actor=actor, kind=kind)
        assert report.status == ReportStatus.DONE, report.error_detail
        text = "\n".join(pdf_texts(report))
        assert data["verified"].title in text
        assert data["draft"].title not in text
        assert f"strona 2 z {report.page_count}" in text


def test_only_coordinators_and_admins_request_reports(reference_data, report_files):
    with pytest.raises(PermissionDenied):
        services.report_request(actor=moderator(), kind=ReportKind.OPINIONS)
    with pytest.raises(PermissionDenied):
        services.report_request(actor=None, kind=ReportKind.OPINIONS)
    assert not Report.objects.exists()


# --- tasks that come late, twice, or fail ---------------------------------------------------------


def test_a_task_of_an_older_run_does_nothing(reference_data, report_files):
    report = ReportFactory(run=2)
    services.report_execute(report_id=report.pk, run=1)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    assert report.started_at is None
    part = ReportPart.objects.create(report=report, run=1, index=1, spec={"ids": []})
    services.part_render(part_id=part.pk)
    part.refresh_from_db()
    assert part.status == PartStatus.PENDING
    assert part.attempts == 0


def test_a_part_that_keeps_killing_its_worker_fails_the_report(reference_data, settings, report_files):
    settings.REPORTS_PART_MAX_ATTEMPTS = 3
    report = ReportFactory(status=ReportStatus.RUNNING, parts_total=2)
    part = ReportPart.objects.create(report=report, run=report.run, index=1, spec={"ids": []}, attempts=3)
    services.part_render(part_id=part.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error_code == ReportError.WORKER_LOST
    assert "part 1" in report.error_detail


def test_a_part_delivered_twice_is_counted_once(reference_data, settings, report_files, run_on_commit):
    settings.REPORTS_CHUNK_SIZE = 2
    published_opinions(3)
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)
    part = ReportPart.objects.filter(report=report, index=1).first()
    # The run is over and its parts were deleted with the work folder... a late duplicate finds nothing.
    if part is not None:
        run_on_commit(services.part_render, part_id=part.pk)
    report.refresh_from_db()
    assert report.parts_done == report.parts_total


def test_transient_database_errors_are_retried(reference_data, chunked, run_on_commit, monkeypatch):
    published_opinions(2)
    calls = {"count": 0}
    original = services.report_execute

    def flaky(**kwargs):
        calls["count"] += 1
        if calls["count"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(**kwargs)

    monkeypatch.setattr(services, "report_execute", flaky)
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)
    assert calls["count"] == 2
    assert report.status == ReportStatus.DONE


def test_an_error_marks_the_report_failed_with_a_message(reference_data, chunked, run_on_commit, monkeypatch):
    published_opinions(2)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(rendering, "render_html", broken)
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)
    assert report.status == ReportStatus.FAILED
    assert report.error_code == ReportError.ERROR
    assert "WeasyPrint exploded" in report.error_detail
    assert report.error_message == "Nie udało się przygotować raportu z powodu błędu."


def test_the_soft_time_limit_is_reported_as_such(reference_data, report_files):
    from celery.exceptions import SoftTimeLimitExceeded

    from reports.tasks import run_report

    report = ReportFactory(status=ReportStatus.RUNNING)
    run_report.on_failure(SoftTimeLimitExceeded(), "task-id", (report.pk, report.run), {}, None)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error_code == ReportError.TIMEOUT


def test_tasks_acknowledge_late_and_have_time_limits(settings):
    from lublin2030.celery import app
    from reports import tasks

    for task in (tasks.run_report, tasks.render_part, tasks.merge_report):
        assert task.acks_late
        assert task.reject_on_worker_lost
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
    assert app.conf.task_time_limit < settings.REPORTS_STALE_SECONDS


# --- the sweeper -----------------------------------------------------------------------------------


def test_the_sweeper_requeues_a_report_whose_worker_died_then_gives_up(
    reference_data, chunked, run_on_commit, settings
):
    settings.REPORTS_MAX_ATTEMPTS = 2
    published_opinions(2)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.REPORTS_STALE_SECONDS + 1)
    report = ReportFactory(status=ReportStatus.RUNNING, heartbeat_at=long_ago, started_at=long_ago, progress=40)
    fresh = ReportFactory(status=ReportStatus.RUNNING, heartbeat_at=timezone.now())

    outcome = run_on_commit(services.reports_sweep)
    assert outcome == {"requeued": [report.pk], "resumed": [], "failed": []}
    report.refresh_from_db()
    assert (report.run, report.attempts, report.status) == (2, 2, ReportStatus.DONE)  # re-run (eagerly here)
    fresh.refresh_from_db()
    assert fresh.status == ReportStatus.RUNNING

    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, heartbeat_at=long_ago)
    outcome = run_on_commit(services.reports_sweep)
    assert outcome == {"requeued": [], "resumed": [], "failed": [report.pk]}
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error_code == ReportError.WORKER_LOST


def test_a_queued_report_whose_message_was_lost_is_queued_again(reference_data, chunked, run_on_commit, settings):
    published_opinions(1)
    lost = ReportFactory(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.REPORTS_QUEUED_TIMEOUT_SECONDS + 5)
    )
    waiting = ReportFactory()
    outcome = run_on_commit(services.reports_sweep)
    assert outcome["requeued"] == [lost.pk]
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.QUEUED


# --- the broker down -----------------------------------------------------------------------------


def test_with_the_broker_down_the_request_waits_in_the_outbox_and_starts_when_it_is_back(
    reference_data, report_files, broker_down, run_on_commit
):
    from lublin2030 import queue
    from lublin2030.models import OutboxMessage
    from reports import tasks

    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)

    assert report.status == ReportStatus.QUEUED  # kept, not failed
    assert queue.is_waiting(tasks.run_report, report.pk, report.run)
    assert OutboxMessage.objects.get().task_name == "reports.tasks.run_report"


# --- publishing and reading ------------------------------------------------------------------------


def test_publishing_needs_a_finished_report_and_a_coordinator(reference_data, report_files):
    from stages.models import Stage

    stage = Stage.objects.get(number=2)
    queued = ReportFactory()
    with pytest.raises(ValidationError):
        services.report_publish(actor=coordinator(), report=queued, stage=stage)
    done = ReportFactory(status=ReportStatus.DONE, file="reports/1.pdf", page_count=3, file_size=100)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=moderator(), report=done, stage=stage)
    published = services.report_publish(actor=coordinator(), report=done, stage=stage)
    assert published.is_published
    assert list(selectors.published_reports_of_stage(stage)) == [published]
    services.report_unpublish(actor=coordinator(), report=published)
    assert list(selectors.published_reports_of_stage(stage)) == []


def test_small_reports_are_still_shared_by_several_processes(settings):
    settings.REPORTS_CHUNK_SIZE, settings.REPORTS_MIN_PARTS, settings.REPORTS_MIN_CHUNK_SIZE = 1000, 4, 200
    assert services.part_size(20000) == 1000
    assert services.part_size(1000) == 250
    assert services.part_size(300) == 200
    settings.REPORTS_CHUNK_SIZE = 25
    assert services.part_size(1000) == 25
