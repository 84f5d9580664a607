"""The English interface speaks English where the Polish one speaks Polish: months, "Cały Lublin",
the notes of a recommendation's versions; and the site has an icon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from participation.models import District
from recommendations import services
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import RecommendationFactory
from tests.workgroups.factories import WorkingGroupFactory, member

pytestmark = pytest.mark.django_db

ENGLISH_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
POLISH_MONTHS = "styczeń|luty|marzec|kwiecień|maj|czerwiec|lipiec|sierpień|wrzesień|październik|listopad|grudzień"


def text_of(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_month_names_are_capitalised_in_english_and_lower_case_in_polish(client, reference_data):
    OpinionFactory(published=True)
    for path in ("/en/", "/en/statystyki/"):
        text = text_of(client.get(path))
        assert re.search(rf"\b({ENGLISH_MONTHS}) \d{{4}}", text), path
        assert not re.search(rf"\b({ENGLISH_MONTHS.lower()}) \d{{4}}", text), path
    for path in ("/", "/statystyki/"):
        text = text_of(client.get(path))
        assert re.search(rf"\b({POLISH_MONTHS}) \d{{4}}", text), path
        assert not re.search(rf"\b({POLISH_MONTHS.title()}) \d{{4}}", text), path


def test_the_whole_city_is_named_in_english(client, reference_data):
    whole_city = District.objects.get(is_whole_city=True)
    OpinionFactory(published=True, district=whole_city)
    for path in ("/en/statystyki/", "/en/opinie/"):
        text = text_of(client.get(path))
        assert "Whole of Lublin" in text, path
        assert "Cały Lublin" not in text, path
    assert "Cały Lublin" in text_of(client.get("/statystyki/"))


def test_version_notes_are_in_the_readers_language(client, reference_data, open_window):
    open_window("drafting")
    group = WorkingGroupFactory()
    author = member(group)
    recommendation = RecommendationFactory(group=group)
    opinion = OpinionFactory(published=True, area=group.area)
    services.evidence_attach(actor=author, recommendation=recommendation, opinion=opinion)
    client.force_login(author)
    history = reverse("recommendations:history", args=[recommendation.pk])
    assert f"Attached opinion #{opinion.pk}" in text_of(client.get("/en" + history))
    assert f"Dołączenie opinii nr {opinion.pk}" in text_of(client.get(history))
    workspace = reverse("workgroups:workspace", args=[group.slug])
    assert f"Attached opinion #{opinion.pk}" in text_of(client.get("/en" + workspace))


def test_the_site_has_an_icon(client, reference_data):
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
