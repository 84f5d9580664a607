"""A moderation decision retires the list pages it can change, and keeps the others cached."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation import services
from participation.models import Area, Channel, District
from tests.accounts.factories import moderator
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/opinie/"
EDUCATION, ACADEMIC = "edukacja", "akademickosc"
WHOLE_CITY, CZUBY = "caly-lublin", "czuby-polnocne"


def opinion(area: str, district: str, **kwargs):
    return OpinionFactory(
        area=Area.objects.get(slug=area),
        district=District.objects.get(slug=district),
        channel=Channel.objects.get(code=Channel.ONLINE_FORM),
        **kwargs,
    )


def queries_for(client, query: dict) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL, query)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())  # masked anew each time
    return len(captured.captured_queries), html


def test_a_decision_keeps_the_pages_it_cannot_change(client, reference_data, django_capture_on_commit_callbacks):
    for area in (EDUCATION, ACADEMIC):
        for district in (WHOLE_CITY, CZUBY):
            opinion(area, district, published=True)
    pending = opinion(EDUCATION, WHOLE_CITY)
    elsewhere = {"area": ACADEMIC, "district": CZUBY}  # neither the decided opinion's area nor its district
    changed = [
        {},
        {"area": ACADEMIC},  # shows the count of the decided opinion's area
        {"area": ACADEMIC, "district": WHOLE_CITY},  # its area's count given this district
        {"area": EDUCATION, "district": CZUBY},  # its district's count given this area
        {"area": EDUCATION, "district": WHOLE_CITY, "stage": "2"},  # misses only the stage
    ]
    pages = {}
    for query in [elsewhere, *changed]:
        pages[str(query)] = queries_for(client, query)[1]
    assert queries_for(client, elsewhere)[0] == 0  # cached

    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_publish(actor=moderator(), opinion=pending)

    count, html = queries_for(client, elsewhere)
    assert count == 0  # kept: still the whole page from the cache
    assert html == pages[str(elsewhere)]
    for query in changed:
        count, html = queries_for(client, query)
        assert count > 0, query  # retired: rendered again
    cache.clear()
    assert queries_for(client, elsewhere)[1] == pages[str(elsewhere)]  # what was kept is what it shows


def test_other_publication_changes_retire_every_list_page(client, reference_data):
    from lublin2030.versions import bump_publication_version

    opinion(ACADEMIC, CZUBY, published=True)
    query = {"area": ACADEMIC, "district": CZUBY}
    queries_for(client, query)
    assert queries_for(client, query)[0] == 0
    bump_publication_version()  # an import, an account deleted, an admin edit of names
    assert queries_for(client, query)[0] > 0


def test_a_filter_naming_nothing_leaves_the_page_on_the_publication_version(client, reference_data):
    opinion(ACADEMIC, CZUBY, published=True)
    pending = opinion(EDUCATION, WHOLE_CITY)
    query = {"area": ACADEMIC, "district": "no-such-district"}  # shows the area's list, all districts
    queries_for(client, query)
    services.opinion_publish(actor=moderator(), opinion=pending)
    assert queries_for(client, query)[0] > 0
