"""From the editorial team to a resident reading the consultation draft on a phone, in a real browser,
with axe-core on every page.

A coordinator forms the editorial team; a member drafts a chapter, a block and a goal citing an included
recommendation, sees the history of her change, meets a conflict when a colleague saved first; the
version goes to internal review and a department's staff member comments on the block; the team answers;
the checklist is completed and the coordinator publishes the consultation draft; a resident reads it at
/strategia/ on a phone, follows a permalink to the paragraph and downloads the PDF; the recommendation's
page says where it landed.
"""

import re

import pytest
from playwright.sync_api import expect

from recommendations.models import RecommendationStatus
from strategy import services
from strategy.models import Block, ChecklistItem, ItemStatus
from tests.accounts.factories import UserFactory, coordinator
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_recommendations_journey import log_in, log_out, visit
from tests.recommendations.factories import RecommendationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def test_from_the_editorial_team_to_a_resident_reading_the_draft(page, live_server, reference_data):
    base = live_server.url
    city = coordinator(email="koordynatorka@example.org", display_name="Katarzyna")
    zofia = UserFactory(email="zofia@example.org", display_name="Zofia")
    colleague = UserFactory(email="kolega@example.org", display_name="Kolega")
    jan = UserFactory(email="jan@example.org", display_name="Jan z Wydziału Kultury")
    recommendation = RecommendationFactory(
        status=RecommendationStatus.INCLUDED, title="Transport publiczny pierwszym wyborem"
    )

    # 1. The coordinator forms the editorial team and adds a department's reviewer.
    log_in(page, base, city.email)
    visit(page, base + "/panel/")
    page.get_by_role("link", name="Strategia: przestrzeń robocza zespołu redakcyjnego").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Zespół redakcyjny").click()
    assert_no_axe_violations(page)
    for person, role, department in (
        (zofia, "Zespół redakcyjny: pracownik Urzędu", ""),
        (colleague, "Zespół redakcyjny: ekspert zewnętrzny", "UMCS"),
        (jan, "Wydział Urzędu: konsultacje wewnętrzne", "Wydział Kultury"),
    ):
        page.get_by_label("Adres e-mail konta tej osoby").fill(person.email)
        page.get_by_label("Rola").select_option(label=role)
        page.get_by_label("Wydział lub instytucja").fill(department)
        page.get_by_role("button", name="Nadaj", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(person.display_name)
    expect(page.locator("table")).to_contain_text("Jan z Wydziału Kultury")
    assert_no_axe_violations(page)
    log_out(page)

    # 2. A member starts the first version and drafts a chapter with a block.
    log_in(page, base, zofia.email)
    visit(page, base + "/panel/strategia/")
    page.get_by_label("Czym jest ta wersja").fill("Pierwszy projekt")
    page.get_by_role("button", name="Utwórz wersję").click()
    expect(page.locator(".messages")).to_contain_text("Wersja 1 jest nową wersją roboczą.")
    assert_no_axe_violations(page)
    page.get_by_label("Tytuł rozdziału").fill("Wnioski z diagnozy")
    page.get_by_label("Element strategii (art. 10e u.s.g.)").select_option(label="Wnioski z diagnozy")
    page.get_by_role("button", name="Dodaj rozdział").click()
    page.get_by_role("link", name=re.compile("^Dodaj blok do wstępu")).click()
    assert_no_axe_violations(page)
    page.get_by_label("Tekst bloku").fill(
        "Mieszkańcy wskazują na **korki** na głównych ulicach.\n\n•\tbuspasy\n•\tczęstsze kursy wieczorem"
    )
    page.get_by_role("button", name="Dodaj blok").click()
    block = Block.objects.get()
    expect(page.locator(f"#b-{block.key}")).to_contain_text("buspasy")
    expect(page.locator(f"#b-{block.key} strong")).to_have_text("korki")
    assert_no_axe_violations(page)

    # 3. A strategic goal citing the included recommendation.
    page.get_by_role("link", name="Cele i wskaźniki").click()
    page.get_by_label("Cel strategiczny").fill("Lublin miastem dostępnym")
    page.get_by_label("Wymiar").select_option(label="Przestrzenny")
    page.get_by_role("button", name="Dodaj cel").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("^Edytuj, cytuj rekomendacje")).click()
    page.get_by_label("Rekomendacja włączona do strategii").select_option(
        label=f"{recommendation.group.area.name_pl}: {recommendation.title}"
    )
    page.get_by_role("button", name="Zacytuj rekomendację").click()
    expect(page.locator(".messages")).to_contain_text("Rekomendacja jest cytowana.")
    assert_no_axe_violations(page)

    # 4. She edits her block and sees the difference in its history.
    visit(page, base + f"/panel/strategia/wersje/1/bloki/{block.key}/")
    page.get_by_label("Tekst bloku").fill("Mieszkańcy wskazują na **korki** na Alejach Racławickich.")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Zapisano (rewizja 2).")
    page.get_by_role("link", name="Historia tego bloku").click()
    expect(page.locator(".diff-list ins").first).to_contain_text("Alejach")
    assert_no_axe_violations(page)

    # 5. A colleague saves the block while she is editing it: her save meets a conflict, nothing is lost.
    visit(page, base + f"/panel/strategia/wersje/1/bloki/{block.key}/")
    services.block_update(
        actor=colleague, block=block, expected_revision=2, text="Mieszkańcy wskazują na korki w centrum."
    )
    page.get_by_label("Tekst bloku").fill("Mieszkańcy wskazują na korki na Alejach i na Zemborzyckiej.")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect(page.get_by_role("heading", name="Ktoś inny zapisał ten blok wcześniej")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kolega zapisał(a) nowszy tekst (rewizja 3)")
    expect(page.get_by_label("Tekst bloku")).to_have_value(
        "Mieszkańcy wskazują na korki na Alejach i na Zemborzyckiej."
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Zapisz mój tekst zamiast ich tekstu").click()
    expect(page.locator(".messages")).to_contain_text("Zapisano (rewizja 4).")

    # 6. Internal review.
    visit(page, base + "/panel/strategia/wersje/1/")
    page.get_by_role("button", name="Przekaż do oceny wewnętrznej").click()
    expect(page.locator(".messages")).to_contain_text("Wersja 1 jest teraz w ocenie wewnętrznej.")
    assert_no_axe_violations(page)
    log_out(page)

    # The public sees how far the draft is, never its text.
    for url in ("/strategia/", "/etapy/projekt-strategii/", "/etapy/ocena-formalna/"):
        visit(page, base + url)
        expect(page.locator("main")).not_to_contain_text("Zemborzyckiej")
    expect(page.locator(".strategy-progress")).to_contain_text("1 z 1 cytowanych w projekcie lub wyjaśnionych")

    # 7. A department's staff member comments on the block, in the staff-only thread.
    log_in(page, base, jan.email)
    visit(page, base + "/panel/strategia/wersje/1/")
    page.locator(f"#b-{block.key}").get_by_role("link", name=re.compile("^Otwórz")).click()
    page.get_by_label("Twój komentarz").fill("Proszę dodać dane o natężeniu ruchu z 2020 roku.")
    page.get_by_role("button", name="Dodaj komentarz").click()
    expect(page.locator("#internal-thread")).to_contain_text("natężeniu ruchu")
    assert_no_axe_violations(page)
    log_out(page)

    # 8. The team answers the comment.
    log_in(page, base, zofia.email)
    visit(page, base + "/panel/strategia/wersje/1/uwagi/")
    page.get_by_label("Uwzględniona").check()
    page.get_by_label("Wyjaśnienie lub powód").fill("Dodamy dane z pomiarów ZDiM.")
    page.get_by_role("button", name="Zapisz odpowiedź").click()
    expect(page.locator(".thread")).to_contain_text("Dodamy dane z pomiarów ZDiM.")
    assert_no_axe_violations(page)
    log_out(page)

    # 9. The coordinator completes the checklist and publishes the consultation draft.
    log_in(page, base, city.email)
    visit(page, base + "/panel/strategia/wersje/1/lista-kontrolna/")
    first = ChecklistItem.objects.order_by("position").first()
    item = page.locator(f"#item-{first.pk}")
    item.get_by_label("Status").select_option(label="Zrobione")
    item.get_by_label("Uwagi").fill("Uwagi wydziałów rozpatrzone.")
    item.get_by_role("button", name=re.compile("^Zapisz")).click()
    expect(page.locator(".messages")).to_contain_text("Zapisano „Konsultacje wewnętrzne w Urzędzie Miasta Lublin”.")
    for other in ChecklistItem.objects.exclude(pk=first.pk):
        services.checklist_item_update(
            actor=city,
            item=other,
            expected_revision=other.revision,
            data=services.ChecklistData(status=ItemStatus.DONE),
        )
    visit(page, base + "/panel/strategia/wersje/1/")
    page.get_by_role("button", name="Opublikuj jako projekt do konsultacji").click()
    expect(page.locator(".messages")).to_contain_text("Wersja 1 jest teraz publiczna jako projekt do konsultacji.")
    assert_no_axe_violations(page)
    log_out(page)

    # 10. A resident reads it on a phone, follows a permalink to the paragraph and downloads the PDF.
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, base + "/strategia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategia Rozwoju Lublina na lata 2021–2030")
    expect(page.locator(".strategy-header")).to_contain_text("Projekt do konsultacji")
    expect(page.locator(".indicator-table, #goals")).to_have_count(1)
    page.goto(base + f"/strategia/akapit/{block.key}/")
    expect(page).to_have_url(re.compile(f"/strategia/#b-{block.key}$"))
    expect(page.locator(f"#b-{block.key}")).to_be_in_viewport()
    expect(page.locator(f"#b-{block.key}")).to_contain_text("na Alejach i na Zemborzyckiej")
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz PDF").click()
    assert download.value.suggested_filename == "strategia-lublin-wersja-1.pdf"
    page.get_by_label("Szukaj w dokumencie").fill("Zemborzyckiej")
    page.get_by_role("button", name="Szukaj", exact=True).click()
    expect(page.locator(".search-results")).to_contain_text("1 akapit zawiera „Zemborzyckiej”")
    assert_no_axe_violations(page)

    # 11. The recommendation's page says where it landed.
    visit(page, base + recommendation.get_absolute_url())
    expect(page.locator(".strategy-landing")).to_contain_text("Ujęta w: cel 1")
    page.locator(".strategy-landing").get_by_role("link", name="cel 1").click()
    expect(page).to_have_url(re.compile(r"/strategia/wersje/1/#g-"))
    assert_no_axe_violations(page)

    # 12. The same document with the English interface.
    visit(page, base + "/en/strategia/")
    expect(page.get_by_role("heading", name="Contents")).to_be_visible()
    expect(page.locator(f"#b-{block.key}")).to_have_attribute("class", re.compile("block"))
