"""Benchmark of the strategy document at the size the issue sets: 400 blocks, 60 indicators.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_strategy BENCH_REDIS_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/python bench/strategy_document.py [--blocks 400] [--indicators 60] [--runs 40]

1. Creates the scratch database when missing, migrates, loads reference data, and writes two versions of
   the strategy afresh on every run (the strategy's earlier versions in that database are deleted):
   version 1, the consultation draft, with `--blocks` blocks (paragraphs, lists and tables of 200–1,200
   characters, rendered through strategy.markup as the services do) and `--indicators` indicators; version
   2, after consultation, copied from it by `services.version_create` with one block in ten changed.
2. The public page `/strategia/` (server side, django.test.Client, DEBUG off): p50/p95 and queries,
   cold (cache emptied before every request) and warm; the search within it; the page of the differences.
3. The diff of the two versions (`strategy.diff.compare`), and the creation of the next version from
   version 2 (`services.version_create`, the new version deleted after each run).
4. The PDF of version 1 through the reports pipeline (`report_execute` in this process, one WeasyPrint
   pass): seconds, pages, size, and this process's peak memory.

It prints figures and never passes or fails. The cold runs empty the Redis database of BENCH_REDIS_URL:
give it one nobody else uses.
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import configure, ensure_database, machine, percentile  # noqa: E402

WORDS = """
Lublin miasto mieszkańcy rozwój zieleń transport publiczny dzielnica osiedle uczelnia praca kultura przestrzeń
dolina Bystrzycy park drzewa rower autobus szkoła przedszkole usługi mieszkania młodzi seniorzy klimat woda
energia gospodarka innowacje firmy inwestycje dostępność bezpieczeństwo partycypacja rada dzielnicy budżet
obywatelski wskaźnik cel kierunek działania program strategia
"""
WORDS = WORDS.split()


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen[0] = chosen[0].capitalize()
    if rng.random() < 0.3:
        chosen[rng.randrange(len(chosen))] = f"**{rng.choice(WORDS)}**"
    return " ".join(chosen) + "."


def block_text(rng: random.Random, index: int) -> str:
    kind = index % 10
    if kind == 7:
        rows = "\n".join(
            f"| {rng.choice(WORDS)} | {rng.randint(1, 999)},{rng.randint(0, 9)} | {2019 + rng.randint(0, 11)} |"
            for _ in range(6)
        )
        return f"| Wskaźnik | Wartość | Rok |\n|---|---|---|\n{rows}"
    if kind in (3, 8):
        return sentence(rng, 8) + "\n\n" + "\n".join(f"- {sentence(rng, rng.randint(6, 14))}" for _ in range(5))
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 8)))


def build(*, blocks: int, indicators: int, seed: int = 2030):
    from django.db import transaction
    from django.utils import timezone

    from strategy import markup, services
    from strategy.models import (
        Block,
        BlockRevision,
        Chapter,
        Direction,
        Indicator,
        Section,
        StrategicGoal,
        StrategyVersion,
        TeamMembership,
        TeamRole,
        VersionState,
    )
    from strategy.selectors import current_strategy

    rng = random.Random(seed)
    strategy = current_strategy()
    with transaction.atomic():
        from reports.models import Report

        Report.objects.filter(kind="strategy").delete()
        for version in StrategyVersion.objects.filter(strategy=strategy).order_by("-number"):
            version.delete()
    from accounts.models import User

    editor = User.objects.filter(email="bench-editor@example.org").first() or User.objects.create_user(
        "bench-editor@example.org", display_name="Redakcja"
    )
    TeamMembership.objects.get_or_create(
        strategy=strategy, user=editor, withdrawn_at=None, defaults={"role": TeamRole.EDITOR}
    )
    started = time.perf_counter()
    version = StrategyVersion.objects.create(
        strategy=strategy, number=1, state=VersionState.CONSULTATION_DRAFT, published_at=timezone.now()
    )
    chapters = Chapter.objects.bulk_create(
        [Chapter(version=version, title=f"Rozdział {n}: {sentence(rng, 4)}", position=n) for n in range(1, 11)]
    )
    sections = Section.objects.bulk_create(
        [
            Section(version=version, chapter=chapter, title=sentence(rng, 3), position=p)
            for chapter in chapters
            for p in range(1, 5)
        ]
    )
    rows = []
    for index in range(blocks):
        section = sections[index % len(sections)]
        text = block_text(rng, index)
        rendered = markup.render(text)
        rows.append(
            Block(
                version=version,
                chapter_id=section.chapter_id,
                section=section,
                text=text,
                html=rendered.html,
                plain=rendered.plain,
                kind=rendered.kind,
                position=index // len(sections) + 1,
            )
        )
    created = Block.objects.bulk_create(rows, batch_size=500)
    BlockRevision.objects.bulk_create([BlockRevision(block=b, number=1, text=b.text) for b in created], batch_size=500)
    goals = StrategicGoal.objects.bulk_create(
        [
            StrategicGoal(
                version=version, title=sentence(rng, 5), dimension=d, position=p, description=sentence(rng, 20)
            )
            for p, d in enumerate(("social", "economic", "spatial", "spatial"), start=1)
        ]
    )
    directions = Direction.objects.bulk_create(
        [
            Direction(version=version, goal=goal, title=sentence(rng, 6), position=p)
            for goal in goals
            for p in range(1, 4)
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                version=version,
                direction=directions[i % len(directions)],
                name=sentence(rng, 5),
                unit="%",
                baseline_value=rng.randint(10, 900) / 10,
                baseline_year=2019,
                target_value=rng.randint(10, 900) / 10,
                target_year=2030,
                source="GUS, Bank Danych Lokalnych",
                frequency="annual",
                polarity="more",
                position=i // len(directions) + 1,
            )
            for i in range(indicators)
        ]
    )
    seeded = time.perf_counter() - started
    second = services.version_create(actor=editor, strategy=strategy, based_on=version, note="po konsultacjach")
    for block in Block.objects.filter(version=second).order_by("id")[::10]:
        services.block_update(actor=editor, block=block, expected_revision=block.revision, text=block.text + " Zmiana.")
    second.state = VersionState.AFTER_CONSULTATION
    second.published_at = timezone.now()
    second.save(update_fields=["state", "published_at"])
    return version, second, editor, seeded


def measure(client, path, *, runs, cold):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries


def line(label, times, queries=None):
    text = f"{label:46} p50 {percentile(times, 0.5):8.1f} ms  p95 {percentile(times, 0.95):8.1f} ms"
    if queries is not None:
        text += f"  queries {min(queries)}–{max(queries)}"
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blocks", type=int, default=400)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_strategy")
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
    configure(url)
    ensure_database(url)
    import django

    django.setup()
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("build_translations", stdout=io.StringIO())
    print(machine(), f"· load {os.getloadavg()[0]:.2f}")

    version, second, editor, seeded = build(blocks=args.blocks, indicators=args.indicators)
    from strategy.models import Block, Indicator

    print(
        f"version 1: {Block.objects.filter(version=version).count()} blocks, "
        f"{Indicator.objects.filter(version=version).count()} indicators (written in {seeded:.1f} s)"
    )

    from django.test import Client

    client = Client()
    print("\nThe public page (server side, DEBUG off)")
    for path in ("/strategia/", "/strategia/wersje/1/", "/strategia/roznice/?od=1&do=2"):
        client.get(path)  # templates compiled, connections open: "cold" below means an empty cache only
    for label, path in (
        ("/strategia/ (version 2, latest)", "/strategia/"),
        ("/strategia/wersje/1/", "/strategia/wersje/1/"),
    ):
        times, queries = measure(client, path, runs=max(5, args.runs // 4), cold=True)
        line(f"{label}, cold", times, queries)
        measure(client, path, runs=2, cold=False)
        times, queries = measure(client, path, runs=args.runs, cold=False)
        line(f"{label}, warm", times, queries)
    times, queries = measure(client, "/strategia/?q=zieleń+park", runs=args.runs, cold=False)
    line("search within the document, warm", times, queries)
    times, queries = measure(client, "/strategia/roznice/?od=1&do=2", runs=max(5, args.runs // 4), cold=True)
    line("the differences page, cold", times, queries)
    times, queries = measure(client, "/strategia/roznice/?od=1&do=2", runs=args.runs, cold=False)
    line("the differences page, warm", times, queries)

    from strategy import diff, services

    print("\nWrites and computations")
    diff.compare(version, second)
    times = []
    for _ in range(args.runs // 2):
        started = time.perf_counter()
        comparison = diff.compare(version, second)
        times.append((time.perf_counter() - started) * 1000)
    line(f"diff of two {args.blocks}-block versions ({len(comparison.changes)} changes)", times)

    times = []
    for _ in range(5):
        started = time.perf_counter()
        third = services.version_create(actor=editor, strategy=second.strategy, based_on=second)
        times.append((time.perf_counter() - started) * 1000)
        third.delete()
    line(f"next version from {args.blocks} blocks (version_create)", times)

    if args.skip_pdf:
        return
    from django.utils import timezone

    from reports.models import Report, ReportKind
    from reports.services import report_execute

    print("\nThe PDF (reports pipeline, one WeasyPrint pass in this process)")
    report = Report.objects.create(
        kind=ReportKind.STRATEGY, subject_id=version.pk, subject_label="bench", heartbeat_at=timezone.now()
    )
    started = time.perf_counter()
    report_execute(report_id=report.pk, run=report.run)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.blocks} blocks: {seconds:.1f} s, {report.page_count} pages, {report.file_size / 1024:.0f} KiB, "
        f"status {report.status}; peak memory of this process {peak:.0f} MB · load {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
