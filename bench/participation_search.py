"""Benchmark of opinion search and of what it costs the writers, on PostgreSQL with 20,000 published opinions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search REDIS_URL=redis://127.0.0.1:6379/4 \
        .venv/bin/python bench/participation_search.py [--opinions 20000] [--rows 20000] [--runs 40]

    # the same figures for another checkout of the code (e.g. `git archive main | tar -x -C /tmp/before`),
    # in the same database, so that the two can be compared on the same machine within minutes
    .venv/bin/python bench/participation_search.py --source /tmp/before --fresh

1. Starts a fresh database when `--fresh` is given (always when comparing code with different
   migrations), migrates, seeds `--opinions` published demo opinions (timed: `bulk_create`).
2. The searched list `/opinie/?q=…` cold (cache emptied before every request), in process with
   DEBUG off: p50/p95 and queries, and how many opinions each search finds (words with and without
   Polish letters, inflected forms).
3. The import of `--rows` rows of varied Polish texts (the demo's sentences) from a Windows-1250 CSV
   through `participation.imports.opinions_import`, in one transaction, `--imports` times (the
   imported rows are deleted after each).

It prints figures and never passes or fails. REDIS_URL empties its Redis database (cold runs):
give it a database number nobody else uses.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

SEARCHES = [
    "zieleń",
    "zielen",
    "ławki",
    "lawki",
    "ławek",
    "Śródmieście",
    "Śródmieściu",
    "srodmiesciu",
    "ścieżki rowerowe",
    "sciezki rowerowe",
    "komunikacja miejska",
    "rower",
]


def load_common(source: Path):
    sys.path.insert(0, str(source / "bench"))
    import participation_common

    return participation_common


def searched_list(common, runs: int):
    from urllib.parse import urlencode

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from participation import public_list

    client = Client()
    print(f"\n## Searched list, cold (cache emptied before each request), {runs} runs per search")
    print("| q | found | min ms | p50 ms | p95 ms | queries (max) |\n|---|---|---|---|---|---|")
    everything = []
    for q in SEARCHES:
        found = public_list.facet_counts(public_list.OpinionFilters(q=q)).total
        path = "/opinie/?" + urlencode({"q": q})
        client.get(path)  # imports, template compilation
        times, queries = [], []
        for _ in range(runs):
            cache.clear()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            times.append(elapsed)
            queries.append(len(captured.captured_queries))
        everything.extend(times)
        print(
            f"| {q} | {found} | {min(times):.1f} | {common.percentile(times, 0.5):.1f} | "
            f"{common.percentile(times, 0.95):.1f} | "
            f"{max(queries)} |",
            flush=True,
        )
    print(
        f"| all searches | | {min(everything):.1f} | {common.percentile(everything, 0.5):.1f} | "
        f"{common.percentile(everything, 0.95):.1f} | |"
    )


def search_sql(runs: int):
    """The database's own time for a search's two queries (the facets' grouped matches, a page of ids):
    the fastest of `runs` EXPLAIN ANALYZE executions, which the load of the machine disturbs least."""
    from django.db import connection
    from django.db.models import Count

    from participation import public_list
    from participation.models import Opinion

    def execution_ms(queryset) -> float:
        sql, params = queryset.query.sql_with_params()
        best = float("inf")
        with connection.cursor() as cursor:
            for _ in range(runs):
                cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
                line = [row[0] for row in cursor.fetchall() if row[0].startswith("Execution Time")][0]
                best = min(best, float(line.split()[2]))
        return best

    print(f"\n## The search's SQL alone (fastest of {runs} EXPLAIN ANALYZE runs)")
    print("| q | facets' grouped matches ms | first page of ids ms |\n|---|---|---|")
    for q in SEARCHES:
        grouped = (
            public_list.apply_search(Opinion.objects.public(), q)
            .order_by()
            .values("area_id", "district_id", "channel_id", "stage_id")
            .annotate(n=Count("*"))
        )
        page = public_list.public_opinion_list(public_list.OpinionFilters(q=q)).values("id")[:20]
        print(f"| {q} | {execution_ms(grouped):.2f} | {execution_ms(page):.2f} |", flush=True)


def import_file(rows: int) -> Path:
    """A Windows-1250 CSV with semicolons and Polish headers, its texts built like the demo's."""
    import random

    from participation.demo import OpinionBuilder
    from participation.models import Area, Channel, District
    from stages.models import Stage

    builder = OpinionBuilder(seed=77, stage=Stage.objects.get(number=2))
    rng = random.Random(77)
    areas = list(Area.objects.values_list("name_pl", flat=True))
    districts = list(District.objects.values_list("name", flat=True))
    channels = list(Channel.objects.filter(is_online=False).values_list("name_pl", flat=True))
    lines = ["treść;obszar;dzielnica;kanał;miejsce;data;wiek;identyfikator"]
    for number in range(rows):
        text, _area = builder.text(rng)
        text = text.replace(";", ",").replace('"', "")
        lines.append(
            f"{text};{areas[number % len(areas)]};{districts[number % len(districts)]};"
            f"{channels[number % len(channels)]};Plac Litewski;{1 + number % 28:02d}.0{1 + number % 9}.2020;25-34;"
            f"bench-search-{number}"
        )
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        handle.write(("\r\n".join(lines) + "\r\n").encode("cp1250", errors="replace"))
        return Path(handle.name)


def imports(rows: int, times: int):
    from accounts.models import User
    from participation import imports as opinion_imports
    from participation.models import ModerationLogEntry, Opinion

    actor = User.objects.get(email="moderator@example.org")
    path = import_file(rows)
    print(f"\n## Import of {rows} rows ({path.stat().st_size / 1024 / 1024:.1f} MB CSV), {times} times")
    print("| run | created | seconds | rows/s |\n|---|---|---|---|")
    try:
        for run in range(1, times + 1):
            started = time.perf_counter()
            result = opinion_imports.opinions_import(actor=actor, path=path, name="bench-search.csv", publish=False)
            seconds = time.perf_counter() - started
            print(f"| {run} | {result.created} | {seconds:.2f} | {result.created / seconds:.0f} |", flush=True)
            ModerationLogEntry.objects.filter(action="import", reason__contains="bench-search.csv").delete()
            Opinion.objects.filter(external_id__startswith="bench-search-").delete()
    finally:
        path.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--opinions", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--imports", type=int, default=3)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()
    source = args.source.resolve()
    common = load_common(source)
    prepared = common.prepare(opinions=args.opinions, fresh=args.fresh)

    from django.db import connection

    from participation.models import Opinion

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('participation_opinion'))")
        table_size = cursor.fetchone()[0]
    print(f"# Opinion search — {time.strftime('%Y-%m-%d %H:%M')}, code from {source}")
    print(f"{common.machine()}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"{Opinion.objects.public().count()} public opinions; seeded {prepared['seeded']} in "
        f"{prepared['seed_seconds']:.1f} s; opinion table with indexes {table_size}"
    )
    if not args.skip_search:
        searched_list(common, args.runs)
        search_sql(15)
    if args.rows:
        imports(args.rows, args.imports)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
