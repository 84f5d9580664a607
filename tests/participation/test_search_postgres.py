"""Full-text search on PostgreSQL: Polish diacritics and inflection are optional, and the GIN index is used."""

import pytest
from django.db import connection

from participation import public_list
from participation.models import Area, Channel, District, Opinion
from tests.participation.factories import OpinionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def corpus(reference_data):
    common = {
        "published": True,
        "area": Area.objects.get(slug="edukacja"),
        "district": District.objects.get(slug="caly-lublin"),
        "channel": Channel.objects.get(code=Channel.ONLINE_FORM),
    }
    return {
        "green": OpinionFactory(text="Potrzeba więcej zieleń w śródmieściu i drzew.", **common),
        "benches": OpinionFactory(text="Nowe ławeczki przy Zalewie Zemborzyckim.", **common),
        "bikes": OpinionFactory(text="Ścieżki rowerowe wzdłuż Bystrzycy.", **common),
        "hidden": OpinionFactory(text="Zieleń ukryta po zgłoszeniach.", hidden_by_flags=True, **common),
    }


def search(q):
    return set(public_list.public_opinion_list(public_list.OpinionFilters(q=q)).values_list("pk", flat=True))


def test_without_diacritics_finds_with_diacritics(corpus):
    assert search("zielen") == {corpus["green"].pk}
    assert search("laweczki") == {corpus["benches"].pk}
    assert search("sciezki bystrzycy") == {corpus["bikes"].pk}


def test_with_diacritics_and_any_case_too(corpus):
    assert search("ZIELEŃ") == {corpus["green"].pk}
    assert search("Ławeczki") == {corpus["benches"].pk}


def test_websearch_syntax(corpus):
    assert search('"nowe laweczki"') == {corpus["benches"].pk}
    assert search("zielen OR rowerowe") == {corpus["green"].pk, corpus["bikes"].pk}
    assert search("laweczki -zalewie") == set()


def test_facets_follow_the_search(corpus):
    facets = public_list.facet_counts(public_list.OpinionFilters(q="zielen"))
    assert facets.total == 1


def test_the_gin_index_serves_the_query(corpus):
    # Only the search condition: with a handful of rows the planner may prefer the partial index of
    # the public list; what matters is that the expression matches the GIN index at all.
    queryset = public_list.apply_search(Opinion.objects.all(), "zielen").order_by().values("id")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "opinion_search_text" in plan


def test_search_page_through_the_view(client, corpus):
    response = client.get("/opinie/", {"q": "laweczki"})
    assert f'href="/opinie/{corpus["benches"].pk}/"' in response.content.decode()
    assert f'href="/opinie/{corpus["green"].pk}/"' not in response.content.decode()


def test_plain_words_also_match_as_prefixes(corpus):
    assert search("zielen") == {corpus["green"].pk}
    assert corpus["bikes"].pk in search("rower")  # "rowerowe"
    assert search("rower bystrzyc") == {corpus["bikes"].pk}
    assert search("ro") == set()  # too short for a prefix, and no such word
