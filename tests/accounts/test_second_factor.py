"""Staff sign in with a second factor (django-allauth's MFA), role by role.

Moderators, coordinators and admins (and any account Django treats as staff) reach no staff page
and not the Django admin until they have an authenticator app or a security key; residents may
turn one on. The test settings switch the requirement off for the rest of the suite.
"""

import os

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory, coordinator, moderator
from tests.accounts.factories import admin as admin_role
from tests.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

STAFF_ROLES = {
    "moderator": moderator,
    "coordinator": coordinator,
    "admin": admin_role,
    "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
}
STAFF_PAGES = ["/panel/", "/en/panel/", "/panel/moderacja/", "/admin/"]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_MFA_REQUIRED = True


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def with_authenticator_app(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_a_resident_is_not_asked_and_may_turn_it_on(client, reference_data):
    resident = UserFactory()
    client.force_login(resident)
    assert client.get("/panel/").status_code == 403  # not a staff member: no detour to the second factor
    assert client.get(reverse("participation:my_opinions")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert "Dla mieszkańców jest dobrowolne" in page.content.decode()
    assert "Skonfiguruj aplikację uwierzytelniającą" in page.content.decode()


@pytest.mark.parametrize("role", list(STAFF_ROLES))
def test_each_staff_role_is_stopped_until_it_has_a_second_factor(client, reference_data, role):
    user = STAFF_ROLES[role]()
    client.force_login(user)
    for page in STAFF_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("mfa_index") + "?next="), page
    enrolment = client.get(reverse("mfa_index") + "?next=/panel/").content.decode()
    assert "Wymagane w Twojej roli" in enrolment
    assert client.get(reverse("participation:opinion_list")).status_code == 200  # public pages stay open

    with_authenticator_app(user)
    assert client.get("/panel/").status_code == 200
    assert client.get("/panel/moderacja/").status_code == 200
    admin_status = client.get("/admin/").status_code
    assert admin_status == (302 if role == "moderator" else 200)  # moderators never use the admin


def test_a_security_key_counts_as_a_second_factor(client, reference_data):
    user = coordinator()
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "klucz"})
    client.force_login(user)
    assert client.get("/panel/").status_code == 200


def test_enrolment_through_the_pages_opens_the_staff_panel(client, reference_data):
    user = moderator()
    sign_in(client, user.email)
    response = client.get("/panel/moderacja/", follow=True)
    page = response.content.decode()
    assert "Twoja rola w portalu wymaga drugiego składnika" in page
    assert "<h1>Logowanie dwuetapowe</h1>" in page

    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302  # allauth asks for the password again before a new factor
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": reverse("mfa_activate_totp")})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Skonfiguruj aplikację uwierzytelniającą" in page
    assert 'alt="Kod QR do zeskanowania aplikacją uwierzytelniającą"' in page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/panel/moderacja/").status_code == 200


def test_signing_in_asks_for_the_code_before_the_account_opens(client, reference_data):
    user = coordinator()
    secret = with_authenticator_app(user)
    response = sign_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert "Podaj kod z aplikacji" in client.get(reverse("mfa_authenticate")).content.decode()
    client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/panel/").status_code == 200


def test_the_admin_never_shows_its_password_only_login_form(client, reference_data):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    staff = coordinator()
    with_authenticator_app(staff)
    client.force_login(staff)
    assert client.get("/admin/login/")["Location"] == reverse("admin:index")
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


def test_the_setting_is_on_unless_switched_off_and_production_refuses_to_switch_it_off():
    code = "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED)"
    env = {"DJANGO_SETTINGS_MODULE": "lublin2030.settings.base"}
    if "STAFF_MFA_REQUIRED" in os.environ:
        env["STAFF_MFA_REQUIRED"] = "true"
    assert run_manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1] == "True"
    result = run_manage("check", env={**PRODUCTION_ENV, "STAFF_MFA_REQUIRED": "false"})
    assert result.returncode != 0
    assert "STAFF_MFA_REQUIRED" in result.stderr
