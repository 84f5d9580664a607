"""The pages a first visitor sees: home, a stage, the language switch; axe-core on each."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_shows_the_nine_stages_with_the_current_one(page, live_server, reference_data):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Lublin 2030"))
    assert page.locator("html").get_attribute("lang") == "pl"
    items = page.locator("ol.timeline > li")
    expect(items).to_have_count(9)
    current = page.locator("ol.timeline > li[aria-current='step']")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Rozpoczynamy wdrażanie")
    expect(current).to_contain_text("bieżący etap")
    assert_no_axe_violations(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, reference_data):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_stage_detail_page(page, live_server, reference_data):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Rozmawiamy o przyszłości Lublina")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rozmawiamy o przyszłości Lublina")
    expect(page.locator("main")).to_contain_text("Zbieranie opinii")
    expect(page.locator("main")).to_contain_text("1 października 2019")
    assert_no_axe_violations(page)


def test_language_switch_to_english_and_back(page, live_server, reference_data):
    page.goto(live_server.url + "/etapy/rozmawiamy-o-przyszlosci/")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/etapy/rozmawiamy-o-przyszlosci/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("We talk about the future of Lublin")
    assert_no_axe_violations(page)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="The process").click()
    expect(page.locator("ol.timeline > li")).to_have_count(9)
    expect(page.locator("main")).to_contain_text("current stage")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Polski").click()
    expect(page).to_have_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "pl"


def test_signup_form_errors_are_announced_and_linked(page, live_server, reference_data):
    page.goto(live_server.url + "/konto/signup/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("Załóż konto")).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert_no_axe_violations(page)


def test_the_open_data_link_opens_a_working_page_and_the_api_documentation_renders(page, live_server, reference_data):
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Otwarte dane (API)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Otwarte dane")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Interaktywna dokumentacja")).click()
    expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI ran: its scripts were allowed
    assert page.locator("html").get_attribute("lang") == "en"
    assert blocked == []
