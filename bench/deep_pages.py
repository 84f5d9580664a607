"""Deep pages of the public list and the monthly statistics, before and after, with a yardstick in the same run.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists BENCH_REDIS_URL=redis://127.0.0.1:6379/12 \
        .venv/bin/python bench/deep_pages.py [--opinions 20000] [--runs 30]

On a scratch PostgreSQL database seeded by `participation_common.prepare` (kept between runs), in
process through django.test.Client with DEBUG off. For each list page: the cold cost (cache emptied
before every request) and the cost of a page not in the cache while the version's reference names,
facets and page boundaries are (the usual case: another visitor came first), with the page
boundaries (now) and with a plain OFFSET (before: `BOUNDARY_ROWS` set beyond any list). The monthly
chart's query: counted from the opinions (before) and read from `PublicOpinionMonthCount` (now).
The yardstick, measured in the same rounds: one opinion read by primary key through the ORM.
It prints figures and never passes or fails; it empties its Redis database: give it one nobody uses.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import machine, percentile, prepare  # noqa: E402


def timed(function, runs: int, before=None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def executed_ms(queryset) -> float:
    """PostgreSQL's own execution time of a query (EXPLAIN ANALYZE): what the load of Python leaves out."""
    import json

    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Execution Time"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--opinions", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_lists")
    seeded = prepare(opinions=args.opinions, database_url=url)

    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.test import Client

    from participation import public_list, statistics
    from participation.models import Opinion

    client = Client()
    public = Opinion.objects.public().count()
    last = -(-public // 20)
    some_pk = Opinion.objects.public().order_by("pk").values_list("pk", flat=True).first()
    print(machine(), f"· load {os.getloadavg()[0]:.2f} at start · {public} public opinions · {seeded}")

    def yardstick():
        Opinion.objects.filter(pk=some_pk).values_list("pk", "published_at").first()

    def get(path):
        def run():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return run

    def others_came_first(filters):
        def prepare_version():
            cache.clear()
            client.get("/opinie/" + ("?area=edukacja" if filters.area else ""))  # names and facets
            public_list.page_boundaries(filters)  # the boundaries (a no-op before: never read)

        return prepare_version

    area = public_list.reference_lists().by_slug("areas")["edukacja"].pk
    area_pages = -(-public_list.facet_counts(public_list.OpinionFilters(area=area)).total // 20)
    pages = [
        ("page 2", "/opinie/?page=2", public_list.OpinionFilters()),
        ("page 800", "/opinie/?page=800", public_list.OpinionFilters()),
        (f"last page ({last})", f"/opinie/?page={last}", public_list.OpinionFilters()),
        ("area, page 2", "/opinie/?area=edukacja&page=2", public_list.OpinionFilters(area=area)),
        (f"area, last page ({area_pages})", f"/opinie/?area=edukacja&page={area_pages}",
         public_list.OpinionFilters(area=area)),
    ]  # fmt: skip
    boundary_rows = public_list.BOUNDARY_ROWS
    rows = []
    for round_number in range(3):
        ys = timed(yardstick, args.runs * 3)
        for way, rows_setting in (("before (OFFSET)", 10**9), ("now (boundaries)", boundary_rows)):
            public_list.BOUNDARY_ROWS = rows_setting
            for name, path, filters in pages:
                cold = timed(get(path), args.runs, before=cache.clear)
                warmed = timed(get(path), args.runs, before=others_came_first(filters))
                rows.append((round_number, way, name, percentile(cold, 0.5), percentile(warmed, 0.5)))
        public_list.BOUNDARY_ROWS = boundary_rows

        # The page's own query alone (names, facets and boundaries cached), and the boundaries' pass.
        refs = public_list.reference_lists()
        print(f"\n### round {round_number + 1}: the page's ids query alone (p50 ms, ÷ yardstick)")
        print("| list page | before (OFFSET) | now (from a boundary) | boundaries down to the page, once per version "
              "| PostgreSQL's execution time, before / now |")  # fmt: skip
        print("|---|---|---|---|---|")
        for name, path, filters in pages:
            number = int(path.rsplit("page=", 1)[1])
            start = (number - 1) * 20
            facets = public_list.facet_counts(filters)
            public_rows = public_list.PublicRows(filters, refs, matches=facets.total)
            public_list.page_boundaries(filters)
            results, executions = [], []
            for rows_setting in (10**9, boundary_rows):
                public_list.BOUNDARY_ROWS = rows_setting
                ids = public_rows._page_ids(slice(start, start + 20))  # the page's ids: the SQL that differs
                results.append(percentile(timed(lambda ids=ids: list(ids.all()), args.runs * 2), 0.5))
                executions.append(percentile([executed_ms(ids) for _ in range(args.runs)], 0.5))
            public_list.BOUNDARY_ROWS = boundary_rows
            key = public_list.cache_key("boundaries", public_list.publication_version(), filters)
            upto = start // boundary_rows
            passes = percentile(timed(lambda f=filters, u=upto: public_list.page_boundaries(f, upto=u), args.runs,
                                      before=lambda k=key: cache.delete(k)), 0.5)  # fmt: skip
            y50 = percentile(ys, 0.5)
            print(f"| {name} | {results[0]:.2f} ({results[0] / y50:.1f}) | {results[1]:.2f} ({results[1] / y50:.1f}) "
                  f"| {passes:.2f} ({passes / y50:.1f}) | {executions[0]:.2f} / {executions[1]:.3f} |")  # fmt: skip

        def months_before():
            list(
                Opinion.objects.public()
                .annotate(month=TruncMonth("collected_on"))
                .order_by()
                .values("month")
                .annotate(n=Count("*"))
                .order_by("month")
            )

        mb = timed(months_before, args.runs)
        ma = timed(statistics.opinions_by_month, args.runs)
        stats_cold = timed(get("/statystyki/"), args.runs, before=cache.clear)
        y50 = percentile(ys, 0.5)
        print(f"\n### round {round_number + 1} · load {os.getloadavg()[0]:.2f} · yardstick p50 {y50:.2f} ms")
        print("| list page | way | cold p50 ms | not cached, version known p50 ms | ÷ yardstick |")
        print("|---|---|---|---|---|")
        for _, way, name, cold50, warmed50 in [row for row in rows if row[0] == round_number]:
            print(f"| {name} | {way} | {cold50:.1f} | {warmed50:.1f} | {warmed50 / y50:.0f} |")
        print(f"| monthly chart query | before (GROUP BY over the opinions) | {percentile(mb, 0.5):.2f} | | "
              f"{percentile(mb, 0.5) / y50:.0f} |")  # fmt: skip
        print(f"| monthly chart query | now (trigger-kept counts) | {percentile(ma, 0.5):.2f} | | "
              f"{percentile(ma, 0.5) / y50:.1f} |")  # fmt: skip
        print(f"| statistics page, cold | now | {percentile(stats_cold, 0.5):.1f} | | |")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM participation_publicopinionmonthcount")
        print(f"\nmonth count rows: {cursor.fetchone()[0]} · load {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
