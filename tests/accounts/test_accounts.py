import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import Client
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


def test_signup_sends_a_verification_email_and_does_not_log_in(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
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


def test_confirming_the_email_verifies_the_address_and_logs_her_in(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://strategia.lublin.eu"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", mailoutbox[0].body).group(0)
    assert link.startswith("https://strategia.lublin.eu/konto/confirm-email/")  # not the request's host
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert EmailAddress.objects.get(email="nowa@example.org").verified
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="nowa@example.org").pk)


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


def test_password_reset_sends_email(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "anna@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def _login(client, email, password, address="192.0.2.10"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_throttle_that_account_from_that_address_only_with_429(client):
    UserFactory(email="anna@example.org")
    pages = [_login(client, "anna@example.org", "wrong") for _ in range(5)]
    assert [page.status_code for page in pages] == [200] * 5  # the form says the password is wrong
    throttled = _login(client, "anna@example.org", PASSWORD)  # even the right one, from here
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    content = throttled.content.decode()
    assert "Zbyt wiele błędnych haseł do tego konta z Twojej sieci" in content  # what happened
    assert "z innych miejsc działa jak dotąd" in content  # what happens next
    assert reverse("account_reset_password") in content
    assert "_auth_user_id" not in client.session

    # The owner, elsewhere, logs in at once: a stranger cannot lock her out.
    owner = Client()
    assert _login(owner, "anna@example.org", PASSWORD, address="198.51.100.20").status_code == 302
    assert owner.session["_auth_user_id"]


def test_a_right_password_gives_its_count_back(client):
    UserFactory(email="anna@example.org")
    for _ in range(4):
        _login(client, "anna@example.org", "wrong")
    assert _login(client, "anna@example.org", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "anna@example.org", "wrong").status_code == 200  # 5th failure, still allowed
    assert _login(client, "anna@example.org", "wrong").status_code == 429


def test_one_address_trying_many_accounts_is_throttled(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failed:ip": "3/15m"}
    for n in range(3):
        assert _login(client, f"kto{n}@example.org", "wrong").status_code == 200
    assert _login(client, "kto9@example.org", "wrong").status_code == 429


def test_logins_stay_throttled_while_redis_is_down(client, settings):
    from lublin2030 import ratelimit

    settings.CACHES = {
        "default": {
            "BACKEND": "lublin2030.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    ratelimit.clear_local()
    UserFactory(email="anna@example.org")
    statuses = [_login(client, "anna@example.org", "wrong").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]  # counted in this process instead of not at all
    ratelimit.clear_local()


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


def test_signup_does_the_same_work_for_a_new_and_a_taken_address(
    client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """Timing told who has an account (42 ms against 879 ms): the slow steps are now the same on both paths."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    from accounts import tasks

    UserFactory(email="zajety@example.org")
    hashed = []
    original_encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher, "encode", lambda self, *a, **k: hashed.append(1) or original_encode(self, *a, **k)
    )
    work = {}
    for email in ("nowy@example.org", "zajety@example.org"):
        hashed.clear()
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(
                reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
            )
        assert mailoutbox == []  # nothing sent inside the request
        names = []
        for callback in queued:
            names.append(callback.args[0].name)  # lublin2030.queue.send(task, args, kwargs)
        work[email] = (response.status_code, response.url, len(hashed), names)
        mailoutbox.clear()
    assert (
        work["nowy@example.org"]
        == work["zajety@example.org"]
        == (
            302,
            reverse("account_email_verification_sent"),
            1,
            [tasks.send_email.name],
        )
    )


def test_the_confirmation_email_is_natural_polish_from_lublin_2030_with_links_on_site_url(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://127.0.0.1:8204"  # make run on another port sets it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"), {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD}
        )
    message = mailoutbox[0]
    assert message.subject == "[Lublin 2030] Potwierdź adres e-mail"
    assert "http://127.0.0.1:8204/konto/confirm-email/" in message.body
    assert "testserver" not in message.body
    assert "127.0.0.1:8000" not in message.body
    assert "Ten adres e-mail podano przy zakładaniu konta w portalu Lublin 2030" in message.body
    assert "Zespół portalu Lublin 2030" in message.body
    path = re.search(r"/konto/confirm-email/\S+", message.body).group(0)
    page = client.get(path).content.decode()
    assert "to Twój adres e-mail" in page
    assert "użytkownika" not in page


def test_login_page_addresses_everyone_and_shows_its_error_once(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Nie pamiętasz hasła?" in page
    assert "Zapomniałeś" not in page
    UserFactory(email="anna@example.org")
    page = _login(client, "anna@example.org", "wrong").content.decode()
    assert page.count("Adres e-mail lub hasło są nieprawidłowe.") == 1
