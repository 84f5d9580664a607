"""Benchmark of the consultation at the size the issue sets: 5,000 comments on a 400-block draft.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_consult BENCH_REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/consultation.py [--comments 5000] [--runs 40] [--skip-pdf] [--skip-rush]

1. Writes the draft afresh (bench/strategy_document.build: 400 blocks, 60 indicators) and an open
   consultation of it with `--comments` published comments on random blocks, sections and the document,
   from every channel, seven in ten answered.
2. Server side (django.test.Client, DEBUG off): the public draft page with its comment counts, for an
   anonymous visitor and a signed-in resident: cold (cache emptied before each request), after a moderation
   decision (the public comments' version bumped before each request: the counts are read again, the draft
   is not rendered again) and warm; the staff triage list with each filter. p50/p95 and queries.
3. A bulk answer to 500 comments (`services.comments_answer_bulk`): seconds and queries.
4. The report's PDF of all comments through the reports pipeline: in parts on a real Celery worker of two
   processes (the production path; time from the request to the finished file, CPU, the peak memory of each
   process), then in one WeasyPrint pass in a fresh process (REPORTS_CHUNK_SIZE=0), for comparison.
5. The last-evening rush: gunicorn (4 workers × 4 threads) on 127.0.0.1:--port with this database and Redis,
   `--users` threads (16) each signed in as its own verified resident, each opening the form and sending a
   comment again and again for `--duration` seconds (60). It counts the answers by status and the rows
   stored; a redirect to the new comment is an accepted comment. The rate limits are switched off for it
   (the rush comes from many addresses; here all come from 127.0.0.1), then one more short run with them on
   shows what the refused get (429, never 500).

It prints figures and never passes or fails. The cold runs empty the Redis database of BENCH_REDIS_URL:
give it one nobody else uses.
"""

import argparse
import http.client
import os
import random
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_consult")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")

from participation_common import BASE_DIR, configure, ensure_database, machine  # noqa: E402
from reports_pdf import PRIVATE, children_of, cpu_seconds, mb, start_worker, status_kib  # noqa: E402
from strategy_document import build, line, measure  # noqa: E402

TEXTS = [
    "Proszę dopisać w tym akapicie konkretny termin realizacji i jednostkę odpowiedzialną za działanie.",
    "Zapis pomija seniorów i osoby z niepełnosprawnościami; należy go uzupełnić o ich potrzeby w dzielnicach.",
    "Prosimy o zachowanie parku w obecnym kształcie, bez nowej zabudowy i parkingów na jego terenie.",
    "Transport publiczny wieczorem i w weekendy jest niewystarczający, strategia powinna to zmienić.",
    "Warto dodać wskaźnik, po którym poznamy efekt tego kierunku działań, z wartością docelową na 2030 rok.",
]


def seed(version, *, comments: int, seed_value: int = 2030):
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from consultation.models import Answer, Comment, CommentChannel, Consultation, Target
    from participation.models import ModerationStatus
    from strategy.models import Block

    rng = random.Random(seed_value)
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        version=version,
        title="Konsultacje (benchmark)",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=20),
        announcement="Benchmark.",
        who_may_comment="Wszyscy.",
        contact_person="Benchmark",
        announced_at=timezone.now(),
    )
    coordinator = User.objects.filter(email="bench-coordinator@example.org").first()
    if coordinator is None:
        from django.contrib.auth.models import Group

        coordinator = User.objects.create_user("bench-coordinator@example.org", display_name="Koordynatorka")
        coordinator.groups.add(Group.objects.get(name="coordinator"))
    blocks = list(Block.objects.filter(version=version).select_related("chapter", "section"))
    channels = [CommentChannel.ONLINE] * 6 + [CommentChannel.PAPER, CommentChannel.MEETING, CommentChannel.EMAIL]
    rows = []
    for number in range(1, comments + 1):
        target = rng.choices([Target.BLOCK, Target.SECTION, Target.DOCUMENT], weights=[85, 10, 5])[0]
        place = {}
        if target != Target.DOCUMENT:
            block = rng.choice(blocks)
            place = {
                "section": block.section,
                "section_key": block.section.key,
                "chapter": block.chapter,
                "chapter_key": block.chapter.key,
            }
            if target == Target.BLOCK:
                place.update(block=block, block_key=block.key)
        answered = rng.random() < 0.7
        rows.append(
            Comment(
                consultation=consultation,
                version=version,
                number=number,
                target=target,
                text=f"{rng.choice(TEXTS)} ({number})",
                proposed_wording=rng.choice(TEXTS) if rng.random() < 0.3 else "",
                justification=rng.choice(TEXTS),
                commenter_name=f"Mieszkaniec {number % 700}" if rng.random() < 0.5 else "",
                channel=rng.choice(channels),
                received_on=consultation.starts_on,
                status=ModerationStatus.PUBLISHED,
                answer=rng.choice(Answer.values) if answered else "",
                answer_justification=rng.choice(TEXTS) if answered else "",
                **place,
            )
        )
    Comment.objects.bulk_create(rows, batch_size=1000)
    Consultation.objects.filter(pk=consultation.pk).update(last_number=comments)
    consultation.refresh_from_db()
    return consultation, coordinator


def server_side(consultation, coordinator, runs: int) -> None:
    from django.test import Client

    from accounts.models import User
    from consultation.selectors import fragment_number  # noqa: F401 - warms the module

    anonymous = Client()
    resident = Client()
    person = User.objects.filter(email="bench-resident@example.org").first() or User.objects.create_user(
        "bench-resident@example.org", display_name="Mieszkanka"
    )
    resident.force_login(person)
    staff = Client()
    staff.force_login(coordinator)
    page = consultation.get_absolute_url()
    print("\nThe public draft with its comment counts (server side, DEBUG off)")
    for label, client in (("anonymous", anonymous), ("signed-in resident", resident)):
        client.get(page)
        times, queries = measure(client, page, runs=max(5, runs // 4), cold=True)
        line(f"{page} {label}, cold", times, queries)
        times, queries = after_a_decision(client, consultation, runs=runs)
        line(f"{page} {label}, after a moderation decision", times, queries)
        times, queries = measure(client, page, runs=runs, cold=False)
        line(f"{page} {label}, warm", times, queries)
    chapter_key = consultation.comments.exclude(chapter_key="").values_list("chapter_key", flat=True).first()
    print("\nThe staff triage list (50 a page; session, user and roles included)")
    base = f"/panel/konsultacje/{consultation.pk}/uwagi/"
    for query in (
        "",
        "?status=unanswered",
        f"?chapter={chapter_key}",
        "?channel=paper",
        "?assignee=0",
        "?status=taken&channel=online",
        "?q=seniorów",
        "?status=unanswered&page=20",
    ):
        staff.get(base + query)
        times, queries = measure(staff, base + query, runs=runs, cold=False)
        line(f"triage {query or '(no filter)'}", times, queries)


def after_a_decision(client, consultation, *, runs: int):
    """The first reader after a moderation decision: the public comments' version has moved on."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultation.services import public_comments_changed

    times, queries = [], []
    for _ in range(runs):
        public_comments_changed(consultation.pk)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(consultation.get_absolute_url())
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries


def bulk_answer(consultation, coordinator, runs: int = 5) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultation import services
    from consultation.models import Answer

    ids = list(consultation.comments.order_by("number").values_list("pk", flat=True))
    times, queries = [], []
    for run in range(runs):
        chosen = ids[run * 500 : (run + 1) * 500]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            services.comments_answer_bulk(
                actor=coordinator,
                consultation=consultation,
                comment_ids=chosen,
                answer=Answer.NOT_TAKEN,
                justification="Zapis dotyczy spraw, które reguluje program wykonawczy strategii.",
            )
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    print("\nWrites")
    line("bulk answer to 500 comments", times, queries)


def pdf_single_pass(consultation_pk: int) -> None:
    """The report's PDF in one WeasyPrint pass, in a child process so that its peak memory is the PDF's alone."""
    print("\nThe report's PDF")
    env = {**os.environ, "REPORTS_CHUNK_SIZE": "0"}
    subprocess.run([sys.executable, __file__, "--pdf-of", str(consultation_pk)], check=True, env=env)


def pdf_child(consultation_pk: int) -> None:
    from django.utils import timezone

    from consultation.models import Consultation
    from reports.models import Report, ReportKind
    from reports.services import report_execute

    consultation = Consultation.objects.get(pk=consultation_pk)
    report = Report.objects.create(
        kind=ReportKind.CONSULTATION, subject_id=consultation.pk, subject_label="bench", heartbeat_at=timezone.now()
    )
    started = time.perf_counter()
    report_execute(report_id=report.pk, run=report.run)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"one pass, {consultation.comments.count()} comments: {seconds:.1f} s, {report.page_count} pages, "
        f"{(report.file_size or 0) / 1024 / 1024:.1f} MB, {report.status} {report.error_detail[:200]}; "
        f"peak memory {peak:.0f} MB · load {os.getloadavg()[0]:.2f}"
    )


def pdf_chunked(consultation, coordinator, *, concurrency: int, chunk_size: int) -> None:
    """The production path: a real worker with `concurrency` processes renders the parts and merges them."""
    from reports.models import Report, ReportKind
    from reports.services import report_request

    log = PRIVATE.parent / f"consultation-worker-{concurrency}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    worker = start_worker(log, concurrency, chunk_size)
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    try:
        before = {pid: cpu_seconds(pid) for pid in [worker.pid, *children_of(worker.pid)]}
        report = report_request(
            actor=coordinator, kind=ReportKind.CONSULTATION, subject_id=consultation.pk, subject_label="bench"
        )
        while report.status not in ("done", "failed"):
            for pid in [worker.pid, *children_of(worker.pid)]:
                peaks[pid] = max(peaks.get(pid, 0), status_kib(pid))
                cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid) - before.get(pid, 0.0))
            time.sleep(0.2)
            report = Report.objects.get(pk=report.pk)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    main = peaks.pop(worker.pid, 0)
    parts = list(report.parts.filter(run=report.run))
    seconds = [part.seconds or 0 for part in parts]
    print(
        f"in parts ({concurrency} worker processes, {chunk_size}/part): "
        f"{(report.finished_at - report.queued_at).total_seconds():.1f} s, {sum(cpu.values()):.0f} CPU s, "
        f"{report.page_count} pages, {len(parts)} parts of {min(seconds):.1f}–{max(seconds):.1f} s, "
        f"{report.status} {report.error_detail[:200]}; peak memory: worker main {mb(main)} MB, "
        + ", ".join(f"pool {pid} {mb(kib)} MB" for pid, kib in sorted(peaks.items()))
        + f" · load {os.getloadavg()[0]:.2f}"
    )


# The rush ------------------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # allauth's, as after a real log-in
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _commenter(port, session, path, deadline, results, lock):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookies = {"sessionid": session}
    counts = Counter()
    while time.time() < deadline:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            connection.request("GET", path + "nowa-uwaga/?cel=document", headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name] = rest.split(";", 1)[0]
            csrf, token = CSRF.search(body), TOKEN.search(body)
            if response.status != 200 or not csrf or not token:
                counts[f"form {response.status}"] += 1
                continue
            data = urlencode(
                {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "token": token.group(1),
                    "target": "document",
                    "key": "",
                    "text": "Ostatniego wieczoru: proszę dopisać więcej zieleni w każdej dzielnicy.",
                    "proposed_wording": "",
                    "justification": "Latem w mieście jest za gorąco.",
                    "speaks_as": "person",
                    "commenter_name": "",
                }
            )
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            connection.request(
                "POST",
                path + "nowa-uwaga/",
                body=data,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}{path}",
                },
            )
            response = connection.getresponse()
            response.read()
            location = response.headers.get("Location", "")
            if response.status == 302 and "/uwagi/" in location:
                counts["accepted (302 to the comment)"] += 1
            else:
                counts[f"POST {response.status}"] += 1
        except (OSError, http.client.HTTPException) as error:
            counts[f"connection error {type(error).__name__}"] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    with lock:
        results.update(counts)


def rush(consultation, *, users: int, duration: int, port: int, limits_on: bool) -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from consultation.models import Comment
    from stages.models import Stage, WindowKind
    from stages.services import process_set_current_stage, window_set_dates

    coordinator = User.objects.get(email="bench-coordinator@example.org")
    stage = Stage.objects.get(number=7)
    process_set_current_stage(actor=coordinator, stage=stage, reason="benchmark")
    window_set_dates(
        actor=coordinator,
        stage=stage,
        kind=WindowKind.CONSULTATION,
        opens_on=consultation.starts_on,
        closes_on=consultation.ends_on,
    )
    sessions = []
    for n in range(users):
        email = f"bench-rush-{n:02d}@example.org"
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, display_name=f"R{n}")
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        sessions.append(_session_cookie(user))
    env = os.environ.copy()
    if not limits_on:
        env["RATE_LIMIT_CONSULTATION_COMMENT_USER"] = ""
        env["RATE_LIMIT_CONSULTATION_COMMENT_IP"] = ""
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv/bin/gunicorn"),
            "lublin2030.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        before = Comment.objects.filter(consultation=consultation).count()
        results, lock = Counter(), threading.Lock()
        deadline = time.time() + duration
        threads = [
            threading.Thread(
                target=_commenter, args=(port, session, consultation.get_absolute_url(), deadline, results, lock)
            )
            for session in sessions
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        stored = Comment.objects.filter(consultation=consultation).count() - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    accepted = results.get("accepted (302 to the comment)", 0)
    label = "rate limits on (20/h a person, 60/h an address)" if limits_on else "rate limits off"
    print(
        f"\nThe rush, {label}: {users} commenters for {elapsed:.0f} s against gunicorn · load {os.getloadavg()[0]:.2f}"
    )
    for outcome, count in sorted(results.items()):
        print(f"  {outcome:40} {count}")
    print(
        f"  rows stored {stored}; accepted {accepted}; {'EQUAL' if stored == accepted else 'DIFFERENT'}; "
        f"{accepted / elapsed:.1f} accepted comments/s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=400)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--port", type=int, default=8166)
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-rush", action="store_true")
    parser.add_argument("--pdf-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    url = os.environ["BENCH_DATABASE_URL"]
    os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    os.environ["PRIVATE_STORAGE_ROOT"] = str(PRIVATE)
    configure(url)
    if args.pdf_of:
        import django

        django.setup()
        pdf_child(args.pdf_of)
        return
    ensure_database(url)
    import django

    django.setup()
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("build_translations", stdout=io.StringIO())
    print(machine(), f"· load {os.getloadavg()[0]:.2f}")
    from consultation.models import ChangeCitation, Comment, Consultation
    from reports.models import Report

    Report.objects.filter(kind="consultation").delete()
    ChangeCitation.objects.all().delete()
    Comment.objects.all().delete()
    Consultation.objects.all().delete()
    version, _second, _editor, seconds = build(blocks=args.blocks, indicators=60)
    started = time.perf_counter()
    consultation, coordinator = seed(version, comments=args.comments)
    print(
        f"draft of {args.blocks} blocks in {seconds:.1f} s; {args.comments} comments in {time.perf_counter() - started:.1f} s"
    )
    call_command("shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')", verbosity=0)

    server_side(consultation, coordinator, args.runs)
    bulk_answer(consultation, coordinator)
    if not args.skip_pdf:
        from django.conf import settings

        pdf_chunked(consultation, coordinator, concurrency=2, chunk_size=settings.REPORTS_CHUNK_SIZE)
        pdf_single_pass(consultation.pk)
    if not args.skip_rush:
        rush(consultation, users=args.users, duration=args.duration, port=args.port, limits_on=False)
        rush(consultation, users=args.users, duration=15, port=args.port, limits_on=True)


if __name__ == "__main__":
    main()
