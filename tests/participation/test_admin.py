"""Coordinators manage areas in the admin; moderation stays read-only there."""

import pytest

from participation.models import Area, Opinion
from tests.accounts.factories import coordinator, moderator
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db


def test_coordinator_lists_searches_and_edits_areas(client, reference_data):
    client.force_login(coordinator(is_staff=True))
    response = client.get("/admin/participation/area/", {"q": "eduk"})
    assert response.status_code == 200
    assert "Edukacja" in response.content.decode()
    area = Area.objects.get(slug="edukacja")
    response = client.get(f"/admin/participation/area/{area.pk}/change/")
    assert response.status_code == 200


def test_moderator_cannot_manage_areas(client, reference_data):
    client.force_login(moderator(is_staff=True))
    assert client.get("/admin/participation/area/").status_code == 403


def test_opinion_status_is_read_only_in_the_admin(admin_client, reference_data):
    opinion = OpinionFactory()
    response = admin_client.get(f"/admin/participation/opinion/{opinion.pk}/change/")
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    assert Opinion.objects.get(pk=opinion.pk).status == "pending"
