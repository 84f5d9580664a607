"""PDF report benchmark: one WeasyPrint pass against the chunked design, at 1,000 / 5,000 / 20,000 opinions.

    .venv/bin/python bench/reports_pdf.py            # all three sizes (about 10 minutes on 2 idle cores)
    .venv/bin/python bench/reports_pdf.py --sizes 1000 --designs chunked
    .venv/bin/python bench/reports_pdf.py --sizes 20000 --concurrency 2 --new-opinions 100   # + re-generation

It makes its own scratch database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_h4),
migrates it, loads the reference data and seeds published opinions with bulk_create (bench/reports_seed.py),
so it depends on nothing else. Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/4), flushed first.

- "single pass": the whole report in one WeasyPrint pass (REPORTS_CHUNK_SIZE=0), run by
  `report_execute` in a fresh Python process; its peak memory is that process's ru_maxrss (os.wait4).
- "chunked": the production path. A real `celery -A lublin2030 worker` (`--concurrency` 1, then 2 by
  default, restarted for each run) renders the parts and merges them; the time is the report's
  queued_at -> finished_at. One process against two shows how the design scales with processes.
  Peak memory per process is VmHWM from /proc/<pid>/status of the worker's main process and of
  every pool process, sampled every 0.2 s (pool processes are replaced after
  CELERY_WORKER_MAX_TASKS_PER_CHILD tasks, so each pid seen is reported).

- "re-gen." (after every chunked run, unless --new-opinions 0): `--new-opinions` more published
  opinions are added and the same report is asked for again on the same worker: the parts whose
  content did not change are taken from the previous report (reports/services/part_cache.py), the
  others rendered. Twice: "spread", opinions over every area, district and date like the others
  (the worst case: most districts get one); then "one meeting", opinions of one district collected
  the day after all the others (a batch typed in after a consultation meeting). Every first
  generation starts with no report in the database (so no part to reuse: a cold run).

Every line carries the load average (1 min) before and after it: the machine is shared. The ratio of
the single pass to the 2-process worker is printed for each size.

Figures are printed, never judged: a benchmark that fails on time would only measure the machine.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_h4")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
OUTPUT = BASE_DIR / "bench" / "output"
PRIVATE = OUTPUT / "private"


def environment(**extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lublin2030.settings.test",
        "DATABASE_URL": BENCH_DB,
        "REDIS_URL": BENCH_REDIS,
        "PRIVATE_STORAGE_ROOT": str(PRIVATE),
        "PYTHONUNBUFFERED": "1",
        **{key: str(value) for key, value in extra.items()},
    }


def setup_django(**extra) -> None:
    os.environ.update(environment(**extra))
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def create_database() -> None:
    import psycopg

    name = BENCH_DB.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)


def set_opinion_count(count: int) -> None:
    """Exactly `count` published opinions, the first ones always the same (same seed)."""
    from django.db import connection

    from bench.reports_seed import seed_opinions
    from participation.models import Opinion

    have = Opinion.objects.count()
    if have > count:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE participation_opinion CASCADE")
        have = 0
    if have < count:
        seed_opinions(count - have, seed=2030 + have)


def coordinator():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import COORDINATOR

    user, _ = User.objects.get_or_create(email="bench-coordinator@example.org")
    user.groups.add(Group.objects.get_or_create(name=COORDINATOR)[0])
    return user


def mb(kib: int) -> int:
    return round(kib / 1024)


# --- single pass -----------------------------------------------------------------------------------


def single_pass_child(report_id: int) -> None:
    """Runs in its own process: the report in one WeasyPrint pass."""
    setup_django(REPORTS_CHUNK_SIZE=0)
    from reports import services

    services.report_execute(report_id=report_id, run=1)


def run_single_pass(count: int) -> dict:
    from reports.models import Report, ReportKind

    report = Report.objects.create(kind=ReportKind.OPINIONS, requested_by=coordinator())
    load = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, __file__, "--single-pass-child", str(report.pk)], env=environment(REPORTS_CHUNK_SIZE=0)
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    cpu = usage.ru_utime + usage.ru_stime
    report.refresh_from_db()
    if report.status != "done":
        raise SystemExit(f"single pass failed ({status}): {report.error_detail}")
    return {
        "design": "single pass",
        "load": (load, os.getloadavg()[0]),
        "opinions": count,
        "wall": wall,
        "pages": report.page_count,
        "size": report.file_size,
        "parts": 1,
        "cpu": cpu,
        "peaks": [("renderer", mb(usage.ru_maxrss))],
    }


# --- the chunked design on a real worker -----------------------------------------------------------


def status_kib(pid: int, key: str = "VmHWM") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except FileNotFoundError:
        return []


def start_worker(log: Path, concurrency: int, chunk_size: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "lublin2030",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "-n",
            f"bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=environment(REPORTS_CHUNK_SIZE=chunk_size),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(children_of(process.pid)) < concurrency:
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    time.sleep(2)  # the pool processes import Django and the tasks
    return process


def generate_on_worker(worker: subprocess.Popen, log: Path) -> dict:
    """Ask for the opinions report and wait for the worker to make it; time, CPU and memory of the worker."""
    from reports import services
    from reports.models import Report, ReportKind

    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    load = os.getloadavg()[0]
    before = {pid: cpu_seconds(pid) for pid in [worker.pid, *children_of(worker.pid)]}
    started = time.monotonic()
    report = services.report_request(actor=coordinator(), kind=ReportKind.OPINIONS)
    while True:
        for pid in [worker.pid, *children_of(worker.pid)]:
            peaks[pid] = max(peaks.get(pid, 0), status_kib(pid))
            cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid) - before.get(pid, 0.0))
        report = Report.objects.get(pk=report.pk)
        if report.status in ("done", "failed"):
            break
        if time.monotonic() - started > 1800:
            raise SystemExit("the report took more than 30 minutes")
        time.sleep(0.2)
    if report.status != "done":
        raise SystemExit(f"the report failed: {report.error_detail}\n{log.read_text()[-3000:]}")
    parts = list(report.parts.filter(run=report.run).order_by("index"))
    main = peaks.pop(worker.pid, 0)
    return {
        "opinions": report.parts.get(index=0, run=report.run).spec["summary"]["total"],
        "wall": (report.finished_at - report.queued_at).total_seconds(),
        "observed": time.monotonic() - started,
        "pages": report.page_count,
        "size": report.file_size,
        "parts": len(parts),
        "reused": sum(p.reused for p in parts),
        "part_seconds": [p.seconds for p in parts if not p.reused],
        "cpu": sum(cpu.values()),
        "load": (load, os.getloadavg()[0]),
        "peaks": [("worker main", mb(main))] + [(f"pool {pid}", mb(kib)) for pid, kib in sorted(peaks.items())],
    }


def add_from_one_meeting(count: int, *, seed: int) -> None:
    """`count` opinions collected at one meeting: one area, one district, one day after all the others."""
    import datetime

    from django.db.models import Max

    from bench.reports_seed import seed_opinions
    from participation.models import Opinion

    last_day = Opinion.objects.aggregate(last=Max("collected_on"))["last"]
    newest = Opinion.objects.aggregate(last=Max("pk"))["last"]
    seed_opinions(count, seed=seed, areas=1)
    sample = Opinion.objects.filter(pk__gt=newest).first()
    Opinion.objects.filter(pk__gt=newest).update(
        district_id=sample.district_id, collected_on=last_day + datetime.timedelta(days=1)
    )


def run_chunked(count: int, *, concurrency: int, chunk_size: int, new_opinions: int = 0) -> list[dict]:
    """A cold first generation on a fresh worker; with `new_opinions`, a re-generation after adding them."""
    from django.conf import settings

    from bench.reports_seed import seed_opinions
    from reports.models import Report

    settings.REPORTS_CHUNK_SIZE = chunk_size
    Report.objects.all().delete()  # no part left to reuse: the first generation is cold
    log = OUTPUT / f"worker-{count}.log"
    worker = start_worker(log, concurrency, chunk_size)
    design = f"chunked ({concurrency} process{'es' if concurrency > 1 else ''}, {chunk_size}/part)"
    try:
        results = [{"design": design, **generate_on_worker(worker, log)}]
        results[0]["detail"] = merge_seconds(log)
        if new_opinions:
            seed_opinions(new_opinions, seed=7000 + count)
            results.append({"design": f"re-gen., +{new_opinions} spread", **generate_on_worker(worker, log)})
            results[-1]["detail"] = merge_seconds(log)
            add_from_one_meeting(new_opinions, seed=8000 + count)
            results.append({"design": f"re-gen., +{new_opinions} one meeting", **generate_on_worker(worker, log)})
            results[-1]["detail"] = merge_seconds(log)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    return results


def merge_seconds(log: Path) -> str:
    import re

    found = re.findall(r"front matter ([\d.]+) s \((\d+) tries\), merge of (\d+) parts ([\d.]+) s", log.read_text())
    return f"front matter {found[-1][0]} s, merge {found[-1][3]} s" if found else ""


def print_result(result: dict) -> None:
    peaks = ", ".join(f"{name} {value}" for name, value in result["peaks"])
    load = "{:.1f}->{:.1f}".format(*result["load"])
    print(
        f"{result['opinions']:>8}  {result['design']:<34} {result['wall']:>7.1f} {result['cpu']:>6.0f}"
        f" {result['pages']:>6} {result['parts']:>5} {result['size'] / 1e6:>7.1f} {load:>10}  {peaks}"
    )
    if result.get("part_seconds"):
        seconds = sorted(s for s in result["part_seconds"] if s is not None)
        print(
            f"{'':>8}  parts rendered: {len(seconds)}, reused: {result.get('reused', 0)},"
            f" {min(seconds):.1f}-{max(seconds):.1f} s each"
            f" ({sum(seconds):.0f} s of rendering in all); {result.get('detail', '')}"
        )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--designs", nargs="+", default=["single", "chunked"], choices=["single", "chunked"])
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 2],
        help="worker processes for the chunked design; several values show how it scales (default: 1 2)",
    )
    parser.add_argument("--chunk-size", type=int, default=None, help="opinions per part (default: the setting)")
    parser.add_argument(
        "--new-opinions", type=int, default=100, help="opinions added before the re-generation (0: none)"
    )
    parser.add_argument("--single-pass-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single_pass_child:
        single_pass_child(args.single_pass_child)
        return

    OUTPUT.mkdir(parents=True, exist_ok=True)
    create_database()
    setup_django()
    import redis
    from django.conf import settings

    redis.Redis.from_url(BENCH_REDIS).flushdb()
    prepare()
    chunk_size = args.chunk_size or settings.REPORTS_CHUNK_SIZE
    load = os.getloadavg()
    print(f"# reports_pdf: {os.cpu_count()} CPUs, load average {load[0]:.2f} at start, chunk size {chunk_size}")
    print(
        f"{'opinions':>8}  {'design':<34} {'wall s':>7} {'CPU s':>6} {'pages':>6} {'parts':>5} {'file MB':>7}"
        f" {'load 1 min':>10}  peak RSS MB per process"
    )
    for count in args.sizes:
        set_opinion_count(count)
        walls = {}
        for design in args.designs:
            if design == "single":
                runs = [run_single_pass]
            else:
                runs = [
                    partial(run_chunked, concurrency=c, chunk_size=chunk_size, new_opinions=args.new_opinions)
                    for c in args.concurrency
                ]
            for run in runs:
                set_opinion_count(count)  # a re-generation added opinions: back to `count`
                results = run(count)
                for result in results if isinstance(results, list) else [results]:
                    print_result(result)
                    walls[result["design"]] = result["wall"]
        two = next((wall for design, wall in walls.items() if design.startswith("chunked (2 ")), None)
        if "single pass" in walls and two:
            print(f"{'':>8}  single pass / chunked with 2 processes: {walls['single pass'] / two:.2f}x")
    print(f"# load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
