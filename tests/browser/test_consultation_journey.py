"""The formal consultation from the announcement to each commenter reading the city's answer, in a real browser,
with axe-core on every page; the resident's part on a phone-sized screen.

A coordinator prepares the consultation of the published draft with its announcement, announces it and adds
a meeting; a resident on a phone comments on a paragraph (one tap under it, no text selection); an NGO
comments on the whole document; staff import twenty paper comments; a moderator publishes the online ones;
the team answers them all, one on its page and the rest in bulk; the deadline passes; the coordinator
generates and publishes the report (its PDF made by the reports pipeline) and the commenters are e-mailed;
the resident follows her link on the phone and finds the answer to her comment.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consultation.models import Comment, Consultation
from participation.models import ModerationStatus
from reports.models import Report, ReportStatus
from strategy.models import VersionState
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.browser import session
from tests.browser.axe import assert_no_axe_violations
from tests.strategy.factories import editor, make_block, make_chapter, make_section, make_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def visit(page, url):
    page.goto(url)
    assert_no_axe_violations(page)


def field(page, label):
    """The form field with exactly this label (a required field's label ends with an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def log_in(page, base, email):
    page.context.clear_cookies()
    session.log_in(page, base, email)


def paper_csv(path, day) -> str:
    rows = ["uwaga;uzasadnienie;fragment;kanał;data wpływu;zgłaszający;identyfikator"]
    rows += [
        f"Uwaga z formularza papierowego nr {n}: więcej ławek i drzew w tej części miasta.;Seniorzy potrzebują "
        f"odpoczynku.;1.1–{n % 2 + 1};formularz papierowy;{day:%d.%m.%Y};Mieszkaniec {n};P-{n:02d}"
        for n in range(1, 21)
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1250"))
    return str(path)


def test_from_the_announcement_to_each_commenter_reading_the_answer(page, live_server, open_window, tmp_path):
    base = live_server.url
    open_window("consultation")  # stage VII is the current stage of the calendar
    version = make_version(VersionState.CONSULTATION_DRAFT)
    chapter = make_chapter(version, "Wnioski z diagnozy")
    make_block(chapter, "Lublin jest największym miastem po wschodniej stronie Wisły.")
    section = make_section(chapter, "Zieleń i przestrzeń publiczna")
    paragraph = make_block(chapter, "W dzielnicach brakuje miejsc do odpoczynku w cieniu drzew.", section=section)
    make_block(chapter, "Parki nad Bystrzycą łączy coraz więcej ścieżek rowerowych.", section=section)
    city = coordinator(email="koordynatorka@example.org", display_name="Katarzyna")
    team = editor(email="redakcja@example.org", display_name="Zofia z zespołu")
    staff = moderator(email="moderator@example.org", display_name="Marek")
    anna = UserFactory(email="anna@example.org", display_name="Anna")
    ngo = UserFactory(email="fundacja@example.org", display_name="Fundacja")
    page.set_viewport_size(DESKTOP)

    # 1. The coordinator prepares the consultation with its announcement, announces it, adds a meeting.
    log_in(page, base, city.email)
    visit(page, base + "/panel/konsultacje/")
    page.get_by_role("link", name="Przygotuj konsultacje wersji 1").click()
    assert_no_axe_violations(page)
    field(page, "Ostatni dzień na zgłaszanie uwag").fill(
        f"{timezone.localdate() + datetime.timedelta(days=34):%Y-%m-%d}"
    )
    field(page, "Ogłoszenie").fill("Zapraszamy do zgłaszania uwag do projektu strategii.")
    field(page, "Kto może zgłaszać uwagi").fill("Mieszkańcy, organizacje pozarządowe, gminy sąsiednie.")
    field(page, "Osoba do kontaktu").fill("Katarzyna Nowak")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator(".error-summary")).to_contain_text("co najmniej 35 dni")  # 34 days: refused, named
    assert_no_axe_violations(page)
    field(page, "Ostatni dzień na zgłaszanie uwag").fill(
        f"{timezone.localdate() + datetime.timedelta(days=40):%Y-%m-%d}"
    )
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator(".messages")).to_contain_text("Konsultacje są przygotowane")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ogłoś konsultacje").click()
    expect(page.locator(".messages")).to_contain_text("ogłoszone na portalu")
    consultation = Consultation.objects.get()
    page.get_by_role("link", name="Spotkania", exact=True).click()
    field(page, "Tytuł").fill("Debata o projekcie strategii")
    field(page, "Miejsce").fill("Ratusz, Sala Obrad")
    field(page, "Początek").fill(f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}T17:00")
    page.get_by_role("button", name="Dodaj spotkanie").click()
    expect(page.locator("table")).to_contain_text("Debata o projekcie strategii")
    assert_no_axe_violations(page)
    visit(page, base + "/")  # the home page links to the open consultation
    page.get_by_role("link", name="Zgłoś uwagi do projektu strategii").first.click()
    expect(page).to_have_url(re.compile(f"/konsultacje/{consultation.pk}/$"))

    # 2. A resident on a phone comments on a paragraph: one tap on the link under it.
    page.set_viewport_size(PHONE)
    log_in(page, base, anna.email)
    visit(page, base + consultation.get_absolute_url())
    expect(page.locator(".announcement")).to_contain_text("Debata o projekcie strategii")
    page.locator(f"#b-{paragraph.key}").get_by_role("link", name=re.compile("Zgłoś uwagę do tego fragmentu")).click()
    assert_no_axe_violations(page)
    expect(page.locator(".quoted-fragment")).to_contain_text("miejsc do odpoczynku")
    field(page, "Twoja uwaga").fill("Proszę dopisać ławki i poidełka przy każdym nowym skwerze.")
    field(page, "Uzasadnienie").fill("Latem seniorzy nie mają gdzie odpocząć.")
    page.get_by_role("button", name="Wyślij uwagę").click()
    expect(page.locator(".messages")).to_contain_text("uwagę nr 1")
    assert_no_axe_violations(page)
    anna_comment = Comment.objects.get(author=anna)
    assert anna_comment.block_key == paragraph.key

    # 3. An NGO comments on the whole document, on a computer.
    page.set_viewport_size(DESKTOP)
    log_in(page, base, ngo.email)
    visit(page, base + consultation.get_absolute_url())
    page.get_by_role("link", name="Zgłoś uwagę do całego dokumentu").click()
    field(page, "Twoja uwaga").fill("Strategia powinna wyznaczyć budżet obywatelski dla organizacji.")
    field(page, "Uzasadnienie").fill("Organizacje znają potrzeby dzielnic.")
    page.get_by_label("W imieniu organizacji lub instytucji").check()
    page.get_by_role("button", name="Wyślij uwagę").click()
    expect(page.locator(".error-summary")).to_contain_text("Podaj nazwę organizacji")
    assert_no_axe_violations(page)
    field(page, "Nazwa podana w sprawozdaniu").fill("Fundacja Wspólnota Czechowa")
    page.get_by_role("button", name="Wyślij uwagę").click()
    expect(page.locator(".messages")).to_contain_text("uwagę nr 2")

    # 4. Staff import twenty paper comments; then a moderator publishes the two online ones.
    log_in(page, base, staff.email)
    visit(page, base + f"/panel/konsultacje/{consultation.pk}/import/")
    page.locator("input[type=file]").set_input_files(paper_csv(tmp_path / "uwagi.csv", timezone.localdate()))
    page.get_by_role("button", name="Sprawdź plik").click()
    expect(page.locator("main")).to_contain_text("zostanie utworzonych 20 uwag")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Zaimportuj 20 uwag").click()
    expect(page.locator(".messages")).to_contain_text("Zaimportowane uwagi: 20")
    assert_no_axe_violations(page)
    visit(page, base + f"/panel/konsultacje/{consultation.pk}/moderacja/")
    for box in page.locator("input[name=comments]").all():
        box.check()
    field(page, "Decyzja").select_option(label="Opublikuj")
    page.get_by_role("button", name="Zastosuj").click()
    expect(page.locator(".messages")).to_contain_text("Opublikowano 2 uwagi")
    assert not Comment.objects.filter(status=ModerationStatus.PENDING).exists()

    # 5. The team answers: Anna's comment on its page, the other 21 in bulk from the list.
    log_in(page, base, team.email)
    visit(page, base + f"/panel/konsultacje/{consultation.pk}/uwagi/{anna_comment.number}/")
    expect(page.locator("main")).to_contain_text("Prawdopodobne duplikaty")
    page.get_by_role("radio", name="Uwzględniona", exact=True).check()
    field(page, "Uzasadnienie").fill("Dopisaliśmy ławki i poidełka do opisu kierunku działań o zieleni.")
    page.get_by_role("button", name=re.compile("Zapisz odpowiedź")).click()
    expect(page.locator(".messages")).to_contain_text("Zapisano odpowiedź na uwagę nr 1")
    assert_no_axe_violations(page)
    visit(page, base + f"/panel/konsultacje/{consultation.pk}/uwagi/?status=unanswered")
    page.get_by_role("button", name="Zaznacz wszystkie na tej stronie").click()
    field(page, "Działanie").select_option(label="Odpowiedź")
    field(page, "Stanowisko miasta").select_option(label="Uwzględniona częściowo")
    field(page, "Uzasadnienie").fill("Ławki i drzewa znajdą się w programie zieleni, który wynika ze strategii.")
    page.get_by_role("button", name="Zastosuj").click()
    expect(page.locator(".messages")).to_contain_text("Odpowiedziano na 21 uwag")
    assert not Comment.objects.filter(consultation=consultation).unanswered().exists()

    # 6. The deadline passes; the coordinator generates and publishes the report.
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=45),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    log_in(page, base, city.email)
    visit(page, base + f"/panel/konsultacje/{consultation.pk}/")
    expect(page.locator("main")).to_contain_text("zostało 29 dni")
    page.get_by_role("link", name="Sprawozdanie", exact=True).click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Przygotuj sprawozdanie").click()
    expect(page.locator(".messages")).to_contain_text("Sprawozdanie zostało przygotowane")
    report = Report.objects.get(subject_id=consultation.pk)
    assert report.status == ReportStatus.DONE, report.error_detail
    page.get_by_role("button", name="Opublikuj sprawozdanie i wyślij e-maile zgłaszającym").click()
    expect(page.locator(".messages")).to_contain_text("Sprawozdanie zostało opublikowane")
    assert sorted(message.to[0] for message in mail.outbox) == [anna.email, ngo.email]

    # 7. Anna follows her e-mail's link on the phone and finds the answer; the report is public.
    letter = next(message for message in mail.outbox if message.to == [anna.email])
    link = re.search(r"https?://[^/\s]+(/konsultacje/\d+/uwagi/\d+/)", letter.body)
    page.set_viewport_size(PHONE)
    log_in(page, base, anna.email)
    visit(page, base + link.group(1))
    expect(page.locator(".answer-box")).to_contain_text("Uwzględniona")
    expect(page.locator(".answer-box")).to_contain_text("Dopisaliśmy ławki i poidełka")
    visit(page, base + "/konsultacje/moje-uwagi/")
    expect(page.locator("table")).to_contain_text("Uwzględniona")
    page.context.clear_cookies()
    visit(page, base + f"/konsultacje/{consultation.pk}/sprawozdanie/")
    expect(page.locator("main")).to_contain_text("Fundacja Wspólnota Czechowa")
    expect(page.get_by_role("link", name="Pobierz PDF")).to_be_visible()
