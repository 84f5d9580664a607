"""Shared set-up of the participation benchmarks: a scratch PostgreSQL database with N published opinions.

Never point DATABASE_URL at a database you care about: the benchmarks create it when missing,
migrate it and fill it with demo data (`--fresh` drops it first).
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent


def configure(database_url: str | None = None, *, settings: str = "lublin2030.settings.base") -> str:
    """Environment for a production-like run: DEBUG off, the given scratch database."""
    url = database_url or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a scratch PostgreSQL database, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_h2 .venv/bin/python " + sys.argv[0]
        )
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    sys.path.insert(0, str(BASE_DIR))
    return url


def ensure_database(url: str, *, fresh: bool = False) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        sys.exit(f"Refusing an unusual database name: {name!r}")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def prepare(
    *, opinions: int, fresh: bool = False, database_url: str | None = None, settings: str = "lublin2030.settings.base"
) -> dict:
    """Migrate, load reference data, seed `opinions` published opinions (kept between runs)."""
    url = configure(database_url, settings=settings)
    ensure_database(url, fresh=fresh)
    import django

    django.setup()
    import io

    from django.core.management import call_command

    from accounts import demo as accounts_demo
    from participation import demo
    from participation.models import ModerationStatus
    from stages import demo as stages_demo
    from stages.models import Stage

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    accounts_demo.seed(stdout=io.StringIO())
    stages_demo.seed(stdout=io.StringIO())  # stage II runs today: the opinions window is open
    stage = Stage.objects.get(number=2)
    demo.ensure_areas()
    demo.ensure_events(stage)
    setup_seconds = time.perf_counter() - started
    started = time.perf_counter()
    created = demo.create_opinions(count=opinions, seed=2030, stage=stage, statuses={ModerationStatus.PUBLISHED: 1})
    seed_seconds = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # earlier import benchmarks leave dead rows behind
    return {"setup_seconds": setup_seconds, "seeded": created, "seed_seconds": seed_seconds}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values_ms: list[float]) -> str:
    return (
        f"p50 {percentile(values_ms, 0.5):7.1f} ms  p95 {percentile(values_ms, 0.95):7.1f} ms  "
        f"mean {statistics.fmean(values_ms):7.1f} ms"
    )


def machine() -> str:
    import platform

    cores = os.cpu_count()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError):
        memory = float("nan")
    return f"{platform.node()}: {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def scratch_django(*, default_database: str, default_redis: str) -> None:
    """Django on the scratch database and Redis db of BENCH_DATABASE_URL / BENCH_REDIS_URL (or the defaults),
    migrated, with the reference data and the compiled translations; prints the machine and its load."""
    import io

    url = os.environ.get("BENCH_DATABASE_URL", default_database)
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", default_redis)
    configure(url)
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("build_translations", stdout=io.StringIO())
    print(machine(), f"· load {os.getloadavg()[0]:.2f}")
