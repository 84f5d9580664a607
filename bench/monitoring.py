"""Benchmark of stages VIII–IX at the sizes issue 13 sets: the chain of one opinion, coverage of 100,000
opinions, and the monitoring page of 60 indicators × 10 years of measurements and 500 actions.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_monitor BENCH_REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/monitoring.py [--opinions 100000] [--runs 40]

1. Creates the scratch database when missing, migrates, loads reference data and tops the published demo
   opinions up to `--opinions` (kept between runs). Writes afresh on every run (the strategy's versions,
   recommendations and implementation in that database are deleted): 30 included recommendations of the
   twelve areas' groups, each based on 400 published opinions, and one opinion that all 30 cite; the
   consultation draft and the adopted version (4 goals, 12 directions, 60 indicators, 30 blocks), each
   recommendation cited by a goal, a direction and a block; 500 public actions over the directions and the
   districts; 10 years of measurements of every indicator.
2. The chain of that opinion: `implementation.chain.opinion_chain` and the page /opinie/<id>/droga/,
   p50/p95 and queries.
3. Coverage: `implementation.coverage.compute` (the SQL aggregation, no cache) and /strategia/pokrycie/,
   cold (cache emptied before every request) and warm.
4. The monitoring page /strategia/realizacja/: cold, warm for an anonymous visitor (the whole page from
   the cache) and warm for a signed-in one (the body from the cache), with a district filter too.

It prints figures and never passes or fails. The cold runs empty the Redis database of BENCH_REDIS_URL:
give it one nobody else uses.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from participation_common import percentile, scratch_django  # noqa: E402
from strategy_document import line, measure  # noqa: E402

RECOMMENDATIONS = 30
EVIDENCE_PER_RECOMMENDATION = 400
INDICATORS = 60
YEARS = 10
ACTIONS = 500


def seed_opinions(count: int) -> int:
    from participation import demo
    from participation.models import ModerationStatus
    from stages.models import Stage

    demo.ensure_areas()
    return demo.create_opinions(
        count=count, seed=2030, stage=Stage.objects.get(number=2), statuses={ModerationStatus.PUBLISHED: 1}
    )


def clear_previous() -> None:
    from django.db import transaction

    from implementation.models import Action, Follow, Measurement, SectorStrategy
    from recommendations.models import Recommendation
    from reports.models import Report
    from strategy.adoption.models import AdoptionStep, Resolution
    from strategy.models import Citation, StrategyVersion

    with transaction.atomic():
        Follow.objects.all().delete()
        Action.objects.all().delete()
        SectorStrategy.objects.all().delete()
        Measurement.objects.all().delete()
        Report.objects.all().delete()
        AdoptionStep.objects.all().delete()
        Resolution.objects.all().delete()
        Citation.objects.all().delete()
        for version in StrategyVersion.objects.order_by("-number"):
            version.delete()
        Recommendation.objects.filter(title__startswith="Bench:").delete()


def build(rng: random.Random):
    """Recommendations with evidence, the consultation draft and the adopted version, the implementation."""
    from django.utils import timezone

    from implementation.models import Action, ActionDirection, ActionStatus, Measurement
    from participation.models import Area, District, Opinion
    from recommendations.models import Evidence, Recommendation, RecommendationStatus
    from strategy import markup
    from strategy.adoption.models import Resolution, ResolutionKind
    from strategy.models import (
        Block,
        Chapter,
        Citation,
        Direction,
        Indicator,
        StrategicGoal,
        StrategyVersion,
        VersionState,
    )
    from strategy.selectors import current_strategy
    from workgroups.models import WorkingGroup

    strategy = current_strategy()
    groups = []
    for area in Area.objects.order_by("position", "id"):
        group = WorkingGroup.objects.filter(area=area).first()
        groups.append(group or WorkingGroup.objects.create(area=area, slug=f"bench-{area.slug}"))
    opinion_ids = list(Opinion.objects.public().values_list("pk", flat=True))
    far = opinion_ids[len(opinion_ids) // 2]
    recommendations = Recommendation.objects.bulk_create(
        [
            Recommendation(
                group=groups[index % len(groups)],
                title=f"Bench: rekomendacja {index + 1}",
                status=RecommendationStatus.INCLUDED,
                verification_round=1,
            )
            for index in range(RECOMMENDATIONS)
        ]
    )
    evidence = []
    for recommendation in recommendations:
        chosen = set(rng.sample(opinion_ids, EVIDENCE_PER_RECOMMENDATION)) | {far}
        evidence.extend(Evidence(recommendation=recommendation, opinion_id=pk) for pk in chosen)
    Evidence.objects.bulk_create(evidence, batch_size=2000)

    now = timezone.now()
    consulted = StrategyVersion.objects.create(
        strategy=strategy, number=1, state=VersionState.CONSULTATION_DRAFT, published_at=now
    )
    version = StrategyVersion.objects.create(
        strategy=strategy, number=2, state=VersionState.ADOPTED, based_on=consulted, published_at=now
    )
    Resolution.objects.create(
        strategy=strategy,
        version=version,
        kind=ResolutionKind.ADOPTION,
        number="XLII/1234/2021",
        adopted_on=datetime.date(2021, 12, 16),
        title="w sprawie przyjęcia strategii",
        bip_url="https://bip.lublin.eu/",
    )
    chapter = Chapter.objects.create(version=version, title="Kierunki działań", element="directions", position=1)
    rendered = markup.render("Akapit strategii cytujący rekomendację.")
    blocks = Block.objects.bulk_create(
        [
            Block(
                version=version, chapter=chapter, text="Akapit.", html=rendered.html, plain=rendered.plain, position=n
            )
            for n in range(1, RECOMMENDATIONS + 1)
        ]
    )
    goals = StrategicGoal.objects.bulk_create(
        [StrategicGoal(version=version, title=f"Cel {p}", dimension="social", position=p) for p in range(1, 5)]
    )
    directions = Direction.objects.bulk_create(
        [
            Direction(version=version, goal=goal, title=f"Kierunek {p}", position=p)
            for goal in goals
            for p in range(1, 4)
        ]
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                version=version,
                direction=directions[i % len(directions)],
                name=f"Wskaźnik {i + 1}",
                unit="%",
                baseline_value=Decimal(rng.randint(100, 500)) / 10,
                baseline_year=2016,
                target_value=Decimal(rng.randint(500, 900)) / 10,
                target_year=2030,
                source="GUS",
                frequency="annual",
                polarity="more",
                position=i // len(directions) + 1,
            )
            for i in range(INDICATORS)
        ]
    )
    citations = []
    for index, recommendation in enumerate(recommendations):
        citations.append(Citation(version=version, recommendation=recommendation, goal=goals[index % len(goals)]))
        citations.append(
            Citation(version=version, recommendation=recommendation, direction=directions[index % len(directions)])
        )
        citations.append(Citation(version=version, recommendation=recommendation, block=blocks[index]))
    Citation.objects.bulk_create(citations)
    Measurement.objects.bulk_create(
        [
            Measurement(
                strategy=strategy,
                indicator_key=indicator.key,
                measured_on=datetime.date(2016 + year, 12, 31),
                value=indicator.baseline_value + Decimal(year * 2),
                source="GUS",
            )
            for indicator in indicators
            for year in range(1, YEARS + 1)
        ],
        batch_size=2000,
    )
    districts = list(District.objects.all())
    statuses = list(ActionStatus.values)
    actions = Action.objects.bulk_create(
        [
            Action(
                strategy=strategy,
                title=f"Działanie {n}",
                responsible_unit="Zarząd Dróg i Mostów",
                district=districts[n % len(districts)],
                planned_budget=Decimal(rng.randint(1, 500) * 10000),
                spent_budget=Decimal(rng.randint(0, 100) * 10000),
                status=statuses[n % len(statuses)],
                starts_on=datetime.date(2022, 1, 1),
            )
            for n in range(1, ACTIONS + 1)
        ],
        batch_size=500,
    )
    ActionDirection.objects.bulk_create(
        [
            ActionDirection(action=action, direction_key=directions[n % len(directions)].key)
            for n, action in enumerate(actions)
        ]
    )
    return Opinion.objects.select_related("area", "district").get(pk=far)


def timed(function, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opinions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    scratch_django(
        default_database="postgres://postgres@127.0.0.1:5432/bench_monitor", default_redis="redis://127.0.0.1:6379/7"
    )
    from django.db import connection

    started = time.perf_counter()
    created = seed_opinions(args.opinions)
    print(f"{args.opinions} published opinions ({created} written now in {time.perf_counter() - started:.1f} s)")
    clear_previous()
    started = time.perf_counter()
    opinion = build(random.Random(2030))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"{RECOMMENDATIONS} recommendations × {EVIDENCE_PER_RECOMMENDATION} opinions, {INDICATORS} indicators × "
        f"{YEARS} years, {ACTIONS} actions (written in {time.perf_counter() - started:.1f} s)"
    )

    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User
    from implementation import chain, coverage
    from strategy.adoption.selectors import current_reading_version

    client = Client()
    print("\nThe chain of one opinion cited by all 30 recommendations (server side, DEBUG off)")
    found = chain.opinion_chain(opinion)
    print(
        f"it reaches {len(found.recommendations)} recommendations, {len(found.goals)} goals, "
        f"{len(found.directions)} directions, {len(found.indicators)} indicators, {len(found.actions)} actions"
    )
    times, queries = timed(lambda: chain.opinion_chain(opinion), args.runs)
    line("implementation.chain.opinion_chain", times, queries)
    path = f"/opinie/{opinion.pk}/droga/"
    client.get(path)
    times, queries = measure(client, path, runs=args.runs, cold=False)
    line(f"{path} (anonymous)", times, queries)

    print(f"\nCoverage of {args.opinions} opinions")
    version = current_reading_version()
    times, queries = timed(lambda: coverage.compute(version), max(5, args.runs // 4))
    line("coverage.compute (the SQL aggregation)", times, queries)
    client.get("/strategia/pokrycie/")
    times, queries = measure(client, "/strategia/pokrycie/", runs=max(5, args.runs // 4), cold=True)
    line("/strategia/pokrycie/, cold", times, queries)
    times, queries = measure(client, "/strategia/pokrycie/", runs=args.runs, cold=False)
    line("/strategia/pokrycie/, warm", times, queries)

    print(f"\nThe monitoring page: {INDICATORS} indicators × {YEARS} years, {ACTIONS} actions")
    for path in ("/strategia/realizacja/", "/strategia/realizacja/?dzielnica=kosminek"):
        client.get(path)
        times, queries = measure(client, path, runs=max(5, args.runs // 4), cold=True)
        line(f"{path}, cold", times, queries)
        times, queries = measure(client, path, runs=args.runs, cold=False)
        line(f"{path}, warm (anonymous)", times, queries)
    staff = User.objects.filter(email="bench-resident@example.org").first() or User.objects.create_user(
        "bench-resident@example.org"
    )
    signed_in = Client()
    signed_in.force_login(staff)
    signed_in.get("/strategia/realizacja/")
    times, queries = measure(signed_in, "/strategia/realizacja/", runs=args.runs, cold=False)
    line("/strategia/realizacja/, warm (signed in)", times, queries)
    cache.clear()
    times, queries = measure(client, "/api/v1/strategy/indicators", runs=max(5, args.runs // 4), cold=True)
    line("/api/v1/strategy/indicators, cold", times, queries)
    print(f"\nload {os.getloadavg()[0]:.2f} at the end; p95 over the runs: {percentile(times, 0.95):.1f} ms (API cold)")


if __name__ == "__main__":
    main()
