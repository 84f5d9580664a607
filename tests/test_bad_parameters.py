"""Hostile query strings on every page and API endpoint: a 400 (our page, or JSON), never a 500.

The endpoints are read from the URLconf, so a page added later is covered without editing this file.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from participation.models import ModerationStatus
from recommendations.models import RecommendationStatus
from stages.models import Stage
from tests.accounts.factories import UserFactory
from tests.participation.factories import EventFactory, OpinionFactory
from tests.recommendations.factories import RecommendationFactory
from tests.reports.factories import ReportFactory
from tests.workgroups.factories import ApplicationFactory, WorkingGroupFactory, member

pytestmark = pytest.mark.django_db

# Every parameter name a page, the admin or the API reads, and a few it does not.
NAMES = [
    "q", "area", "district", "channel", "stage", "status", "group", "page", "p", "o", "e", "offset", "limit",
    "since", "action", "format", "od", "do", "next", "id", "status__exact", "area__id__exact", "kind",
]  # fmt: skip
HUGE = str(2**64)
NUL_QUERIES = ["&".join(f"{name}=ab%00c" for name in NAMES), "%00=1"]
HUGE_QUERIES = [
    "&".join(f"{name}={HUGE}" for name in NAMES),
    "&".join(f"{name}=-{HUGE}" for name in NAMES),
    f"offset={HUGE}",
]
LONG_SEARCH = "q=" + quote("ławka " * 1700)  # 10,200 characters


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def _arguments(pattern, values: dict) -> dict | None:
    names = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
    if any(name not in values for name in names):
        return None
    return {name: values[name] for name in names}


def every_get_address(objects: dict) -> list[str]:
    addresses = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        namespace = name.rsplit(":", 1)[0] if ":" in name else ""
        values = {**objects["common"], **objects.get(namespace, {})}
        kwargs = _arguments(pattern, values)
        if kwargs is None:
            continue
        try:
            addresses.add(reverse(name, kwargs=kwargs))
        except Exception:  # noqa: S112 - a pattern our sample values do not fit (e.g. an admin app label)
            continue
    return sorted(addresses)


@pytest.fixture
def objects(reference_data):
    group = WorkingGroupFactory()
    recommendation = RecommendationFactory(group=group, status=RecommendationStatus.SUBMITTED)
    opinion = OpinionFactory(status=ModerationStatus.PUBLISHED)
    report = ReportFactory()
    application = ApplicationFactory(group=group)
    membership = member(group)
    event = EventFactory()
    pk = {
        "participation": opinion.pk,
        "participation_data": opinion.pk,
        "recommendations": recommendation.pk,
        "reports": report.pk,
        "workgroups": application.pk,
    }
    objects = {"common": {"pk": opinion.pk, "opinion_id": opinion.pk, "opinion_pk": opinion.pk, "name": "raport.pdf",
                          "slug": group.slug, "group_slug": group.slug, "job_id": "x", "key": "x", "uidb36": "x",
                          "app_label": "participation", "object_id": str(opinion.pk), "content_type_id": "1"}}  # fmt: skip
    for namespace, value in pk.items():
        objects[namespace] = {"pk": value}
    objects["stages"] = {"slug": Stage.objects.order_by("number").first().slug}
    objects["participation"]["event_pk"] = event.pk
    objects["workgroups"]["membership_pk"] = membership.pk
    return objects


@pytest.fixture
def admin_client(reference_data):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, roles=["admin"]))
    return client


def test_the_walk_finds_the_lists_the_api_and_the_admin(objects):
    addresses = every_get_address(objects)
    for expected in ("/opinie/", "/rekomendacje/", "/api/v1/opinions", "/admin/participation/opinion/", "/panel/"):
        assert expected in addresses
    assert len(addresses) > 60


def test_nul_bytes_and_absurd_numbers_never_answer_500(objects, admin_client):
    anonymous = Client(raise_request_exception=False)
    failures = []
    for address in every_get_address(objects):
        for client in (anonymous, admin_client):
            for query in NUL_QUERIES:
                response = client.get(f"{address}?{query}")
                is_api = address.startswith("/api/")
                if response.status_code != 400:
                    failures.append((address, query[:30], response.status_code))
                elif is_api and not response["Content-Type"].startswith("application/json"):
                    failures.append((address, query[:30], "not JSON"))
                elif not is_api and "Nie udało się odczytać adresu" not in response.content.decode():
                    failures.append((address, query[:30], "not our page"))
        # Numbers reach the views: as the admin, who may open every page.
        for query in HUGE_QUERIES:
            response = admin_client.get(f"{address}?{query}")
            if response.status_code >= 500:
                failures.append((address, query[:30], response.status_code))
        response = anonymous.get(f"{address}?{LONG_SEARCH}")
        if response.status_code != 400:
            failures.append((address, "long search", response.status_code))
    assert failures == []


def test_the_examples_of_the_walk_through(admin_client, reference_data):
    client = Client(raise_request_exception=False)
    for address in ("/opinie/?q=%00", "/rekomendacje/?q=%00"):
        response = client.get(address)
        assert response.status_code == 400
        assert 'class="skip-link"' in response.content.decode()  # the site's own layout
    response = client.get("/api/v1/opinions?area=%00")
    assert response.status_code == 400
    assert response.json()["detail"]
    response = client.get(f"/api/v1/opinions?offset={2**63}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert admin_client.get("/admin/participation/opinion/?status=%00").status_code == 400
    response = client.get("/opinie/?" + LONG_SEARCH)
    assert response.status_code == 400
    assert "Nie udało się odczytać adresu" in response.content.decode()
    assert client.get("/en/opinie/?q=%00").content.decode().count("The address could not be read") >= 1


def test_a_10000_character_search_gets_our_400_page_from_gunicorn_too():
    """gunicorn answers an overlong request line with its own bare page unless gunicorn.conf.py lifts its cap."""
    from tests.servers import gunicorn, http_get

    with gunicorn({"DATABASE_URL": "", "REDIS_URL": ""}) as server:  # the 400 is decided before any query
        status, _, body = http_get(server + "/opinie/?" + LONG_SEARCH)
    assert status == 400
    assert "Nie udało się odczytać adresu" in body
    assert 'lang="pl"' in body
