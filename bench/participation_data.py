"""Benchmark of the staff data tools on PostgreSQL: export of 20,000 opinions, import of 50,000 rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_h2 REDIS_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/python bench/participation_data.py [--opinions 20000] [--rows 50000]

Export: the full request through django.test.Client as a moderator (streamed body consumed), in
seconds, queries and bytes, then once more under tracemalloc for the peak Python memory.
Import: a 50,000-row CSV (Windows-1250, semicolons, Polish headers, as Polish Excel writes it)
read and validated (the preview), then imported in one transaction; the imported rows are
deleted afterwards so the database keeps its 20,000 opinions. Prints figures, never pass/fail.
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import machine, prepare  # noqa: E402


def export(client, fmt: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get("/panel/dane/eksport/pobierz/", {"format": fmt})
        first = None
        size = 0
        for chunk in response.streaming_content:
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
        elapsed = time.perf_counter() - started
    queries = len(captured)  # now: captured_queries reads the live log, which the next request resets
    tracemalloc.start()
    response = client.get("/panel/dane/eksport/pobierz/", {"format": fmt})
    for _chunk in response.streaming_content:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, first, queries, size, peak


def import_rows(rows: int, actor):
    from participation import imports
    from participation.models import Area, Channel, District, ModerationLogEntry, Opinion

    areas = list(Area.objects.values_list("name_pl", flat=True))
    districts = list(District.objects.values_list("name", flat=True))
    channels = list(Channel.objects.filter(is_online=False).values_list("name_pl", flat=True))
    lines = ["treść;obszar;dzielnica;kanał;miejsce;data;wiek;identyfikator"]
    for number in range(rows):
        lines.append(
            f"Opinia z punktu mobilnego numer {number}: więcej zieleni, ławek i ścieżek rowerowych;"
            f"{areas[number % len(areas)]};{districts[number % len(districts)]};{channels[number % len(channels)]};"
            f"Plac Litewski;{1 + number % 28:02d}.0{1 + number % 9}.2020;25-34;bench-import-{number}"
        )
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        handle.write(("\r\n".join(lines) + "\r\n").encode("cp1250"))
        path = Path(handle.name)
    try:
        size = path.stat().st_size
        started = time.perf_counter()
        preview = imports.preview_file(path, name="bench.csv")
        preview_seconds = time.perf_counter() - started
        assert preview.ok, (preview.file_errors, preview.errors[:3])
        started = time.perf_counter()
        result = imports.opinions_import(actor=actor, path=path, name="bench.csv", publish=False)
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = imports.opinions_import(actor=actor, path=path, name="bench.csv", publish=False)
        again_seconds = time.perf_counter() - started
    finally:
        path.unlink()
        imported = Opinion.objects.filter(external_id__startswith="bench-import-")
        ModerationLogEntry.objects.filter(action="import", reason__contains="bench.csv").delete()
        imported.delete()
    return size, preview_seconds, result, import_seconds, again, again_seconds


def preview_xlsx(rows: int):
    """The preview of the same rows as an XLSX workbook (written by the export's streaming writer)."""
    from participation import exports, imports
    from participation.models import Area, Channel, District

    areas = list(Area.objects.values_list("name_pl", flat=True))
    districts = list(District.objects.values_list("name", flat=True))
    channels = list(Channel.objects.filter(is_online=False).values_list("name_pl", flat=True))
    header = ["treść", "obszar", "dzielnica", "kanał", "miejsce", "data", "wiek", "identyfikator"]
    body = (
        [
            f"Opinia z punktu mobilnego numer {number}: więcej zieleni, ławek i ścieżek rowerowych",
            areas[number % len(areas)],
            districts[number % len(districts)],
            channels[number % len(channels)],
            "Plac Litewski",
            f"{1 + number % 28:02d}.0{1 + number % 9}.2020",
            "25-34",
            f"bench-xlsx-{number}",
        ]
        for number in range(rows)
    )
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        for chunk in exports.xlsx_chunks(body, header=header):
            handle.write(chunk)
        path = Path(handle.name)
    try:
        started = time.perf_counter()
        preview = imports.preview_file(path, name="bench.xlsx")
        seconds = time.perf_counter() - started
        assert preview.ok, (preview.file_errors, preview.errors[:3])
        return path.stat().st_size, seconds
    finally:
        path.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opinions", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    prepare(opinions=args.opinions, fresh=args.fresh)

    import os

    from django.test import Client

    from accounts.models import User
    from participation.models import Opinion

    moderator = User.objects.get(email="moderator@example.org")
    client = Client()
    client.force_login(moderator)
    print(f"# Participation data tools — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{Opinion.objects.count()} opinions in the database\n")
    print("| export | seconds | first bytes after | queries | size | peak Python memory |\n|---|---|---|---|---|---|")
    for fmt in ("csv", "xlsx"):
        elapsed, first, queries, size, peak = export(client, fmt)
        print(
            f"| {fmt.upper()}, all {Opinion.objects.count()} opinions | {elapsed:.2f} | {first * 1000:.0f} ms | "
            f"{queries} | {size / 1024 / 1024:.1f} MB | {peak / 1024 / 1024:.1f} MB |",
            flush=True,
        )
    size, preview_seconds, result, import_seconds, again, again_seconds = import_rows(args.rows, moderator)
    print(f"\n| import of {args.rows} rows ({size / 1024 / 1024:.1f} MB CSV, Windows-1250, semicolons) | seconds |")
    print("|---|---|")
    print(f"| read and validate (the preview) | {preview_seconds:.2f} |")
    print(f"| import in one transaction: {result.created} created, with their log entries | {import_seconds:.2f} |")
    print(f"| the same file again: {again.created} created, {again.skipped} skipped | {again_seconds:.2f} |")
    xlsx_size, xlsx_seconds = preview_xlsx(args.rows)
    print(f"| the same rows as XLSX ({xlsx_size / 1024 / 1024:.1f} MB): read and validate | {xlsx_seconds:.2f} |")


if __name__ == "__main__":
    main()
