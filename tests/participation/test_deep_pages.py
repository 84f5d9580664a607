"""Deep pages of the public list start from a cached boundary: the same rows as an OFFSET, at page 2's cost."""

import datetime
import json
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation import public_list
from participation.models import Area, Channel, District, ModerationStatus, Opinion
from participation.selectors import PAGE_SIZE
from stages.models import Stage

pytestmark = pytest.mark.django_db

LIST_URL = "/opinie/"
TEXTS = ("Więcej zieleni i ławek na osiedlach.", "Ścieżki rowerowe wzdłuż Bystrzycy.", "Tańsze bilety dla studentów.")


def seed(count: int) -> None:
    """`count` public opinions spread over areas, districts, channels, stages and search words; many
    share a publication time, so the order then follows the id (and some are not public)."""
    areas, districts = list(Area.objects.all()), list(District.objects.all())
    channels, stages = list(Channel.objects.all()), [None, *Stage.objects.all()]
    now = timezone.now()
    Opinion.objects.bulk_create(
        Opinion(
            text=TEXTS[n % 3],
            area=areas[n % len(areas)],
            district=districts[n % 7 % len(districts)],
            channel=channels[n % 5 % len(channels)],
            stage=stages[n % 4 % len(stages)],
            status=ModerationStatus.REJECTED if n % 29 == 0 else ModerationStatus.PUBLISHED,
            hidden_by_flags=n % 31 == 0,
            published_at=now - datetime.timedelta(minutes=(n * 7919) % 500),  # shuffled, with ties
        )
        for n in range(count)
    )


def filter_sets() -> dict:
    area, district = Area.objects.order_by("pk")[1], District.objects.order_by("pk").first()
    channel, stage = Channel.objects.order_by("pk").first(), Stage.objects.order_by("number").first()
    return {
        "plain": public_list.OpinionFilters(),
        "area": public_list.OpinionFilters(area=area.pk),
        "district and channel": public_list.OpinionFilters(district=district.pk, channel=channel.pk),
        "stage": public_list.OpinionFilters(stage=stage.pk),
        "search": public_list.OpinionFilters(q="zieleni"),
        "search and area": public_list.OpinionFilters(q="rowerowe", area=area.pk),
    }


def test_every_page_shows_the_rows_an_offset_would(reference_data):
    seed(1_300)
    for name, filters in filter_sets().items():
        expected = list(public_list.public_opinion_list(filters).values_list("pk", flat=True))
        by_offset = Paginator(expected, PAGE_SIZE)
        assert by_offset.num_pages > 1, name
        numbers = [*by_offset.page_range, by_offset.num_pages + 1, 10_000, "abc"]
        for number in numbers:
            page, facets = public_list.public_opinion_page(filters, number)
            assert facets.total == len(expected), name
            assert [row.pk for row in page.object_list] == list(by_offset.get_page(number).object_list), (name, number)
            assert page.number == by_offset.get_page(number).number
            assert list(page.paginator.page_range) == list(by_offset.page_range)
        if by_offset.count > public_list.BOUNDARY_ROWS:
            assert len(public_list.page_boundaries(filters)) == -(-by_offset.count // public_list.BOUNDARY_ROWS)


def test_a_deep_page_costs_the_queries_of_page_two(client, reference_data, django_assert_num_queries):
    seed(1_300)
    client.get(LIST_URL)  # the reference names and the facets are cached from here on
    with django_assert_num_queries(1):  # the page
        page_two = client.get(LIST_URL, {"page": 2})
    with django_assert_num_queries(2):  # the first deep page of this version: the boundaries down to it
        client.get(LIST_URL, {"page": 50})
    with django_assert_num_queries(1):  # every page above that boundary: the page, like page 2
        deep = client.get(LIST_URL, {"page": 45})
    with django_assert_num_queries(2):  # deeper: the boundaries from the deepest known, then the page
        client.get(LIST_URL, {"page": 62})
    with django_assert_num_queries(1):
        client.get(LIST_URL, {"page": 61})
    assert page_two.status_code == deep.status_code == 200
    assert re.findall(r'href="/opinie/(\d+)/"', deep.content.decode())


def scanned_rows(plan: dict) -> int:
    """Rows every node of a plan read (kept or thrown away by a filter)."""
    own = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
    return max([own, *(scanned_rows(child) for child in plan.get("Plans", []))])


@pytest.mark.postgres
@pytest.mark.parametrize("filtered", [False, True])
def test_a_deep_page_reads_a_range_of_the_index_not_thousands_of_rows(reference_data, filtered):
    seed(6_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participation_opinion")
    filters = filter_sets()["area" if filtered else "plain"]
    total = public_list.facet_counts(filters).total
    last = -(-total // PAGE_SIZE)
    public_list.public_opinion_page(filters, last)  # the boundaries, once
    for number in (last // 2, last - 1, last):
        with CaptureQueriesContext(connection) as captured:
            page, _ = public_list.public_opinion_page(filters, number)
        assert len(captured.captured_queries) == 1
        sql = captured.captured_queries[0]["sql"]
        offsets = [int(n) for n in re.findall(r"OFFSET (\d+)", sql)]
        assert max(offsets, default=0) < public_list.BOUNDARY_ROWS, sql  # no OFFSET at all from a boundary
        assert re.search(r'"published_at", \S+"id"\) <= \(', sql), sql  # from the page's boundary
        # From the boundary to the page's last row, and the other areas' rows between them when filtered.
        plan = explain(sql)
        limit = 2 * public_list.BOUNDARY_ROWS * (Area.objects.count() if filtered else 1)
        assert scanned_rows(plan) <= limit, json.dumps(plan, indent=1)


def explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
