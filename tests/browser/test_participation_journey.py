"""A resident's opinion from sign-up to publication, in a real browser, with axe-core on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, moderator
from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "mieszkanka@example.org"
RESIDENT_PASSWORD = "Zielony-Lublin-2030!"
OPINION = "Więcej zieleni i ławek przy Zalewie Zemborzyckim, a także cień nad placami zabaw."


def visit(page, url):
    page.goto(url)
    assert_no_axe_violations(page)


def log_in(page, base, email, password):
    visit(page, base + "/konto/login/")
    page.get_by_label(re.compile("e-mail", re.I)).first.fill(email)
    page.get_by_label(re.compile("Hasło", re.I)).first.fill(password)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_load_state()


def confirmation_link(base) -> str:
    for message in reversed(mail.outbox):
        if EMAIL in message.to:
            match = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", message.body)
            if match:
                return base + match.group(0)[match.group(0).index("/konto/") :]
    raise AssertionError("no confirmation e-mail in the outbox")


def test_resident_submits_and_moderator_publishes(page, live_server, open_window):
    open_window("opinions")
    staff = moderator(email="moderatorka@example.org")
    base = live_server.url

    # 1. Sign up.
    visit(page, base + "/konto/signup/")
    page.get_by_label(re.compile("e-mail", re.I)).first.fill(EMAIL)
    page.locator("input[name=password1]").fill(RESIDENT_PASSWORD)
    page.locator("input[name=password2]").fill(RESIDENT_PASSWORD)
    page.get_by_role("button", name=re.compile("Załóż konto")).click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # 2. Verify the e-mail from the outbox (the confirmation logs the resident in).
    visit(page, confirmation_link(base))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # 3. Submit an opinion; the counter follows the typing.
    visit(page, base + "/opinie/nowa/")
    page.get_by_label("Obszar strategiczny").select_option(label="Edukacja")
    page.get_by_label("Dzielnica").select_option(label="Cały Lublin")
    page.get_by_label("Twoja opinia").fill(OPINION)
    expect(page.locator(".char-counter")).to_contain_text(f"{len(OPINION)} z 2000")
    expect(page.get_by_role("link", name=re.compile("Pełna informacja o przetwarzaniu"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Wyślij opinię").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziękujemy za opinię")
    assert_no_axe_violations(page)

    # 4. "My opinions" says it waits for moderation.
    visit(page, base + "/moje-opinie/")
    expect(page.locator("main")).to_contain_text("Czeka na moderację")
    log_out(page)

    # 5. The moderator publishes it from the queue, with the keyboard-friendly bulk form.
    log_in(page, base, staff.email, PASSWORD)
    visit(page, base + "/panel/moderacja/")
    expect(page.locator("main")).to_contain_text(OPINION[:40])
    page.get_by_label(re.compile(r"Zaznacz opinię nr \d+")).first.check()
    page.get_by_label("Działanie dla zaznaczonych opinii").select_option("publish")
    page.get_by_role("button", name="Zastosuj do zaznaczonych opinii").click()
    expect(page.locator(".messages")).to_contain_text("Opublikowano 1 opinię")
    assert_no_axe_violations(page)
    log_out(page)

    # The author was told by e-mail.
    assert any(EMAIL in message.to and "opublikowana" in message.subject for message in mail.outbox)

    # 6. The resident sees it published, and it is on the public list.
    log_in(page, base, EMAIL, RESIDENT_PASSWORD)
    visit(page, base + "/moje-opinie/")
    expect(page.locator("main .badge-published")).to_have_text("Opublikowana")
    visit(page, base + "/opinie/?q=zielen")
    expect(page.locator("main")).to_contain_text(OPINION[:40])
    page.get_by_role("link", name=re.compile(r"Opinia nr \d+")).first.click()
    expect(page.locator("blockquote")).to_contain_text(OPINION)
    assert_no_axe_violations(page)


def test_public_pages_pass_axe(page, live_server, reference_data):
    from participation.models import Area, Channel, District
    from tests.participation.factories import EventFactory, OpinionFactory

    OpinionFactory.create_batch(
        3,
        published=True,
        area=Area.objects.get(slug="edukacja"),
        district=District.objects.get(slug="caly-lublin"),
        channel=Channel.objects.get(code=Channel.ONLINE_FORM),
    )
    EventFactory()
    for path in ("/opinie/", "/opinie/?area=edukacja", "/statystyki/", "/wydarzenia/", "/en/opinie/"):
        visit(page, live_server.url + path)
    page.goto(live_server.url + "/statystyki/")
    page.locator("details summary").first.click()
    assert_no_axe_violations(page)


def test_reporting_and_staff_pages_pass_axe(page, live_server, reference_data, settings):
    from participation.models import Area, Channel, District
    from tests.accounts.factories import UserFactory, coordinator
    from tests.participation.factories import EventFactory, OpinionFactory

    settings.OPINION_FLAGS_TO_HIDE = 1
    common = {
        "area": Area.objects.get(slug="edukacja"),
        "district": District.objects.get(slug="caly-lublin"),
        "channel": Channel.objects.get(code=Channel.ONLINE_FORM),
    }
    opinion = OpinionFactory(published=True, text="Obraźliwa opinia do zgłoszenia moderatorom.", **common)
    OpinionFactory(text="Opinia czekająca na moderację w kolejce.", **common)
    event = EventFactory()
    reporter = UserFactory()
    staff = coordinator(email="koordynator@example.org")
    base = live_server.url

    # A resident reports an opinion with the keyboard; with a threshold of 1 it is hidden at once.
    log_in(page, base, reporter.email, PASSWORD)
    visit(page, f"{base}/opinie/{opinion.pk}/")
    page.get_by_role("link", name="Zgłoś tę opinię moderatorom").click()
    assert_no_axe_violations(page)
    page.get_by_label("Spam lub reklama").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.locator(".messages")).to_contain_text("Dziękujemy")
    log_out(page)

    # A coordinator sees it in the queue, restores it, and reads the log.
    log_in(page, base, staff.email, PASSWORD)
    visit(page, base + "/panel/moderacja/")
    expect(page.locator("main")).to_contain_text("Ukryta po zgłoszeniach")
    page.get_by_role("button", name=re.compile(f"Przywróć opinię nr {opinion.pk}")).click()
    expect(page.locator(".messages")).to_contain_text("znów publiczna")
    page.get_by_role("link", name=re.compile("Odrzuć lub zdecyduj")).first.click()
    assert_no_axe_violations(page)
    page.get_by_label("Odrzuć").check()
    page.get_by_role("button", name="Zapisz decyzję").click()
    expect(page.locator(".error-summary")).to_be_visible()  # a rejection needs a reason
    assert_no_axe_violations(page)
    visit(page, base + "/panel/moderacja/dziennik/")
    expect(page.locator("main table")).to_contain_text("przywrócono po zgłoszeniach")
    visit(page, base + "/panel/wydarzenia/")
    visit(page, f"{base}/panel/wydarzenia/{event.pk}/")
    visit(page, base + "/panel/wydarzenia/nowe/")
    visit(page, base + event.stage.get_absolute_url())
    expect(page.locator("main")).to_contain_text(event.title)
