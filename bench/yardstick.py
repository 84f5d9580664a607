"""The portal's pages under load, each as a share of a bare Django view measured in the same run (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_yard REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/yardstick.py [--opinions 20000] [--rounds 3] [--duration 8] [--only home]
    ... bench/yardstick.py --profile home [--profile-requests 200]

1. Creates and fills the scratch database (bench/participation_common.py: published demo opinions,
   kept between runs), then the rest of the demo (groups, recommendations, a published and adopted
   strategy), a verified resident with a session, and collects the static files (production uses
   WhiteNoise's manifest).
2. Starts two gunicorn servers with gunicorn.conf.py, the Dockerfile's settings: the portal
   (production settings, DEBUG off, the same DATABASE_URL/REDIS_URL) and the anchor,
   `bench/yardstick_anchor.py` (one view, no middleware, no database).
3. Loads each page and, between every few pages, the anchor, with wrk (`apt-get install -y wrk`;
   a threaded Python client otherwise) at 16 connections, for `--rounds` rounds; prints req/s,
   p50, p99 and each page's share of the anchor's req/s in the same round, with the load average.

It prints figures and never passes or fails. REDIS_URL's database is emptied before the uncached
rows: give it a Redis database number nobody else uses; never point DATABASE_URL at data you keep.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import BASE_DIR, machine, prepare  # noqa: E402
from yardstick_load import HEADERS, load_python, load_wrk  # noqa: E402
from yardstick_report import profile, report  # noqa: E402

SETTINGS = "lublin2030.settings.production"
SECRET_KEY = "yardstick-bench-secret-key-not-for-production-0123456789"  # noqa: S105 (a scratch database's)
SKIPPED: list[str] = []  # pages the data cannot show, said in the output
GUNICORN_CONF = BASE_DIR / "gunicorn.conf.py"


class Page:
    """One row: the URLs a wrk run rotates, and how the cache is treated before it."""

    def __init__(self, name, label, paths, *, signed_in=False, cold=False, moderating=False, note=""):
        self.name, self.label, self.paths = name, label, paths
        self.signed_in, self.cold, self.moderating, self.note = signed_in, cold, moderating, note


# --- set-up ----------------------------------------------------------------------------------------


def set_up(args):
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"  # decision e-mails stay here
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL to a Redis database nobody else uses, e.g. redis://127.0.0.1:6379/6")
    started = time.perf_counter()
    prepared = prepare(opinions=args.opinions, fresh=args.fresh, settings=SETTINGS)
    import io

    from django.core.management import call_command

    step = time.perf_counter()
    call_command("build_translations", stdout=io.StringIO())
    if static_files_stale():
        call_command("collectstatic", interactive=False, verbosity=0)
    collected = time.perf_counter()
    seed_rest_of_demo(args.opinions)
    print(
        f"set-up: database and opinions {step - started:.0f} s, translations and static files "
        f"{collected - step:.0f} s, the rest of the demo {time.perf_counter() - collected:.0f} s",
        file=sys.stderr,
    )
    prepared["setup_seconds"] = time.perf_counter() - started
    return prepared


def static_files_stale() -> bool:
    """collectstatic with the manifest and compression takes ~50 s here: only when a static file changed."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [BASE_DIR / "static", *BASE_DIR.glob("*/static")]
    newest = max((p.stat().st_mtime for d in sources for p in d.rglob("*") if p.is_file()), default=0)
    return newest > manifest.stat().st_mtime


def seed_rest_of_demo(opinions):
    """Groups, recommendations, reports, the strategy (published, consulted, adopted): the demo's own seeds."""
    import importlib
    import io

    from lublin2030.management.commands.seed_demo import DEMO_MODULES

    for name in DEMO_MODULES:
        if name in ("participation.demo",):
            continue  # the opinions come from participation_common (all published)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        module.seed(stdout=io.StringIO(), opinions=opinions, seed=2030)


def resident_session() -> str:
    """A verified resident signed in through django.test.Client: her session cookie's value."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    email = "yardstick-resident@example.org"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def pages(args) -> list[Page]:
    from participation.models import Area, Channel, District, Opinion
    from participation.selectors import PAGE_SIZE
    from stages.models import Stage
    from strategy.models import StrategyVersion
    from workgroups.models import WorkingGroup

    rng = random.Random(14)
    public = Opinion.objects.public()
    total = public.count()
    opinion_ids = list(public.order_by("?").values_list("id", flat=True)[:500])
    stage = Stage.objects.filter(number=2).first() or Stage.objects.order_by("number").first()
    group = WorkingGroup.objects.order_by("area__position", "area__name_pl").first()
    last_page = max(2, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    deep = [f"/opinie/?page={number}" for number in range(2, last_page + 1)]
    rng.shuffle(deep)
    areas = list(Area.objects.values_list("slug", flat=True))
    districts = list(District.objects.values_list("slug", flat=True))
    channels = list(Channel.objects.values_list("code", flat=True))
    stage_positions = list(Stage.objects.values_list("number", flat=True))
    unusual = sorted(
        {
            f"/opinie/?area={rng.choice(areas)}&district={rng.choice(districts)}"
            f"&channel={rng.choice(channels)}&stage={rng.choice(stage_positions)}&page={rng.randint(1, 3)}"
            for _ in range(3000)
        }
    )
    rng.shuffle(unusual)
    popular = ["/opinie/", f"/opinie/?area={areas[0]}", f"/opinie/?district={districts[0]}", "/opinie/?page=2"]
    found = [
        Page("home", "home `/`", ["/"]),
        Page("stage", f"stage page `/etapy/{stage.slug}/`", [f"/etapy/{stage.slug}/"]),
        Page("group", f"working group `/grupy/{group.slug}/`", [f"/grupy/{group.slug}/"]),
        Page("opinion", f"opinion page ({len(opinion_ids)} opinions)", [f"/opinie/{pk}/" for pk in opinion_ids]),
        Page("statistics", "statistics `/statystyki/`", ["/statystyki/"]),
    ]
    public_versions = list(StrategyVersion.objects.public().order_by("number").values_list("number", flat=True))
    if public_versions:
        found += [
            Page("strategy", "strategy `/strategia/`", ["/strategia/"]),
            Page(
                "strategy-versions",
                f"strategy versions `/strategia/wersje/` and `/wersje/N/` ({len(public_versions)})",
                ["/strategia/wersje/"] + [f"/strategia/wersje/{number}/" for number in public_versions],
            ),
        ]
    else:
        SKIPPED.append(
            "strategy pages skipped: no public strategy version (strategy.demo and strategy.adoption.demo "
            "publish one when the demo's coordinator and editor exist)"
        )
    found += [
        Page("list", "opinions list `/opinie/` (cached)", ["/opinie/"]),
        Page("list-signed-in", "opinions list, signed-in resident", ["/opinie/"], signed_in=True),
        Page("home-signed-in", "home, signed-in resident", ["/"], signed_in=True),
        Page(
            "list-deep",
            f"opinions list, deep pages (?page=2…{last_page}, shuffled)",
            deep,
            cold=True,
            note="cache emptied before the run",
        ),
        Page(
            "list-filters",
            f"opinions list, unusual filters ({len(unusual)} combinations)",
            unusual,
            cold=True,
            note="cache emptied before the run",
        ),
        Page(
            "list-moderated",
            f"opinions list, popular pages during moderation (a decision every {args.decision_interval:g} s)",
            popular,
            moderating=True,
        ),
    ]
    return found


# --- servers ---------------------------------------------------------------------------------------


def gunicorn_env(overrides: dict) -> dict:
    env = dict(os.environ)
    env.update(overrides)
    env.pop("GUNICORN_BIND", None)
    return env


def start_gunicorn(app: str, port: int, *, cwd: Path, env: dict, log) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py (workers, class, threads, timeout); only the address is given here."""
    command = [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, app], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn {app} exited with {process.returncode}; see {log.name}")
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz" if app.startswith("lublin2030") else "/", headers=HEADERS)
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn {app} did not answer on port {port}")


def stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def gunicorn_settings(env: dict) -> str:
    """What gunicorn.conf.py resolves to in this environment (it reads GUNICORN_* and the cores)."""
    scope: dict = {}
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        exec(compile(GUNICORN_CONF.read_text(), str(GUNICORN_CONF), "exec"), scope)  # noqa: S102
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return (
        f"worker_class={scope.get('worker_class', 'sync')} workers={scope.get('workers')} "
        f"threads={scope.get('threads', 1)} keepalive={scope.get('keepalive', 2)} timeout={scope.get('timeout')}"
    )


# --- load ------------------------------------------------------------------------------------------


class Moderator(threading.Thread):
    """Rejects and publishes one opinion in turn through the service while the load runs."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval, self.decisions, self.halt = interval, 0, threading.Event()

    def run(self):
        from django.db import connection

        from accounts.models import User
        from participation import services
        from participation.models import Opinion

        moderator = User.objects.get(email="moderator@example.org")
        opinion = Opinion.objects.public().order_by("-published_at", "-id").first()
        try:
            while not self.halt.wait(self.interval):
                opinion.refresh_from_db()
                if opinion.is_public:
                    services.opinion_reject(
                        actor=moderator, opinion=opinion, reason="Benchmark: a moderation decision."
                    )
                else:
                    services.opinion_publish(actor=moderator, opinion=opinion)
                self.decisions += 1
            opinion.refresh_from_db()
            if not opinion.is_public:
                services.opinion_publish(actor=moderator, opinion=opinion)
        finally:
            connection.close()


def run_load(args, port, paths, *, headers, duration):
    options = argparse.Namespace(
        port=port, connections=args.connections, duration=duration, headers=headers, max_requests=10_000_000
    )
    if args.tool == "wrk":
        return load_wrk(options, paths, start=random.randrange(len(paths)))
    return load_python(options, paths, start=random.randrange(len(paths)))


def warm(port, paths, headers, limit=600):
    """One request per URL (the first `limit`); a page that does not answer 200 is not measured silently."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for path in paths[:limit]:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                print(f"warning: {path} answered {response.status}", file=sys.stderr, flush=True)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
    finally:
        connection.close()


def measure_page(args, page: Page, session: str):
    from django.conf import settings
    from django.core.cache import cache

    headers = dict(HEADERS)
    if page.signed_in:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
    if not page.cold:
        warm(args.port, page.paths, headers)
        run_load(args, args.port, page.paths, headers=headers, duration=args.warmup)
    else:
        warm(args.port, page.paths, headers, limit=3)
        run_load(args, args.port, ["/opinie/"], headers=headers, duration=args.warmup)  # pools, not these pages
        cache.clear()
    moderator = Moderator(args.decision_interval) if page.moderating else None
    if moderator:
        moderator.start()
    load_before = os.getloadavg()[0]
    try:
        result = run_load(args, args.port, page.paths, headers=headers, duration=args.duration)
    finally:
        if moderator:
            moderator.halt.set()
            moderator.join()
    result["load"] = max(load_before, os.getloadavg()[0])
    result["decisions"] = moderator.decisions if moderator else 0
    return result


def measure_anchor(args):
    run_load(args, args.anchor_port, ["/"], headers={}, duration=args.warmup)
    result = run_load(args, args.anchor_port, ["/"], headers={}, duration=args.duration)
    result["load"] = os.getloadavg()[0]
    return result


def rounds(args, chosen: list[Page], session: str):
    """Anchor, then `--anchor-every` pages, anchor, …, anchor: a page's share is against its round's anchors."""
    results = {page.name: [] for page in chosen}
    anchors = []
    for number in range(1, args.rounds + 1):
        order = list(chosen)
        random.Random(number).shuffle(order)  # no page always runs first, or right after the anchor
        round_anchor = [measure_anchor(args)]
        print(f"round {number}: anchor {round_anchor[-1]['rate']:.0f} req/s", file=sys.stderr, flush=True)
        for index, page in enumerate(order, start=1):
            result = measure_page(args, page, session)
            results[page.name].append((number, result))
            print(
                f"round {number}: {page.name} {result['rate']:.0f} req/s p99 {result['p99']:.0f} ms "
                f"non-2xx {result['errors']} load {result['load']:.1f}",
                file=sys.stderr,
                flush=True,
            )
            if index % args.anchor_every == 0 or index == len(order):
                round_anchor.append(measure_anchor(args))
                print(f"round {number}: anchor {round_anchor[-1]['rate']:.0f} req/s", file=sys.stderr, flush=True)
        anchors.append(round_anchor)
    return results, anchors


# --- main ------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opinions", type=int, default=20_000, help="published opinions (default 20,000)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the scratch database")
    parser.add_argument("--only", action="append", metavar="PAGE", help="only this page (repeatable); see --list")
    parser.add_argument("--list", action="store_true", help="print the pages' names and exit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per page and round (default 8)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before each measured run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--anchor-every", type=int, default=5, help="measure the anchor after every N pages")
    parser.add_argument("--decision-interval", type=float, default=1.0, help="seconds between moderation decisions")
    parser.add_argument("--port", type=int, default=8110, help="the portal's port (default 8110)")
    parser.add_argument("--anchor-port", type=int, default=8111, help="the anchor's port (default 8111)")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--gunicorn",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override gunicorn.conf.py through its environment, e.g. GUNICORN_WORKER_CLASS=sync (repeatable)",
    )
    parser.add_argument("--profile", metavar="PAGE", help="profile N in-process requests of PAGE instead")
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument("--profile-top", type=int, default=35)
    args = parser.parse_args()
    args.tool = "wrk" if shutil.which("wrk") and not args.python_client else "python"

    prepared = set_up(args)
    session = resident_session()
    chosen = pages(args)
    names = [page.name for page in chosen]
    if args.list:
        print("\n".join(f"{page.name}: {page.label}" for page in chosen))
        return
    wanted = [args.profile] if args.profile else args.only
    if wanted:
        unknown = set(wanted) - set(names)
        if unknown:
            sys.exit(f"unknown page(s) {', '.join(sorted(unknown))}; choose from {', '.join(names)}")
        chosen = [page for page in chosen if page.name in wanted]
    if args.profile:
        profile(args, chosen, session)
        return

    from django.db import connections

    from participation.models import Opinion

    overrides = dict(item.split("=", 1) for item in args.gunicorn)
    env = gunicorn_env(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "SECRET_KEY": SECRET_KEY,
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            **overrides,
        }
    )
    anchor_env = gunicorn_env({"DJANGO_SETTINGS_MODULE": "yardstick_anchor", **overrides})
    header = (
        f"**bench/yardstick.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}**  \n"
        f"{machine()}; load average before the run {os.getloadavg()[0]:.2f}; "
        f"{Opinion.objects.public().count()} published opinions; set-up {prepared['setup_seconds']:.0f} s\n"
        f"gunicorn.conf.py: {gunicorn_settings(overrides)} (both servers); {args.tool}, {args.connections} connections, "
        f"{args.duration} s a run after {args.warmup} s of warm-up, {args.rounds} rounds, the anchor after every "
        f"{args.anchor_every} pages" + "".join(f"  \n{note}" for note in SKIPPED)
    )
    connections.close_all()
    log_dir = BASE_DIR / "bench" / "output"
    log_dir.mkdir(exist_ok=True)
    portal = anchor = None
    with open(log_dir / "yardstick-gunicorn.log", "a") as log:
        try:
            portal = start_gunicorn("lublin2030.wsgi:application", args.port, cwd=BASE_DIR, env=env, log=log)
            anchor = start_gunicorn(
                "yardstick_anchor:application", args.anchor_port, cwd=BASE_DIR / "bench", env=anchor_env, log=log
            )
            started = time.perf_counter()
            results, anchors = rounds(args, chosen, session)
            header += f"; the load took {(time.perf_counter() - started) / 60:.1f} min; load average after {os.getloadavg()[0]:.2f}"
        finally:
            stop(portal)
            stop(anchor)
    report(args, chosen, results, anchors, header=header)


if __name__ == "__main__":
    main()
