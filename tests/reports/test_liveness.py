"""A worker that dies while rendering is noticed within REPORTS_LOST_AFTER_SECONDS, not the eight-minute
REPORTS_STALE_SECONDS: what it was doing is queued again, and the report page says what happened."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import PartStatus, Report, ReportPart, ReportStatus
from reports.services import liveness
from tests.accounts.factories import coordinator
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.fixture
def half_done(reference_data, report_files, settings):
    """A chunked report: the front matter and part 1 done, part 2 rendering on a worker that went
    silent a minute ago, part 3 waiting in the queue."""
    assert settings.REPORTS_LOST_AFTER_SECONDS < 60 < settings.REPORTS_STALE_SECONDS
    report = ReportFactory(
        status=ReportStatus.RUNNING, progress=47, parts_total=4, parts_done=2, active_steps=1, heartbeat_at=ago(60)
    )
    parts = {
        index: ReportPart.objects.create(report=report, run=report.run, index=index, status=status, **extra)
        for index, status, extra in [
            (0, PartStatus.DONE, {"page_count": 2}),
            (1, PartStatus.DONE, {"page_count": 5}),
            (2, PartStatus.PENDING, {"worker": "worker-a:4242", "heartbeat_at": ago(60), "attempts": 1}),
            (3, PartStatus.PENDING, {}),
        ]
    }
    return report, parts


def test_a_silent_part_is_queued_again_and_the_status_says_the_report_is_restarted(
    client, half_done, queued_tasks, run_on_commit
):
    report, parts = half_done
    client.force_login(coordinator())
    response = run_on_commit(client.get, reverse("reports:status", args=[report.pk]))  # the on-read sweep
    html = response.content.decode()
    assert "Proces przygotowujący ten raport przerwał pracę o" in html
    assert "raport jest wznawiany" in html
    assert queued_tasks == [("reports.tasks.render_part", [parts[2].pk], {})]  # only the lost part
    report.refresh_from_db()
    assert (report.run, report.attempts, report.status, report.parts_done) == (1, 1, ReportStatus.RUNNING, 2)
    assert report.active_steps == 0
    assert report.worker_lost_at is not None
    parts[2].refresh_from_db()
    assert parts[2].worker == ""


def test_the_periodic_sweep_resumes_it_too_and_the_report_then_finishes_without_the_notice(
    half_done, queued_tasks, run_on_commit
):
    report, _parts = half_done
    assert run_on_commit(services.reports_sweep) == {"requeued": [], "resumed": [report.pk], "failed": []}
    assert run_on_commit(services.reports_sweep) == {"requeued": [], "resumed": [], "failed": []}  # once
    assert len(queued_tasks) == 1
    Report.objects.filter(pk=report.pk).update(active_steps=0)
    from reports.services.pipeline import finish

    report.refresh_from_db()
    temporary = services.reports_root() / "x.pdf"
    temporary.parent.mkdir(parents=True, exist_ok=True)
    temporary.write_bytes(b"%PDF-1.7")
    finish(report, temporary, 7)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.worker_lost_at is None


def test_parts_only_waiting_in_the_queue_are_not_taken_for_a_dead_worker(half_done, queued_tasks, run_on_commit):
    """Two workers busy with another report: this one's parts wait, nothing renders, nothing is lost."""
    report, parts = half_done
    ReportPart.objects.filter(pk=parts[2].pk).update(worker="", heartbeat_at=None)
    Report.objects.filter(pk=report.pk).update(active_steps=0)
    assert run_on_commit(services.reports_sweep) == {"requeued": [], "resumed": [], "failed": []}
    assert queued_tasks == []


def test_a_part_still_beating_on_another_worker_is_left_alone(half_done, queued_tasks, run_on_commit):
    report, parts = half_done
    ReportPart.objects.filter(pk=parts[3].pk).update(worker="worker-b:7", heartbeat_at=timezone.now())
    Report.objects.filter(pk=report.pk).update(active_steps=2)
    assert run_on_commit(services.reports_sweep)["resumed"] == [report.pk]
    assert queued_tasks == [("reports.tasks.render_part", [parts[2].pk], {})]
    report.refresh_from_db()
    assert report.active_steps == 1  # the part still rendering


def test_a_lost_merge_is_queued_again(reference_data, report_files, queued_tasks, run_on_commit):
    report = ReportFactory(
        status=ReportStatus.RUNNING,
        parts_total=2,
        parts_done=2,
        active_steps=1,
        worker="worker-a:1",
        heartbeat_at=ago(60),
    )
    assert run_on_commit(services.reports_sweep)["resumed"] == [report.pk]
    assert queued_tasks == [("reports.tasks.merge_report", [report.pk, report.run], {})]


def test_a_lost_first_step_restarts_the_run_and_says_so(
    client, reference_data, report_files, queued_tasks, run_on_commit
):
    report = ReportFactory(status=ReportStatus.RUNNING, active_steps=1, worker="worker-a:1", heartbeat_at=ago(60))
    assert run_on_commit(services.reports_sweep)["requeued"] == [report.pk]
    report.refresh_from_db()
    assert (report.run, report.attempts, report.status, report.active_steps) == (2, 2, ReportStatus.QUEUED, 0)
    assert queued_tasks == [("reports.tasks.run_report", [report.pk, 2], {})]
    client.force_login(coordinator())
    assert "raport jest wznawiany" in client.get(reverse("reports:status", args=[report.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_rendering_step_beats_while_it_works_and_is_uncounted_however_it_ends(reference_data, settings):
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    report = ReportFactory(status=ReportStatus.RUNNING, heartbeat_at=ago(600))
    part = ReportPart.objects.create(report=report, run=report.run, index=1)
    with liveness.working(report.pk, report.run, part_id=part.pk):
        first = Report.objects.get(pk=report.pk).heartbeat_at
        time.sleep(0.4)
        report.refresh_from_db()
        part.refresh_from_db()
        assert report.active_steps == 1
        assert report.heartbeat_at > first  # the heartbeat thread wrote while this thread slept
        assert part.worker == liveness.worker_id()
        assert part.heartbeat_at > first
    report.refresh_from_db()
    assert report.active_steps == 0

    def failing_render():
        with liveness.working(report.pk, report.run):
            assert Report.objects.get(pk=report.pk).worker == liveness.worker_id()
            raise RuntimeError("WeasyPrint failed")

    with pytest.raises(RuntimeError):
        failing_render()
    report.refresh_from_db()
    assert (report.active_steps, report.worker) == (0, "")


def test_a_silent_part_is_found_while_other_parts_still_render_elsewhere(half_done, queued_tasks, run_on_commit):
    """One of two worker machines dies: the other keeps the report's heartbeat fresh, the dead one's
    part is still found by its own silence."""
    report, parts = half_done
    ReportPart.objects.filter(pk=parts[3].pk).update(worker="worker-b:7", heartbeat_at=timezone.now())
    Report.objects.filter(pk=report.pk).update(active_steps=2, heartbeat_at=timezone.now())
    assert run_on_commit(services.reports_sweep)["resumed"] == [report.pk]
    assert queued_tasks == [("reports.tasks.render_part", [parts[2].pk], {})]
