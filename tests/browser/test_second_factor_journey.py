"""A moderator without a second factor signs in, is sent to the enrolment page, sets up an
authenticator app there and reaches the moderation queue: in Chromium, axe-core on each page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, moderator
from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_enrols_an_authenticator_app_and_the_panel_opens(page, live_server, reference_data, settings):
    settings.STAFF_MFA_REQUIRED = True
    user = moderator()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/konto/login/?next=/panel/moderacja/")
    page.get_by_label("Adres e-mail").fill(user.email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie dwuetapowe")
    expect(page.locator("main")).to_contain_text("Twoja rola w portalu wymaga drugiego składnika")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Skonfiguruj aplikację uwierzytelniającą").click()
    page.get_by_label("Hasło").fill(PASSWORD)  # allauth asks for the password before a new factor
    page.get_by_role("button", name="Potwierdź").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skonfiguruj aplikację uwierzytelniającą")
    expect(page.get_by_alt_text("Kod QR do zeskanowania aplikacją uwierzytelniającą")).to_be_visible()
    assert_no_axe_violations(page)
    secret = page.get_by_label("Klucz do ręcznego wpisania w aplikacji").input_value()
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    page.get_by_label(re.compile("^Kod")).fill(code)
    page.get_by_role("button", name="Potwierdź i włącz").click()
    assert_no_axe_violations(page)  # the recovery codes

    page.goto(live_server.url + "/panel/moderacja/")
    expect(page).to_have_url(live_server.url + "/panel/moderacja/")
    assert blocked == []
