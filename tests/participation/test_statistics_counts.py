"""The statistics read counts kept by triggers, and an import leaves its tables analysed (PostgreSQL)."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth

from participation import imports, public_counts, services, statistics
from participation.models import Area, Channel, District, FlagReason, ModerationStatus, Opinion, PublicOpinionMonthCount
from tests.accounts.factories import UserFactory, moderator
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db

GOOD = Path(__file__).parent / "data_files" / "good.csv"


def counted_directly() -> list[tuple]:
    rows = (
        Opinion.objects.public()
        .annotate(month=TruncMonth("collected_on"))
        .order_by("month")
        .values_list("month")
        .annotate(n=Count("*"))
    )
    return [(month, n) for month, n in rows if n]


def opinion(collected_on, **kwargs):
    return OpinionFactory(
        area=Area.objects.get(slug="edukacja"),
        district=District.objects.get(slug="caly-lublin"),
        channel=Channel.objects.get(code=Channel.ONLINE_FORM),
        collected_on=collected_on,
        **kwargs,
    )


def test_the_monthly_chart_counts_public_opinions_by_month_of_collection(reference_data):
    opinion(datetime.date(2026, 3, 31), published=True)
    opinion(datetime.date(2026, 3, 1), published=True)
    opinion(datetime.date(2026, 5, 9), published=True)
    opinion(datetime.date(2026, 4, 2))  # pending: not counted
    assert statistics.opinions_by_month() == [(datetime.date(2026, 3, 1), 2), (datetime.date(2026, 5, 1), 1)]
    assert statistics.opinions_by_month() == counted_directly()


@pytest.mark.postgres
def test_monthly_counts_follow_every_write_on_postgresql(reference_data, settings):
    settings.OPINION_FLAGS_TO_HIDE = 1
    staff = moderator()

    def check():
        assert statistics.opinions_by_month() == counted_directly()

    march, april = datetime.date(2026, 3, 15), datetime.date(2026, 4, 2)
    first, second = opinion(march, published=True), opinion(april, published=True)
    pending = opinion(march)
    check()
    services.opinion_publish(actor=staff, opinion=pending)
    check()
    services.opinion_reject(actor=staff, opinion=first, reason="Reklama.")
    check()
    services.opinion_flag(actor=UserFactory(), opinion=second, reason=FlagReason.SPAM)  # hidden at 1 flag
    check()
    assert statistics.opinions_by_month() == [(datetime.date(2026, 3, 1), 1)]
    services.opinion_restore(actor=staff, opinion=second)
    check()
    Opinion.objects.filter(pk=second.pk).update(collected_on=datetime.date(2025, 12, 24))  # moved to another month
    check()
    Opinion.objects.filter(pk=pending.pk).delete()
    check()
    Opinion.objects.bulk_create(
        [Opinion(text="Więcej drzew w centrum miasta.", area=first.area, district=first.district, channel=first.channel,
                 collected_on=april, status=ModerationStatus.PUBLISHED) for _ in range(4)]
    )  # fmt: skip
    check()
    assert imports.opinions_import(actor=staff, path=GOOD, name=GOOD.name, publish=True).created == 3
    check()
    assert sum(n for _, n in counted_directly()) == 1 + 4 + 3

    assert public_counts.public_counts_compact() > 0
    check()
    assert PublicOpinionMonthCount.objects.count() == len(counted_directly())  # one row per month
    PublicOpinionMonthCount.objects.all().delete()  # lost, e.g. data restored without triggers
    public_counts.public_counts_rebuild()
    check()


@pytest.mark.postgres
def test_the_statistics_do_not_read_the_opinion_table_on_postgresql(reference_data):
    from django.test.utils import CaptureQueriesContext

    opinion(datetime.date(2026, 3, 15), published=True)
    with CaptureQueriesContext(connection) as captured:
        data = statistics.statistics()
    assert data["month"] == [(datetime.date(2026, 3, 1), 1)]
    assert not [query for query in captured.captured_queries if Opinion._meta.db_table in query["sql"]]


def analyse_counts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # statistics are read once per transaction otherwise
        cursor.execute(
            "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname IN "
            "('participation_opinion', 'participation_publicopinioncount', 'participation_publicopinionmonthcount')"
        )
        return dict(cursor.fetchall())


@pytest.mark.postgres
def test_an_import_leaves_the_opinion_and_count_tables_analysed(reference_data):
    before = analyse_counts()
    assert imports.opinions_import(actor=moderator(), path=GOOD, name=GOOD.name, publish=True).created == 3
    after = analyse_counts()
    assert set(after) == {
        "participation_opinion",
        "participation_publicopinioncount",
        "participation_publicopinionmonthcount",
    }
    for table, count in after.items():
        assert count > before.get(table, 0), table
