"""From residents' opinions to a verified recommendation, in a real browser, with axe-core on every page.

A member drafts a recommendation (a goal, a direction) and attaches two opinions found by search; the
leader submits it; a coordinator records the three verdicts; the public page shows it verified
"na podstawie 2 opinii", and the cited opinion leads back to it.
"""

import re

import pytest
from playwright.sync_api import expect

from participation.models import Area
from tests.accounts.factories import PASSWORD, UserFactory, coordinator
from tests.browser.axe import assert_no_axe_violations
from tests.participation.factories import OpinionFactory
from tests.workgroups.factories import WorkingGroupFactory, leader, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CYCLING = [
    "Potrzebujemy ciągłych ścieżek rowerowych wzdłuż Bystrzycy, dziś kończą się nagle przy ulicach.",
    "Rowerem do szkoły na Czubach jeździ się niebezpiecznie, brakuje ścieżek rowerowych i stojaków.",
]


def visit(page, url):
    page.goto(url)
    assert_no_axe_violations(page)


def log_in(page, base, email):
    visit(page, base + "/konto/login/")
    page.get_by_label(re.compile("e-mail", re.I)).first.fill(email)
    page.get_by_label(re.compile("Hasło", re.I)).first.fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def log_out(page):
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_load_state()


def test_member_drafts_leader_submits_city_verifies(page, live_server, open_window):
    base = live_server.url
    group = WorkingGroupFactory(area=Area.objects.get(slug="edukacja"))
    drafter = member(group, user=UserFactory(email="czlonkini@example.org", display_name="Zofia"))
    boss = leader(group, user=UserFactory(email="lider@example.org", display_name="Tomasz"))
    city = coordinator(email="weryfikatorka@example.org", display_name="Urzędniczka")
    cited = [OpinionFactory(published=True, area=group.area, text=text) for text in CYCLING]
    OpinionFactory(published=True, area=group.area, text="Więcej zajęć pozalekcyjnych z programowania.")
    open_window("drafting")

    # 1. A member opens the workspace and drafts the recommendation: one goal, one direction serving it.
    log_in(page, base, drafter.email)
    visit(page, base + "/grupy/edukacja/")
    page.get_by_role("link", name="Otwórz przestrzeń roboczą grupy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edukacja")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Rozpocznij nową rekomendację").click()
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="Tytuł", exact=True).fill("Bezpiecznie rowerem do szkoły")
    page.get_by_label("Wizja").fill("W 2030 roku połowa uczniów dojeżdża do szkoły rowerem lub pieszo.")
    page.get_by_label("Diagnoza").fill("Ścieżki rowerowe urywają się przy szkołach, brakuje stojaków.")
    goal = page.locator("fieldset.structure-row", has=page.locator("legend", has_text=re.compile("^Cel 1$")))
    goal.get_by_label("Cel", exact=True).fill("Ciągła sieć ścieżek rowerowych do każdej szkoły")
    direction = page.locator("fieldset.structure-row", has=page.locator("legend", has_text="Kierunek działań 1"))
    direction.get_by_label("Tytuł kierunku działań").fill("Szkolne trasy rowerowe")
    direction.get_by_label("Opis").fill("Domknąć ścieżki w promieniu 2 km od szkół podstawowych.")
    # The direction names the goal by what it says, as soon as it is typed, before anything is saved.
    direction.get_by_label("Ciągła sieć ścieżek rowerowych do każdej szkoły (cel 1)", exact=True).check()
    # One more goal row, without saving: what was typed comes back, the new row has the focus.
    page.get_by_role("button", name="Dodaj cel").click()
    expect(page.locator("fieldset.goal-row")).to_have_count(3)
    expect(page.locator("#id_goals-2-text")).to_be_focused()
    expect(page.locator(".error-summary")).to_have_count(0)
    assert_no_axe_violations(page)
    page.locator("#id_goals-2-text").fill("Stojaki rowerowe przy każdej szkole")
    direction = page.locator("fieldset.structure-row", has=page.locator("legend", has_text="Kierunek działań 1"))
    expect(
        direction.get_by_label("Ciągła sieć ścieżek rowerowych do każdej szkoły (cel 1)", exact=True)
    ).to_be_checked()
    expect(direction.get_by_label("Stojaki rowerowe przy każdej szkole (cel 3)", exact=True)).to_be_visible()
    page.get_by_role("button", name="Zapisz", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezpiecznie rowerem do szkoły")
    expect(page.locator("main")).to_contain_text("Wersja robocza")
    expect(page.locator(".direction-list")).to_contain_text("Szkolne trasy rowerowe")
    assert_no_axe_violations(page)

    # 2. Attach two opinions found by searching (htmx refreshes the results as the member types).
    page.get_by_role("link", name="Dołącz opinie jako podstawę").click()
    assert_no_axe_violations(page)
    page.get_by_label("Słowa w treści opinii").fill("rowerowych")
    expect(page.locator("#evidence-results")).to_contain_text("2 opinie ze słowami „rowerowych”")
    for opinion in cited:
        results = page.locator("#evidence-results")
        expect(results).to_contain_text(opinion.text)
        results.locator("li", has_text=opinion.text).get_by_role("button", name=re.compile("Dołącz")).click()
        page.wait_for_load_state()
        expect(page.locator(".attached-evidence")).to_contain_text(opinion.text)
    expect(page.get_by_role("heading", name="Dołączono: 2 opinie")).to_be_visible()
    assert_no_axe_violations(page)

    # 3. A plain member cannot submit; the leader can.
    visit(page, base + f"/rekomendacje/{_pk()}/")
    expect(page.get_by_role("link", name="Złóż rekomendację…")).to_have_count(0)
    expect(page.locator(".submit-box")).to_contain_text("Tylko lider lub liderka grupy, Tomasz")
    log_out(page)
    log_in(page, base, boss.email)
    visit(page, base + f"/rekomendacje/{_pk()}/")
    expect(page.locator(".recommendation-meta")).to_contain_text("na podstawie 2 opinii")
    page.get_by_role("link", name="Złóż rekomendację…").click()
    expect(page.locator("main")).to_contain_text("Złożenia nie można cofnąć")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Tak, złóż ją w urzędzie miasta").click()
    expect(page.locator(".recommendation-meta")).to_contain_text("Złożona")
    assert_no_axe_violations(page)
    log_out(page)

    # 4. Verification: a coordinator records legality, feasibility and financing.
    open_window("verification")
    log_in(page, base, city.email)
    visit(page, base + "/panel/weryfikacja/")
    page.get_by_role("link", name="Bezpiecznie rowerem do szkoły").click()
    assert_no_axe_violations(page)
    for kind, label, verdict in (
        ("legality", "legalność", "Pozytywna"),
        ("feasibility", "wykonalność", "Warunkowa"),
        ("financing", "finansowanie", "Pozytywna"),
    ):
        form = page.locator("form", has=page.locator(f"input[name=action][value={kind}]"))
        form.get_by_label("Ocena końcowa").select_option(label=verdict)
        form.get_by_label("Uzasadnienie").fill(f"Uzasadnienie oceny: {label}.")
        form.get_by_role("button", name=f"Zapisz ocenę: {label}").click()
        expect(page.locator(".messages")).to_contain_text(f"Zapisano ocenę: {label}.")
    assert_no_axe_violations(page)
    log_out(page)

    # 5. The public page: verified, based on two opinions, with the three verdicts.
    visit(page, base + "/rekomendacje/")
    item = page.locator(".recommendation-list li", has_text="Bezpiecznie rowerem do szkoły")
    expect(item).to_contain_text("Zweryfikowana")
    expect(item).to_contain_text("na podstawie 2 opinii")
    item.get_by_role("link", name="Bezpiecznie rowerem do szkoły").click()
    expect(page.locator(".recommendation-meta")).to_contain_text("Zweryfikowana")
    expect(page.locator(".recommendation-meta")).to_contain_text("na podstawie 2 opinii")
    table = page.locator(".assessment-list")
    expect(table).to_contain_text("Uzasadnienie oceny: legalność.")
    expect(table).to_contain_text("Warunkowa")
    assert_no_axe_violations(page)

    # 6. The cited opinion leads back to the recommendation.
    page.locator(".evidence-list li", has_text=cited[0].text).get_by_role(
        "link", name=re.compile("dokąd trafiła ta opinia")
    ).click()
    expect(page.get_by_role("heading", name="Gdzie trafiła moja opinia?")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator(".opinion-trace").get_by_role("link", name="Bezpiecznie rowerem do szkoły").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezpiecznie rowerem do szkoły")
    opinion_page = base + f"/opinie/{cited[1].pk}/"
    page.goto(opinion_page)
    if page.locator(".opinion-trace").count():  # the participation page has the trace wired in
        assert_no_axe_violations(page)
        expect(page.locator(".opinion-trace")).to_contain_text("Bezpiecznie rowerem do szkoły")


def _pk() -> int:
    from recommendations.models import Recommendation

    return Recommendation.objects.get(title="Bezpiecznie rowerem do szkoły").pk
