import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_account_pages_need_login(client):
    for name in ["accounts:home", "accounts:personal_data", "accounts:delete"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response.url


def test_resident_sets_a_display_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:home"), {"display_name": "  Anna z Czechowa "})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Anna z Czechowa"


def test_display_name_too_long_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:home"), {"display_name": "x" * 81})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_personal_data_download_is_json_with_the_account(client):
    user = UserFactory(email="anna@example.org")
    client.force_login(user)
    response = client.get(reverse("accounts:personal_data"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna@example.org"
    assert data["account"]["email_addresses"][0]["verified"] is True


def test_delete_account_needs_the_password_and_the_confirmation(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "Hasło jest nieprawidłowe" in response.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session


def test_personal_data_includes_opinions_memberships_and_comments(client, reference_data):
    from tests.participation.factories import OpinionFactory

    user = UserFactory()
    OpinionFactory(author=user, text="Więcej drzew na Czechowie, proszę.")
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:personal_data")).content)
    assert data["opinions"][0]["text"] == "Więcej drzew na Czechowie, proszę."
    assert data["working_group_memberships"] == []
    assert data["recommendation_comments"] == []
    assert data["opinion_flags"] == []


def test_the_staff_panel_names_the_roles_in_the_readers_language(client, reference_data):
    from accounts.roles import MODERATOR
    from tests.accounts.factories import coordinator

    user = coordinator()
    user.groups.add(Group.objects.get(name=MODERATOR))
    client.force_login(user)
    content = client.get("/panel/").content.decode()
    assert "Twoje role: Koordynator, Moderator" in content
    assert "coordinator" not in content.split("<main")[1]
    assert "Your roles: Coordinator, Moderator" in client.get("/en/panel/").content.decode()


def test_personal_data_includes_consultation_comments_with_answers_and_the_strategy_team(client, reference_data):
    from tests.consultation.factories import make_comment, make_consultation
    from tests.strategy.factories import team_member

    user = team_member()
    someone_else = UserFactory()
    consultation = make_consultation()
    make_comment(
        consultation,
        author=user,
        text="Proszę dopisać ścieżki rowerowe.",
        answer="taken",
        answer_justification="Dopisano kierunek o ścieżkach rowerowych.",
    )
    make_comment(consultation, author=someone_else, text="Uwaga innej osoby, nie jej.")
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:personal_data")).content)
    [comment] = data["consultation_comments"]
    assert comment["text"] == "Proszę dopisać ścieżki rowerowe."
    assert comment["answer_justification"] == "Dopisano kierunek o ścieżkach rowerowych."
    assert comment["consultation"] == consultation.title
    [membership] = data["strategy_team"]
    assert membership["role"] == "editor"
    assert membership["withdrawn_at"] is None
