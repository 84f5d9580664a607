"""Open data of the implementation (/api/v1/strategy…): the strategy in force, indicators with every
measurement, actions, sector strategies and coverage. Nothing personal."""

import json

import pytest

from implementation.models import ActionStatus
from tests.implementation.factories import cited_opinion, in_force, make_action, make_sector_strategy, measure
from tests.participation.factories import DistrictFactory
from tests.strategy.factories import make_version

pytestmark = pytest.mark.django_db


def test_the_strategy_in_force_with_what_its_goals_rest_on(reference_data, client):
    strategy = in_force()
    opinion, recommendation = cited_opinion(strategy.directions[0])
    body = client.get("/api/v1/strategy").json()
    assert (body["version"], body["state"]) == (strategy.version.number, "adopted")
    assert body["resolution"]["number"] == "XLII/1234/2021"
    goal = body["goals"][0]
    assert goal["key"] == strategy.goals[0].key
    assert goal["basis"] == {"recommendations": [recommendation.pk], "opinions": 1}
    assert goal["directions"][0]["basis"]["opinions"] == 1


def test_indicators_with_every_measurement_and_their_progress(reference_data, client):
    strategy = in_force()
    indicator = strategy.indicators[0]  # baseline 1250.5, target 1400
    measure(indicator, 2021, "1280.4")
    measure(indicator, 2022, "1325.25")
    body = client.get("/api/v1/strategy/indicators").json()
    row = next(item for item in body if item["key"] == indicator.key)
    assert [m["date"] for m in row["measurements"]] == ["2021-12-31", "2022-12-31"]
    assert row["progress"] == "50.0"
    assert row["direction"] == indicator.direction.key
    one = client.get(f"/api/v1/strategy/indicators/{indicator.key}").json()
    assert one["measurements"] == row["measurements"]
    assert client.get("/api/v1/strategy/indicators/niematakie").status_code == 404


def test_actions_filtered_and_paginated(reference_data, client):
    strategy = in_force()
    district = DistrictFactory(slug="kosminek")
    make_action(strategy, strategy.directions[0], title="A", status=ActionStatus.COMPLETED)
    make_action(strategy, strategy.directions[1], title="B", district=district)
    make_action(strategy, strategy.directions[1], title="C", is_public=False)
    body = client.get("/api/v1/strategy/actions").json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["A", "B"]
    assert client.get("/api/v1/strategy/actions?status=completed").json()["count"] == 1
    assert client.get(f"/api/v1/strategy/actions?direction={strategy.directions[1].key}").json()["count"] == 1
    assert client.get("/api/v1/strategy/actions?district=kosminek").json()["count"] == 2  # and the whole city's
    assert client.get("/api/v1/strategy/actions?limit=1&offset=1").json()["items"][0]["title"] == "B"
    assert client.get("/api/v1/strategy/actions?limit=500").status_code == 422


def test_sector_strategies_and_coverage(reference_data, client):
    strategy = in_force()
    programme = make_sector_strategy(strategy)
    programme.elements.create(kind="direction", key=strategy.directions[0].key)
    cited_opinion(strategy.goals[0])
    [item] = client.get("/api/v1/strategy/sector-strategies").json()
    assert item["directions"] == [strategy.directions[0].key]
    coverage = client.get("/api/v1/strategy/coverage").json()
    assert coverage["adopted"] is True
    assert coverage["total"]["in_strategy"] == 1


def test_nothing_personal_and_a_documented_schema(reference_data, client, django_user_model):
    strategy = in_force()
    measure(strategy.indicators[0], 2022, "1")
    make_action(strategy)
    everything = json.dumps(
        [
            client.get(url).json()
            for url in ("/api/v1/strategy", "/api/v1/strategy/indicators", "/api/v1/strategy/actions")
        ]
    )
    for user in django_user_model.objects.all():
        assert user.email not in everything
    assert "entered_by" not in everything
    assert "updated_by" not in everything
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/strategy", "/api/v1/strategy/indicators", "/api/v1/strategy/actions"} <= set(schema["paths"])


def test_before_anything_is_public(reference_data, client):
    assert client.get("/api/v1/strategy").status_code == 404
    make_version()  # a working draft is not public
    assert client.get("/api/v1/strategy/indicators").status_code == 404
