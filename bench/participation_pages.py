"""Benchmark of the public opinion pages and of submissions, on PostgreSQL with 20,000 published opinions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_h2 REDIS_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/python bench/participation_pages.py [--opinions 20000] [--runs 40] [--duration 10]

1. Creates the scratch database when missing, migrates, loads reference data, seeds the opinions
   (kept between runs; `--fresh` starts over).
2. Server side, in process (django.test.Client, DEBUG off): p50/p95 and queries of the list page
   (plain, filtered, searched, page 100, the last page) and of the opinion page, cold (cache emptied
   before every request) and warm, after a warm-up that visits every path once.
3. The sustained rate of accepted submissions through `participation.services.opinion_submit`.
4. Requests per second at 16 concurrent connections under gunicorn on 127.0.0.1 (gthread
   workers, DEBUG off), loaded by wrk when installed (`apt-get install -y wrk`), otherwise by a small
   threaded Python client. Bounded in time; loopback only.

It prints figures and never passes or fails. REDIS_URL empties its Redis database (cold runs):
give it a database number nobody else uses.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import BASE_DIR, machine, percentile, prepare  # noqa: E402

FILTERED = [
    "/opinie/?area=edukacja",
    "/opinie/?area=dobre-sasiedztwo&district=srodmiescie",
    "/opinie/?channel=punkt-mobilny&stage=2",
]
SEARCHED = [
    "/opinie/?q=ziele%C5%84",
    "/opinie/?q=komunikacja+miejska",
    "/opinie/?q=rower&area=demo-mobilnosc-i-transport",
]


def measure(client, paths, *, runs, cold):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, statuses = [], [], set()
    for index in range(runs):
        path = paths[index % len(paths)]
        if cold:
            cache.clear()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        times.append(elapsed)
        queries.append(len(captured.captured_queries))
        statuses.add(response.status_code)
    return times, queries, statuses


def server_side(args, opinion_paths):
    from django.test import Client

    client = Client()
    scenarios = [
        ("list, plain", ["/opinie/"]),
        ("list, filtered", FILTERED),
        ("list, searched", SEARCHED),
        ("list, page 100", ["/opinie/?page=100"]),
        ("list, last page", ["/opinie/?page=1000000"]),
        ("opinion page", opinion_paths),
        ("API /api/v1/opinions", ["/api/v1/opinions?limit=100", "/api/v1/opinions?area=edukacja&limit=20"]),
    ]
    print(
        f"\n## Server side (django.test.Client in process, {args.runs} runs per row; "
        "warm rows after a warm-up visiting every path)"
    )
    print("| page | cache | p50 ms | p95 ms | queries (max) | status |\n|---|---|---|---|---|---|")
    rows = []
    for name, paths in scenarios:
        # Warm first: every path at least once (the opinion page rotates 200), then the same paths
        # again. Cold empties the cache before each request, so it must come after.
        measure(client, paths, runs=max(args.warmup, len(paths)), cold=False)
        results = {cold: measure(client, paths, runs=args.runs, cold=cold) for cold in (False, True)}
        for cold in (True, False):
            times, queries, statuses = results[cold]
            row = (
                f"| {name} | {'cold' if cold else 'warm'} | {percentile(times, 0.5):.1f} | "
                f"{percentile(times, 0.95):.1f} | {max(queries)} | {','.join(map(str, sorted(statuses)))} |"
            )
            print(row, flush=True)
            rows.append(row)
    return rows


def submissions(args):
    from allauth.account.models import EmailAddress
    from django.core.cache import cache

    from accounts.models import User
    from participation.models import Area, District, Opinion
    from participation.services import opinion_submit

    per_user = 5
    users = []
    for number in range((args.submissions + per_user - 1) // per_user):
        email = f"bench-{number}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        users.append(user)
    cache.clear()  # rate-limit history of earlier runs
    areas = list(Area.objects.all())
    districts = list(District.objects.all())
    rng = random.Random(7)
    before = Opinion.objects.count()
    started = time.perf_counter()
    accepted = 0
    for index in range(args.submissions):
        opinion_submit(
            actor=users[index // per_user],
            area=rng.choice(areas),
            district=rng.choice(districts),
            text=f"Benchmark: więcej zieleni i ławek przy ulicy numer {index}, proszę o to od lat.",
            ip_address=None,
        )
        accepted += 1
    elapsed = time.perf_counter() - started
    Opinion.objects.filter(text__startswith="Benchmark: ").delete()
    line = (
        f"{accepted} accepted submissions through opinion_submit in {elapsed:.2f} s: "
        f"{accepted / elapsed:.0f} per second (one process, sequential)"
    )
    print("\n## Submissions\n" + line)
    assert Opinion.objects.count() == before
    return line


def start_gunicorn(args):
    env = dict(os.environ)
    env.update({"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "lublin2030.settings.base", "LOG_LEVEL": "WARNING"})
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "lublin2030.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
        "--timeout",
        "30",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", args.port, timeout=5)
            connection.request("GET", "/opinie/")
            connection.getresponse().read()
            return process, " ".join(command[1:])
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not start")


def load_wrk(args, paths):
    quoted = ", ".join('"' + path.replace('"', "") + '"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            f"paths = {{{quoted}}}\ncounter = 0\n"
            "request = function()\n  counter = counter + 1\n"
            "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
        )
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{args.port}",
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 30,
            check=False,
        ).stdout
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rate": rate,
        "p50": latency.get("50", "?"),
        "p90": latency.get("90", "?"),
        "p99": latency.get("99", "?"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket": socket_errors.group(1) if socket_errors else "",
    }


def load_python(args, paths):
    """A small keep-alive client: one thread per connection, bounded by time and count."""
    stop = time.time() + args.duration
    lock = threading.Lock()
    latencies, errors = [], [0]
    budget = [args.max_requests]

    def worker(offset):
        connection = HTTPConnection("127.0.0.1", args.port, timeout=10)
        counter = offset
        while time.time() < stop:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            path = paths[counter % len(paths)]
            counter += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", args.port, timeout=10)
                ok = False
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors[0] += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(index,)) for index in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rate": len(latencies) / elapsed,
        "p50": f"{percentile(latencies, 0.5):.1f}ms",
        "p90": f"{percentile(latencies, 0.9):.1f}ms",
        "p99": f"{percentile(latencies, 0.99):.1f}ms",
        "errors": errors[0],
        "socket": "",
    }


def warm_each_path(args, paths):
    connection = HTTPConnection("127.0.0.1", args.port, timeout=10)
    try:
        for path in paths:
            connection.request("GET", path)
            connection.getresponse().read()
    finally:
        connection.close()


def under_load(args, opinion_paths):
    process, command = start_gunicorn(args)
    tool = "wrk" if shutil.which("wrk") and not args.python_client else "python"
    print(f"\n## gunicorn, {args.connections} connections, {args.duration} s each, loaded by {tool}")
    print(f"`gunicorn {command}`\n")
    print("| page | req/s | load avg | p50 | p90 | p99 | non-200 |\n|---|---|---|---|---|---|---|")
    rows = []
    try:
        for name, paths in [
            ("list, plain", ["/opinie/"]),
            ("list, filtered (3 URLs)", FILTERED),
            ("list, searched (3 URLs)", SEARCHED),
            ("opinion page (200 opinions)", opinion_paths),
            ("API /api/v1/opinions", ["/api/v1/opinions?limit=20"]),
        ]:
            load = load_wrk if tool == "wrk" else load_python
            warm_each_path(args, paths)  # the cached part of every opinion page, not only the first ones
            load(argparse.Namespace(**{**vars(args), "duration": 2}), paths)  # warm-up: pools, caches
            result = load(args, paths)
            row = (
                f"| {name} | {result['rate']:.0f} | {os.getloadavg()[0]:.1f} | {result['p50']} | {result['p90']} | {result['p99']} | "
                f"{result['errors']}{' ' + result['socket'] if result['socket'] else ''} |"
            )
            print(row, flush=True)
            rows.append(row)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opinions", type=int, default=20_000)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the scratch database")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap of the Python client")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()

    prepared = prepare(opinions=args.opinions, fresh=args.fresh)
    from participation.models import Opinion

    published = Opinion.objects.public()
    print(f"# Participation pages — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{machine()}; load average before the run {os.getloadavg()[0]:.1f} (other work shares the cores)")
    print(
        f"{published.count()} published opinions ({Opinion.objects.count()} in all); "
        f"seeded {prepared['seeded']} now in {prepared['seed_seconds']:.1f} s; "
        f"cache: {'Redis' if os.environ.get('REDIS_URL') else 'local memory'}"
    )
    ids = list(published.order_by("?").values_list("id", flat=True)[:200])
    opinion_paths = [f"/opinie/{pk}/" for pk in ids]

    server_side(args, opinion_paths)
    submissions(args)
    if not args.skip_http:
        from django.db import connections

        connections.close_all()
        under_load(args, opinion_paths)


if __name__ == "__main__":
    main()
