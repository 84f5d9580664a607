import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import ADMIN, COORDINATOR, MODERATOR
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_exist_as_groups_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {MODERATOR, COORDINATOR, ADMIN}


def test_user_has_no_username_and_logs_in_by_email():
    user = User.objects.create_user(email="Anna@Example.org", password=PASSWORD)
    assert user.email == "anna@example.org"
    assert not hasattr(user, "username") or user.username is None
    assert User.USERNAME_FIELD == "email"


def test_signup_sends_a_verification_email_and_does_not_log_in(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert "nowa@example.org" in mailoutbox[0].to
    assert not EmailAddress.objects.get(email="nowa@example.org").verified
    assert "_auth_user_id" not in client.session


def test_confirming_the_email_verifies_the_address(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    client.post(path)
    assert EmailAddress.objects.get(email="nowa@example.org").verified


def test_unverified_user_cannot_log_in(client):
    UserFactory(email="niezweryfikowany@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "niezweryfikowany@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verified_user_logs_in_with_email(client):
    UserFactory(email="anna@example.org")
    response = client.post(reverse("account_login"), {"login": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_password_reset_sends_email(client, mailoutbox):
    UserFactory(email="anna@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "anna@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_failed_logins_are_rate_limited_per_account(client):
    UserFactory(email="anna@example.org")
    pages = [
        client.post(reverse("account_login"), {"login": "anna@example.org", "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert not any("Zbyt wiele nieudanych prób logowania" in page for page in pages[:5])
    assert "Zbyt wiele nieudanych prób logowania" in pages[5]
    # Even the right password is refused while the limit holds.
    page = client.post(reverse("account_login"), {"login": "anna@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert page.status_code == 200


def test_signup_form_errors_are_in_polish_and_english(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-email", "password1": "a", "password2": "b"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Popraw następujące błędy" in content
    assert 'class="error-summary"' in content
    response = client.post(
        "/en" + reverse("account_signup"), {"email": "not-an-email", "password1": "a", "password2": "b"}
    )
    assert "Please correct the following" in response.content.decode()
    assert "Enter a valid email address" in response.content.decode()


def test_login_page_uses_our_layout_and_translation(client):
    content = client.get(reverse("account_login")).content.decode()
    assert 'class="skip-link"' in content
    assert "Zaloguj się" in content
