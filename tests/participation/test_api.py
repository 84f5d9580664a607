"""The public open-data API: schema, published opinions only, nothing personal, pagination."""

import datetime
import json

import pytest
from django.utils import timezone

from participation.models import Area, Channel, District, ModerationStatus
from stages.models import Stage
from tests.participation.factories import EventFactory, OpinionFactory

pytestmark = pytest.mark.django_db

PERSONAL = {"author", "author_id", "email", "age_bracket", "moderated_by", "rejection_reason", "external_id"}


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def opinions(reference_data):
    area = Area.objects.get(slug="edukacja")
    other_area = Area.objects.get(slug="akademickosc")
    district = District.objects.get(name="Felin")
    channel = Channel.objects.get(code="kafejka")
    stage = Stage.objects.get(number=2)
    published = [
        OpinionFactory(published=True, area=area, district=district, channel=channel, stage=stage, age_bracket="25-34")
        for _ in range(3)
    ]
    published.append(OpinionFactory(published=True, area=other_area, district=district, channel=channel))
    hidden = OpinionFactory(published=True, area=area, district=district, channel=channel, hidden_by_flags=True)
    pending = OpinionFactory(area=area, district=district, channel=channel)
    rejected = OpinionFactory(
        area=area, district=district, channel=channel, status=ModerationStatus.REJECTED, rejection_reason="Spam"
    )
    return {"published": published, "hidden": hidden, "pending": pending, "rejected": rejected}


def test_schema_is_valid_json_with_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ["stages", "areas", "districts", "channels", "opinions", "opinions/{opinion_id}", "statistics"]:
        assert f"/api/v1/{path}" in schema["paths"]
    opinion_fields = set(schema["components"]["schemas"]["OpinionOut"]["properties"])
    assert not opinion_fields & PERSONAL


def test_opinions_lists_only_published_and_visible(client, opinions):
    data = get_json(client, "/api/v1/opinions")
    ids = {item["id"] for item in data["items"]}
    assert ids == {opinion.pk for opinion in opinions["published"]}
    assert data["count"] == 4


def test_opinions_carry_no_personal_data(client, opinions):
    response = client.get("/api/v1/opinions")
    for item in response.json()["items"]:
        assert not set(item) & PERSONAL
        assert set(item) == {
            "id",
            "text",
            "area",
            "district",
            "channel",
            "stage",
            "event",
            "place",
            "collected_on",
            "published_at",
        }
    body = response.content.decode()
    for opinion in opinions["published"]:
        assert opinion.author.email not in body
    assert "25-34" not in body


def test_hidden_pending_and_rejected_opinions_are_not_found(client, opinions):
    for key in ("hidden", "pending", "rejected"):
        assert client.get(f"/api/v1/opinions/{opinions[key].pk}").status_code == 404
    one = opinions["published"][0]
    data = get_json(client, f"/api/v1/opinions/{one.pk}")
    assert (data["id"], data["area"], data["district"], data["channel"], data["stage"]) == (
        one.pk,
        "edukacja",
        "felin",
        "kafejka",
        2,
    )


def test_pagination_with_limit_offset_and_links(client, opinions):
    first = get_json(client, "/api/v1/opinions", limit=3)
    assert (first["count"], len(first["items"]), first["previous"]) == (4, 3, None)
    assert "offset=3" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1
    assert second["next"] is None
    assert "offset=0" in second["previous"]
    assert {i["id"] for i in first["items"]} | {i["id"] for i in second["items"]} == {
        o.pk for o in opinions["published"]
    }


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}])
def test_limit_is_at_most_100(client, db, params):
    assert client.get("/api/v1/opinions", params).status_code == 422


def test_filters(client, opinions):
    assert get_json(client, "/api/v1/opinions", area="akademickosc")["count"] == 1
    assert get_json(client, "/api/v1/opinions", area="edukacja", district="felin", channel="kafejka")["count"] == 3
    assert get_json(client, "/api/v1/opinions", stage=2)["count"] == 3
    assert get_json(client, "/api/v1/opinions", area="nie-ma-takiego")["count"] == 0
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert get_json(client, "/api/v1/opinions", since=tomorrow.isoformat())["count"] == 0
    assert get_json(client, "/api/v1/opinions", since="2020-01-01")["count"] == 4


def test_opinion_list_query_count_is_pinned(client, opinions, django_assert_num_queries):
    event = EventFactory()
    for opinion in opinions["published"]:
        opinion.event = event
        opinion.save(update_fields=["event"])
    OpinionFactory.create_batch(30, published=True)
    with django_assert_num_queries(2):  # count + one page with its areas, districts, channels, stages, events
        data = get_json(client, "/api/v1/opinions", limit=100, area="", district="")
    assert data["count"] == 34
    assert any(item["event"] == {"id": event.pk, "title": event.title} for item in data["items"])


def test_statistics_count_published_opinions_only(client, opinions, django_assert_num_queries):
    with django_assert_num_queries(5):
        data = get_json(client, "/api/v1/statistics")
    assert data["total"] == 4
    assert {row["key"]: row["count"] for row in data["by_area"]} == {"edukacja": 3, "akademickosc": 1}
    assert data["by_district"] == [{"key": "felin", "name": "Felin", "count": 4}]
    assert data["by_channel"][0]["key"] == "kafejka"
    assert sum(row["count"] for row in data["by_month"]) == 4
    assert data["by_age_bracket"] == [{"key": "25-34", "name": "25–34", "count": 3}]


def test_reference_endpoints(client, reference_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        stages = get_json(client, "/api/v1/stages")
    assert [stage["number"] for stage in stages] == list(range(1, 10))
    assert stages[1]["windows"][0]["kind"] == "opinions"
    assert any(area["slug"] == "edukacja" for area in get_json(client, "/api/v1/areas"))
    districts = get_json(client, "/api/v1/districts")
    assert len(districts) == 28
    assert any(
        channel["code"] == "online-form" and channel["is_online"] for channel in get_json(client, "/api/v1/channels")
    )


def test_answers_are_cached_until_the_publication_version_changes(client, opinions, django_assert_num_queries):
    from lublin2030.versions import bump_publication_version

    get_json(client, "/api/v1/opinions")
    get_json(client, "/api/v1/statistics")
    with django_assert_num_queries(0):
        assert get_json(client, "/api/v1/opinions")["count"] == 4
        assert get_json(client, "/api/v1/statistics")["total"] == 4
    OpinionFactory(published=True)
    bump_publication_version()  # what every publishing service does
    assert get_json(client, "/api/v1/opinions")["count"] == 5
    assert get_json(client, "/api/v1/statistics")["total"] == 5
