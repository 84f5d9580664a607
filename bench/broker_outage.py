"""How long a person waits when the broker (Redis) is down, against the same actions with it up.

Every action that queues background work (asking for a report, a moderation decision with its
e-mail) keeps its intent in the outbox when the broker does not answer (`lublin2030.queue`), and
the person must not wait for it. This prints the wall time of each action with Redis up (the
yardstick: `REDIS_URL`) and with Redis down (a URL on a port nothing listens on, for the cache and
the broker alike, as in a real outage), each in a fresh process, in the same run, with the number of
tasks left in the outbox. It never passes or fails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outage REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/broker_outage.py --runs 10
"""

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import configure, machine, percentile, prepare  # noqa: E402


def dead_redis_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def measure(label: str, runs: int) -> None:
    """In a process of its own, whose settings read REDIS_URL as a web process would."""
    configure()
    import django

    django.setup()
    from accounts.models import User
    from lublin2030.models import OutboxMessage
    from participation.models import Opinion
    from participation.services import opinion_publish
    from reports import services as reports
    from reports.models import Report, ReportKind

    coordinator = User.objects.get(email="koordynatorka@example.org")
    moderator = User.objects.get(email="moderator@example.org")
    timings = {"report request": [], "moderation decision": []}
    for _ in range(runs):
        started = time.perf_counter()
        reports.report_request(actor=coordinator, kind=ReportKind.OPINIONS)
        timings["report request"].append((time.perf_counter() - started) * 1000)
        opinion = Opinion.objects.order_by("?").first()
        Opinion.objects.filter(pk=opinion.pk).update(status="pending")
        started = time.perf_counter()
        opinion_publish(actor=moderator, opinion=opinion)
        timings["moderation decision"].append((time.perf_counter() - started) * 1000)
    for name, values in timings.items():
        print(
            f"  {label:12} {name:20} p50 {percentile(values, 0.5):7.1f} ms  p95 {percentile(values, 0.95):7.1f} ms  "
            f"max {max(values):7.1f} ms"
        )
    print(f"  {label:12} tasks left in the outbox: {OutboxMessage.objects.count()}")
    OutboxMessage.objects.all().delete()
    Report.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.runs)
        return
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        sys.exit("Set REDIS_URL to a Redis db nobody else uses: it is the yardstick (Redis up).")
    prepare(opinions=200)
    print(machine(), f"load average {os.getloadavg()[0]:.2f}")
    for label, url in (("Redis up", redis_url), ("Redis down", dead_redis_url())):
        command = [sys.executable, __file__, "--measure", label, "--runs", str(args.runs)]
        subprocess.run(command, env={**os.environ, "REDIS_URL": url}, check=True)


if __name__ == "__main__":
    main()
