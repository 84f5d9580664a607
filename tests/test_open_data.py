"""The "Open data (API)" link of every footer opens a page of ours that works under our CSP."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_footer_link_opens_our_open_data_page_with_examples_that_answer(client, reference_data):
    home = client.get("/").content.decode()
    assert f'href="{reverse("open_data")}"' in home
    response = client.get(reverse("open_data"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="pl">' in page
    assert "<h1>Otwarte dane</h1>" in page
    assert "<script>" not in page  # nothing inline: the CSP allows none
    assert 'href="http://testserver/api/v1/openapi.json"' in page
    for url in re.findall(r'<a href="(http://testserver/api/v1/[^"]+)"', page):
        answer = client.get(url.removeprefix("http://testserver").replace("&amp;", "&"))
        assert answer.status_code == 200, url
        assert answer["Content-Type"].startswith("application/json")
    assert "Open data" in client.get("/en" + reverse("open_data")).content.decode()


def test_the_interactive_documentation_uses_our_own_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in page
    assert "cdn." not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "<script>" not in page
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui-init.js")
