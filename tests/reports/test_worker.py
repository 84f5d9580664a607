"""Real Celery workers (separate processes) on the real Redis, writing real PDFs into the test database.

The worker is `celery -A lublin2030 worker` started with the test database's URL (pytest-django's
`test_<name>`), this run's Redis db and a private folder of its own. Redis db is flushed first so no
message of an earlier run reaches the new worker.
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from reports import services
from reports.models import PartStatus, Report, ReportKind, ReportPart, ReportStatus
from tests.accounts.factories import coordinator
from tests.reports.factories import published_opinions
from tests.services import BASE_DIR

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CELERY = Path(sys.executable).with_name("celery")


def test_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Worker:
    def __init__(self, private_root: Path, log: Path, *, concurrency: int = 2, **env):
        self.name = f"reports-test-{uuid.uuid4().hex[:8]}@%h"
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lublin2030.settings.test",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "PRIVATE_STORAGE_ROOT": str(private_root),
            "PYTHONUNBUFFERED": "1",
            **{key: str(value) for key, value in env.items()},
        }
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "lublin2030",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=environment,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop it and its children together
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.log.read_text()[-3000:]}")
            if " ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise AssertionError(f"the worker did not start:\n{self.log.read_text()[-3000:]}")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL the whole worker, main process and pool: nothing gets to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(tmp_path, settings):
    import redis
    from celery import current_app

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    current_app.conf.task_always_eager = False  # this process publishes; the workers run the tasks
    started = []

    def start(**env) -> Worker:
        worker = Worker(settings.PRIVATE_STORAGE_ROOT, tmp_path / f"worker-{len(started)}.log", **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(predicate, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-4000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def finished(report_id: int) -> Report | None:
    report = Report.objects.get(pk=report_id)
    return report if report.status in (ReportStatus.DONE, ReportStatus.FAILED) else None


def test_a_worker_makes_a_real_pdf_that_reads_back(reference_data, workers):
    worker = workers(REPORTS_CHUNK_SIZE=15)
    published_opinions(40, text="Opinia nr {n}: więcej zieleni, ławek i ścieżek — Źródła, Łęgi, Żłobki.")
    requested = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    assert requested.status == ReportStatus.QUEUED  # a real broker: nothing ran in this process
    report = wait_for(lambda: finished(requested.pk), timeout=240, what="the report", log=worker.log)
    assert report.status == ReportStatus.DONE, report.error_detail
    assert report.parts_total == report.parts_done >= 4

    pages = PdfReader(report.path).pages
    texts = [page.extract_text() for page in pages]
    assert len(pages) == report.page_count
    assert texts[0].rstrip().endswith(f"strona 1 z {report.page_count}")
    assert all(f"strona {n} z {report.page_count}" in text for n, text in enumerate(texts, start=1))
    body = "\n".join(texts)
    for n in range(40):
        assert f"Opinia nr {n}: więcej zieleni, ławek i ścieżek — Źródła, Łęgi, Żłobki." in body
    contents = texts[1]
    assert "Spis treści" in contents
    summary_page = int(re.search(r"Podsumowanie\s*(\d+)", contents).group(1))
    assert texts[summary_page - 1].lstrip().startswith("Podsumowanie")
    district = published_opinions(1)[0].district.name
    district_page = int(re.search(rf"{re.escape(district)}\s*(\d+)", contents).group(1))
    assert district in texts[district_page - 1]


def test_a_pool_process_killed_mid_part_is_replaced_and_the_part_redone(reference_data, workers):
    """SIGKILL of the process rendering a part: late acknowledgement puts the part back in the queue."""
    worker = workers(REPORTS_CHUNK_SIZE=25, concurrency=1)
    published_opinions(250, text="Dłuższa opinia {n}. " + "Mieszkańcy proszą o więcej zieleni i cienia. " * 12)
    requested = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    part = wait_for(
        lambda: ReportPart.objects.filter(
            report_id=requested.pk, index__gte=2, attempts=1, status=PartStatus.PENDING
        ).first(),
        timeout=180,
        what="a part being rendered",
        log=worker.log,
    )
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)
    report = wait_for(lambda: finished(requested.pk), timeout=300, what="the report", log=worker.log)
    assert report.status == ReportStatus.DONE, report.error_detail
    assert report.attempts == 1  # no sweeper needed
    part.refresh_from_db()
    assert part.attempts >= 2  # redelivered and rendered again
    assert len(PdfReader(report.path).pages) == report.page_count


def test_a_whole_worker_killed_mid_report_is_swept_and_the_report_made_by_another(reference_data, workers):
    """SIGKILL of the whole worker: its unacknowledged part stays invisible for the visibility timeout,
    the report stops showing signs of life, the sweeper queues it again, a second worker makes it."""
    first = workers(REPORTS_CHUNK_SIZE=25, concurrency=1)
    published_opinions(250, text="Dłuższa opinia {n}. " + "Mieszkańcy proszą o więcej zieleni i cienia. " * 12)
    requested = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    wait_for(
        lambda: ReportPart.objects.filter(
            report_id=requested.pk, index__gte=2, attempts=1, status=PartStatus.PENDING
        ).exists(),
        timeout=180,
        what="a part being rendered",
        log=first.log,
    )
    first.kill()
    second = workers(REPORTS_CHUNK_SIZE=25, concurrency=2)

    def silent_for_three_seconds():
        report = Report.objects.get(pk=requested.pk)
        assert report.status == ReportStatus.RUNNING  # never finishes on its own: a part was lost
        return report if (time.time() - report.heartbeat_at.timestamp()) > 3 else None

    wait_for(silent_for_three_seconds, timeout=180, what="the report to go quiet", log=second.log)
    outcome = services.reports_sweep(stale_after=3)
    assert outcome["requeued"] == [requested.pk]
    report = wait_for(lambda: finished(requested.pk), timeout=300, what="the re-run", log=second.log)
    assert report.status == ReportStatus.DONE, report.error_detail
    assert (report.run, report.attempts) == (2, 2)
    assert len(PdfReader(report.path).pages) == report.page_count


def test_a_whole_worker_killed_is_noticed_by_its_silence_and_only_its_part_made_again(
    reference_data, workers, settings, client
):
    """SIGKILL of the whole worker while it renders a part: the part's heartbeat stops, the sweeper
    with its own settings (no threshold forced, REPORTS_STALE_SECONDS still minutes away) finds it
    within REPORTS_LOST_AFTER_SECONDS, queues that part again, and the staff page says what happened.
    The run goes on: the parts already made are kept."""
    from django.urls import reverse

    fast = {"REPORTS_CHUNK_SIZE": 25, "REPORTS_HEARTBEAT_SECONDS": 1, "REPORTS_LOST_AFTER_SECONDS": 4}
    settings.REPORTS_HEARTBEAT_SECONDS, settings.REPORTS_LOST_AFTER_SECONDS = 1, 4
    assert settings.REPORTS_STALE_SECONDS > 300
    first = workers(concurrency=1, **fast)
    published_opinions(250, text="Dłuższa opinia {n}. " + "Mieszkańcy proszą o więcej zieleni i cienia. " * 12)
    requested = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    part = wait_for(
        lambda: (
            ReportPart.objects.filter(report_id=requested.pk, index__gte=2, attempts=1, status=PartStatus.PENDING)
            .exclude(worker="")
            .first()
        ),
        timeout=180,
        what="a part being rendered",
        log=first.log,
    )
    first.kill()
    second = workers(concurrency=2, **fast)
    resumed = wait_for(
        lambda: services.reports_sweep()["resumed"], timeout=120, what="the sweeper to notice", log=second.log
    )
    assert resumed == [requested.pk]
    client.force_login(coordinator())
    status = client.get(reverse("reports:status", args=[requested.pk])).content.decode()
    assert "przerwał pracę" in status  # still running: the lost part is being made again
    report = wait_for(lambda: finished(requested.pk), timeout=300, what="the report", log=second.log)
    assert report.status == ReportStatus.DONE, report.error_detail
    assert (report.run, report.attempts) == (1, 1)  # resumed, not started over
    part.refresh_from_db()
    assert part.attempts == 2
    assert len(PdfReader(report.path).pages) == report.page_count


def test_a_whole_worker_killed_with_no_attempt_left_is_marked_failed(reference_data, workers, settings):
    settings.REPORTS_MAX_ATTEMPTS = 1
    first = workers(REPORTS_CHUNK_SIZE=25, concurrency=1)
    published_opinions(150, text="Opinia {n}. " + "Źdźbło trawy na Starym Mieście. " * 10)
    requested = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    wait_for(
        lambda: Report.objects.filter(pk=requested.pk, status=ReportStatus.RUNNING, parts_done__gte=1).exists(),
        timeout=180,
        what="the report to be running",
        log=first.log,
    )
    first.kill()
    time.sleep(1.5)
    assert services.reports_sweep(stale_after=1)["failed"] == [requested.pk]
    report = Report.objects.get(pk=requested.pk)
    assert report.status == ReportStatus.FAILED
    assert report.error_message == "Proces przygotowujący raport przerwał pracę, a ponowna próba nie pomogła."


def test_a_report_asked_again_on_a_worker_reuses_the_parts_that_did_not_change(reference_data, workers):
    from participation.models import Area

    worker = workers(REPORTS_CHUNK_SIZE=15)
    published_opinions(40, text="Opinia nr {n} w pierwszym obszarze.")
    first = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    first = wait_for(lambda: finished(first.pk), timeout=240, what="the first report", log=worker.log)
    assert first.status == ReportStatus.DONE, first.error_detail

    second_area = Area.objects.order_by("position")[1]
    published_opinions(3, area=second_area, text="Nowa opinia nr {n} w drugim obszarze.")
    again = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    again = wait_for(lambda: finished(again.pk), timeout=240, what="the second report", log=worker.log)
    assert again.status == ReportStatus.DONE, again.error_detail
    parts = list(again.parts.filter(run=again.run).exclude(index=services.FRONT_PART).order_by("index"))
    first_keys = set(first.parts.exclude(key="").values_list("key", flat=True))
    assert [part.reused for part in parts] == [part.key in first_keys for part in parts]
    assert sum(part.reused for part in parts) == len(first_keys) >= 2  # the whole first area, untouched
    assert not parts[-1].reused  # the second area's part, new

    texts = [page.extract_text() for page in PdfReader(again.path).pages]
    assert all(f"strona {n} z {again.page_count}" in text for n, text in enumerate(texts, start=1))
    body = "\n".join(texts)
    assert all(f"Opinia nr {n} w pierwszym obszarze." in body for n in range(40))
    assert all(f"Nowa opinia nr {n} w drugim obszarze." in body for n in range(3))
    page = int(re.search(rf"{re.escape(second_area.name)}\s*(\d+)", texts[1]).group(1))
    assert second_area.name in texts[page - 1]
