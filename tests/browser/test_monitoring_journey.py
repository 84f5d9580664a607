"""From the council's resolution to a resident following her opinion to the action, in a real browser, with
axe-core on every page.

The coordinator records the voivodeship board's opinion, the mayor's submission, the session and the
resolution; /strategia/ shows the adopted strategy and what changed since the consultation, with the
comment that caused it; staff import three years of indicator values; a resident opens her old opinion,
follows it to the goal, the indicator and the action that came from it, asks to be told when it moves on,
and reads her district's coverage.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation.models import Answer, ChangeCitation
from implementation.models import ActionStatus, Measurement
from recommendations.models import RecommendationStatus
from strategy import markup
from strategy.models import Block, VersionState
from strategy.services.versions import _copy_contents
from tests.accounts.factories import UserFactory, coordinator
from tests.browser.axe import assert_no_axe_violations
from tests.browser.session import log_in
from tests.consultation.factories import closed_consultation, draft, make_comment
from tests.implementation.factories import Strategy, make_action
from tests.participation.factories import DistrictFactory, OpinionFactory
from tests.recommendations.factories import RecommendationFactory
from tests.recommendations.factories import cite as evidence
from tests.strategy.adoption_factories import PDF_BYTES
from tests.strategy.factories import (
    cite,
    make_direction,
    make_goal,
    make_indicator,
    make_version,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def check(page):
    page.wait_for_load_state()
    assert_no_axe_violations(page)


def the_final_draft(resident, district):
    """Version 1 consulted; version 2, the final draft, changed one paragraph because of a comment, and its goal
    draws on a recommendation based on the resident's opinion."""
    parts = draft(blocks=1)
    consulted, old_block = parts["version"], parts["blocks"][0]
    consultation = closed_consultation(consulted)
    comment = make_comment(consultation, block=old_block, text="Dopiszcie buspasy na Czechowie.", answer=Answer.TAKEN)
    final = make_version(VersionState.AFTER_CONSULTATION, based_on=consulted)
    _copy_contents(consulted, final)  # every element keeps its key, as "start the next version" does
    text = "Akapit 1 o mieszkańcach Lublina i buspasach."
    rendered = markup.render(text)
    Block.objects.filter(version=final, key=old_block.key).update(text=text, html=rendered.html, plain=rendered.plain)
    ChangeCitation.objects.create(comment=comment, version=final, block_key=old_block.key)
    opinion = OpinionFactory(
        published=True, author=resident, district=district, text="Autobusy stoją w korkach na Al. Racławickich."
    )
    recommendation = RecommendationFactory(
        status=RecommendationStatus.INCLUDED, title="Transport publiczny pierwszym wyborem"
    )
    evidence(recommendation, opinion)
    goal = make_goal(final, "Lublin miastem dostępnym i dobrze skomunikowanym")
    direction = make_direction(goal, "Transport publiczny pierwszym wyborem")
    cite(goal, recommendation)
    indicator = make_indicator(direction=direction, name="Długość wydzielonych buspasów", unit="km")
    return final, direction, indicator, opinion


def test_from_the_resolution_to_a_resident_following_her_opinion(page, live_server, reference_data, tmp_path):
    base = live_server.url
    city = coordinator(email="koordynatorka@example.org", display_name="Katarzyna")
    resident = UserFactory(email="anna@example.org", display_name="Anna")
    district = DistrictFactory(slug="czechow-poludniowy", name="Czechów Południowy")
    final, direction, indicator, opinion = the_final_draft(resident, district)
    document = tmp_path / "opinia.pdf"
    document.write_bytes(PDF_BYTES)
    today = timezone.localdate()

    def day(days_ago: int) -> str:
        return (today - datetime.timedelta(days=days_ago)).isoformat()

    # 1. The coordinator records the adoption steps and the resolution on the final draft.
    log_in(page, base, city.email)
    page.goto(f"{base}/panel/strategia/wersje/{final.number}/")
    page.get_by_role("link", name="Uchwalenie", exact=True).click()
    check(page)
    steps = [
        ("board_opinion", 10, "Uchwała nr 2345 Zarządu Województwa Lubelskiego"),
        ("mayor_submission", 6, "Druk nr 1234-1"),
        ("council_session", 2, "XLII sesja Rady Miasta Lublin"),
    ]
    for kind, days_ago, reference in steps:
        step = page.locator(f"#step-{kind}")
        step.locator("summary").click()
        step.locator(f"#id_{kind}-happened_on").fill(day(days_ago))
        step.locator(f"#id_{kind}-reference").fill(reference)
        if kind == "board_opinion":
            step.locator(f"#id_{kind}-requested_on").fill(day(25))
            step.locator(f"#id_{kind}-upload").set_input_files(str(document))
        step.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("Zapisano krok")
        check(page)
    year = (today - datetime.timedelta(days=2)).year
    page.get_by_label("Numer uchwały").fill(f"Nr XLII/1234/{year}")
    page.get_by_label("Data uchwały").fill(day(2))
    page.get_by_label("Adres w Biuletynie Informacji Publicznej (BIP)").fill("https://bip.lublin.eu/uchwala-1234")
    page.get_by_label("Podpisana uchwała (PDF)").set_input_files(str(document))
    page.get_by_role("button", name="Zapisz uchwałę").click()
    expect(page.locator(".messages")).to_contain_text(f"Zapisano uchwałę Nr XLII/1234/{year}")
    check(page)

    # 2. /strategia/ shows the adopted strategy and what changed since the consultation, and why.
    page.goto(f"{base}/strategia/")
    expect(page.get_by_role("heading", name="Uchwalona przez Radę Miasta")).to_be_visible()
    expect(page.locator(".adoption-status")).to_contain_text(f"Nr XLII/1234/{year}")
    check(page)
    page.get_by_role("link", name=re.compile("Co się zmieniło od projektu do konsultacji")).click()
    expect(page.locator(".diff-list ins").first).to_contain_text("buspasach")
    expect(page.locator(".change-reasons")).to_contain_text("Dopiszcie buspasy na Czechowie.")
    check(page)

    # 3. Staff import three years of the indicator's values; an action serves its direction.
    make_action(
        Strategy(version=final),
        direction,
        title="Buspas na Al. Racławickich",
        district=district,
        status=ActionStatus.IN_PROGRESS,
    )
    page.goto(f"{base}/panel/realizacja/")
    check(page)
    page.get_by_role("link", name="Import wartości wskaźników (CSV, XLSX)").click()
    check(page)
    rows = ["wskaźnik;data;wartość;źródło"] + [
        f"{indicator.key};31.12.{year_};{value};Zarząd Dróg i Mostów"
        for year_, value in ((2021, "18,5"), (2022, "24"), (2023, "31,25"))
    ]
    csv = tmp_path / "buspasy.csv"
    csv.write_bytes("\n".join(rows).encode("cp1250"))
    page.get_by_label("Plik CSV lub XLSX").set_input_files(str(csv))
    page.get_by_role("button", name="Sprawdź plik").click()
    expect(page.locator("main table").first).to_contain_text("31,25")
    check(page)
    page.get_by_role("button", name="Importuj 3 wartości").click()
    expect(page.locator(".messages")).to_contain_text("Zaimportowane wartości: 3")
    assert Measurement.objects.count() == 3
    page.get_by_role("button", name="Wyloguj").click()

    # 4. The resident opens her old opinion and follows it to the goal, the indicator and the action.
    log_in(page, base, resident.email)
    page.goto(f"{base}/moje-opinie/")
    check(page)
    page.get_by_role("link", name=f"Opinia nr {opinion.pk}").click()
    check(page)
    page.get_by_role("link", name=re.compile("Zobacz dalszą drogę")).click()
    expect(page.get_by_role("heading", name="Gdzie trafiła moja opinia?", level=1)).to_be_visible()
    chain = page.locator(".chain-steps")
    expect(chain).to_contain_text("Lublin miastem dostępnym i dobrze skomunikowanym")
    expect(chain).to_contain_text(f"Nr XLII/1234/{year}")
    expect(chain).to_contain_text("Długość wydzielonych buspasów")
    expect(chain).to_contain_text("Buspas na Al. Racławickich")
    check(page)
    page.get_by_role("button", name="Obserwuj", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Obserwujesz tę opinię")
    check(page)
    page.locator(".chain-steps").get_by_role("link", name="Długość wydzielonych buspasów").click()
    expect(page.locator("main table").last).to_contain_text("31,25")
    check(page)
    page.go_back()
    page.locator(".chain-steps").get_by_role("link", name="Buspas na Al. Racławickich").click()
    expect(page.get_by_role("heading", name="Buspas na Al. Racławickich")).to_be_visible()
    check(page)

    # 5. The monitoring of her district, and her district's coverage.
    page.goto(f"{base}/strategia/realizacja/")
    page.get_by_label("Dzielnica").select_option(label="Czechów Południowy")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.locator("main")).to_contain_text("Buspas na Al. Racławickich")
    check(page)
    page.get_by_role("link", name=re.compile("Czy opinie mieszkańców trafiły do strategii")).click()
    expect(page.locator("#by-district-czechow-poludniowy")).to_contain_text("100,0")
    check(page)


# Every page of stages VIII–IX on a 320 px phone ------------------------------------------------------------


# (role, address) of every page of ours; the walk-through of tests/browser/test_small_screens.py lists them
# as walked here.
def phone_pages(final, indicator, opinion, action, programme):
    return [
        (None, "/strategia/"),
        (None, f"/strategia/zmiany/{final.number}/"),
        (None, "/strategia/realizacja/"),
        (None, f"/strategia/realizacja/dzialania/{action.pk}/"),
        (None, f"/strategia/realizacja/programy/{programme.pk}/"),
        (None, f"/strategia/realizacja/wskazniki/{indicator.key}/"),
        (None, f"/strategia/podstawy/wskaznik/{indicator.key}/"),
        (None, "/strategia/pokrycie/"),
        (None, f"/opinie/{opinion.pk}/droga/"),
        ("resident", f"/opinie/{opinion.pk}/droga/"),
        ("resident", "/konto/obserwowane/"),
        ("coordinator", f"/panel/strategia/wersje/{final.number}/uchwalenie/"),
        ("coordinator", "/panel/realizacja/"),
        ("coordinator", "/panel/realizacja/dzialania/nowe/"),
        ("coordinator", f"/panel/realizacja/programy/{programme.pk}/"),
        ("coordinator", f"/panel/realizacja/wskazniki/{indicator.key}/"),
        ("coordinator", "/panel/realizacja/import/"),
        ("coordinator", "/panel/pokrycie/"),
    ]


def test_every_page_of_the_adoption_and_the_monitoring_on_a_phone(page, live_server, reference_data):
    from tests.browser.test_small_screens import PHONE, check_phone_page
    from tests.implementation.factories import make_sector_strategy, measure

    base = live_server.url
    people = {
        "resident": UserFactory(email="anna@example.org", display_name="Anna"),
        "coordinator": coordinator(email="koordynatorka@example.org"),
    }
    district = DistrictFactory(slug="czechow-poludniowy", name="Czechów Południowy")
    final, direction, indicator, opinion = the_final_draft(people["resident"], district)
    for year in (2021, 2022, 2023):
        measure(indicator, year, 20 + year - 2020)
    strategy = Strategy(version=final)
    programme = make_sector_strategy(strategy, name="Strategia mobilności i transportu publicznego Lublina 2022–2030")
    programme.elements.create(kind="direction", key=direction.key)
    action = make_action(
        strategy,
        direction,
        title="Buspas na Al. Racławickich i ul. Krochmalnej z nowymi przystankami",
        district=district,
        sector_strategy=programme,
    )
    page.set_viewport_size(PHONE)
    problems, current = [], "nobody"
    for role, url in phone_pages(final, indicator, opinion, action, programme):
        if role != current:
            page.context.clear_cookies()
            if role:
                log_in(page, base, people[role].email)
            current = role
        response = page.goto(base + url)
        assert response.status == 200, f"{url} as {role or 'anonymous'}: {response.status}"
        check_phone_page(page, url, problems)
    assert problems == [], "\n".join(problems)
