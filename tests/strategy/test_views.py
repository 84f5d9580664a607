"""Pages of the strategy: the public reading view and its caching, versions and differences,
permalinks, attachments, the stage pages and a recommendation's landing, and the workspace."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from strategy import services
from strategy.models import Block, VersionState
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.strategy.factories import (
    checklist_item,
    cite,
    editor,
    included,
    make_block,
    make_chapter,
    make_direction,
    make_goal,
    make_indicator,
    make_section,
    make_version,
    reviewer,
)
from tests.strategy.test_services import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def public_document(blocks_per_section=2, sections=2, chapters=2, state=VersionState.CONSULTATION_DRAFT):
    version = make_version(state)
    first_block = None
    for c in range(1, chapters + 1):
        chapter = make_chapter(version, f"Rozdział numer {c}")
        make_block(chapter, f"Wstęp do rozdziału {c}.")
        for s in range(1, sections + 1):
            section = make_section(chapter, f"Sekcja {c}.{s}")
            for b in range(1, blocks_per_section + 1):
                block = make_block(chapter, f"Akapit {c}.{s}.{b} o **zieleni** miejskiej.", section=section)
                first_block = first_block or block
    goal = make_goal(version)
    direction = make_direction(goal)
    make_indicator(goal=goal, baseline_value="12.5")
    make_indicator(direction=direction, name="Drzewa posadzone")
    return version, first_block


# The public reading view ------------------------------------------------------------------------


def test_nothing_public_yet_shows_progress_without_text(reference_data, client):
    version = make_version()
    chapter = make_chapter(version, "Wnioski z diagnozy")
    make_block(chapter, "Tajny tekst roboczy o budżecie.")
    response = client.get("/strategia/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tajny tekst roboczy" not in html
    assert "Wnioski z diagnozy" not in html  # not even chapter titles
    assert "1 blok tekstu" in html or "1 text block" in html


def test_the_public_version_with_contents_permalinks_and_indicator_tables(reference_data, client):
    version, block = public_document()
    html = client.get("/strategia/").content.decode()
    assert f'id="b-{block.key}"' in html
    assert f'href="/strategia/akapit/{block.key}/"' in html
    assert "<strong>zieleni</strong>" in html
    assert 'href="#c-' in html  # the table of contents
    assert "<caption" in html
    assert "Powierzchnia terenów zieleni" in html
    assert "12,5" in html
    assert "1 400" in html.replace("\xa0", " ")
    assert 'lang="pl"' in html


def test_the_english_page_is_english_around_the_polish_text(reference_data, client):
    public_document()
    html = client.get("/en/strategia/").content.decode()
    assert '<html lang="en">' in html
    assert "Contents" in html
    assert "Akapit 1.1.1" in html
    assert client.get("/en/strategy/").status_code == 301


@pytest.mark.parametrize("size", [1, 5])
def test_the_public_page_reads_a_constant_number_of_queries(reference_data, client, django_assert_num_queries, size):
    public_document(blocks_per_section=size, sections=size, chapters=size)
    with django_assert_num_queries(12):  # strategy, version, versions, PDF, then the document once (8)
        assert client.get("/strategia/").status_code == 200
    with django_assert_num_queries(0):  # the whole page, kept for every visitor (lublin2030.page_cache)
        assert client.get("/strategia/").status_code == 200
    with django_assert_num_queries(4):  # another address: the document, cached per version and language, costs nothing
        assert client.get("/strategia/?q=").status_code == 200


def test_search_within_the_document(reference_data, client):
    public_document()
    html = client.get("/strategia/?q=akapit+2.1.2").content.decode()
    assert "1 akapit zawiera" in html or "1 paragraph contains" in html
    assert "Akapit 2.1.2 o zieleni miejskiej." in html
    assert client.get("/strategia/?q=" + "x" * 300).status_code == 200


def test_a_version_that_is_not_public_does_not_exist_for_the_public(reference_data, client):
    make_version(VersionState.CONSULTATION_DRAFT)
    make_version(VersionState.WORKING)
    assert client.get("/strategia/wersje/1/").status_code == 200
    assert client.get("/strategia/wersje/2/").status_code == 404


def test_versions_and_the_differences_between_them(reference_data, client):
    old, block = public_document(chapters=1, sections=1, blocks_per_section=2)
    new = services.version_create(actor=editor(), strategy=old.strategy, based_on=old)
    copied = Block.objects.get(version=new, key=block.key)
    services.block_update(actor=editor(), block=copied, expected_revision=1, text="Akapit o **drzewach** miejskich.")
    new.state = VersionState.AFTER_CONSULTATION
    new.save()
    assert client.get("/strategia/wersje/").status_code == 200
    html = client.get("/strategia/roznice/?od=1&do=2").content.decode()
    assert "<del>" in html
    assert "<ins>" in html
    assert "drzewach" in html
    assert f'href="/strategia/wersje/2/#b-{block.key}"' in html
    assert "1 zmiana" in html or "1 change" in html
    assert client.get("/strategia/roznice/?od=1&do=9").status_code == 400


def test_a_permalink_opens_the_paragraph_in_the_newest_public_version(reference_data, client):
    old, block = public_document(chapters=1, sections=1, blocks_per_section=1)
    response = client.get(f"/strategia/akapit/{block.key}/")
    assert response.status_code == 302
    assert response["Location"] == f"/strategia/#b-{block.key}"
    draft = services.version_create(actor=editor(), strategy=old.strategy, based_on=old)
    only_in_draft = services.block_create(actor=editor(), version=draft, chapter=draft.chapters.first(), text="Nowy.")
    assert client.get(f"/strategia/akapit/{only_in_draft.key}/").status_code == 404
    assert client.get("/strategia/akapit/nieistnieje/").status_code == 404


def test_attachments_are_private_until_the_version_is_public(reference_data, client):
    version = make_version()
    member = editor()
    attachment = services.attachment_add(
        actor=member,
        version=version,
        upload=SimpleUploadedFile("p.pdf", PDF_BYTES),
        title="Prognoza OOŚ",
        kind="forecast",
    )
    url = attachment.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    version.state = VersionState.CONSULTATION_DRAFT
    version.save()
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="prognoza-oos.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_unlisted_attachment_of_a_public_version_stays_internal(reference_data, client):
    version = make_version()
    attachment = services.attachment_add(
        actor=editor(),
        version=version,
        upload=SimpleUploadedFile("p.pdf", PDF_BYTES),
        title="Notatka",
        kind="other",
        listed_publicly=False,
    )
    version.state = VersionState.CONSULTATION_DRAFT
    version.save()
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert "Notatka" not in client.get("/strategia/").content.decode()


# Stage pages and recommendations ------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["projekt-strategii", "ocena-formalna"])
def test_stage_pages_show_progress_without_unpublished_text(reference_data, client, slug):
    version = make_version(VersionState.INTERNAL_REVIEW)
    make_block(make_chapter(version, "Wnioski z diagnozy"), "Roboczy tekst, którego nikt nie widzi.")
    cite(make_goal(version), included())
    included()
    html = client.get(f"/etapy/{slug}/").content.decode()
    assert "Roboczy tekst" not in html
    assert "1 z 2" in html or "1 of 2" in html  # included recommendations covered


def test_an_included_recommendation_shows_where_it_landed(reference_data, client):
    version = make_version(VersionState.CONSULTATION_DRAFT)
    recommendation = included(title="Transport publiczny pierwszym wyborem")
    goal = make_goal(version)
    make_goal(version, "Drugi cel")
    direction = make_direction(goal)
    make_direction(goal, "Drugi kierunek")
    chapter = make_chapter(version)
    make_section(chapter)
    section = make_section(chapter, "Mobilność")
    block = make_block(chapter, "O autobusach.", section=section)
    for target in (goal, direction, block):
        cite(target, recommendation)
    html = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Ujęta w:" in html or "Included in:" in html
    assert f'href="/strategia/wersje/1/#{goal.anchor}"' in html
    for label in ("cel 1", "kierunek 1.1", "rozdział 1.2"):
        assert (
            label in html
            or label.replace("cel", "goal").replace("kierunek", "direction").replace("rozdział", "chapter") in html
        )


def test_a_recommendation_not_taken_up_shows_the_reason_and_nothing_before_publication(reference_data, client):
    draft = make_version()
    recommendation = included()
    services.explanation_set(
        actor=editor(), version=draft, recommendation=recommendation, reason="To zadanie samorządu województwa."
    )
    html = client.get(recommendation.get_absolute_url()).content.decode()
    assert "samorządu województwa" not in html  # the draft is not public
    draft.state = VersionState.CONSULTATION_DRAFT
    draft.save()
    html = client.get(recommendation.get_absolute_url()).content.decode()
    assert "To zadanie samorządu województwa." in html


# The workspace -------------------------------------------------------------------------------------


WORKSPACE_PAGES = [
    "",
    "wersje/1/",
    "wersje/1/cele/",
    "wersje/1/pokrycie/",
    "wersje/1/lista-kontrolna/",
    "wersje/1/uwagi/",
]


@pytest.mark.parametrize("page", WORKSPACE_PAGES)
def test_the_workspace_is_for_the_team_and_the_city(reference_data, client, page):
    make_block(make_chapter(make_version()), "Tekst roboczy.")
    url = f"/panel/strategia/{page}"
    assert client.get(url).status_code == 302  # to the login page
    for outsider in (UserFactory(), moderator()):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    for insider in (editor(), reviewer(), coordinator()):
        client.force_login(insider)
        assert client.get(url).status_code == 200


def test_a_department_reads_and_comments_but_does_not_edit(reference_data, client):
    version = make_version()
    block = make_block(make_chapter(version), "Tekst roboczy.")
    client.force_login(reviewer())
    page = client.get(f"/panel/strategia/wersje/1/bloki/{block.key}/").content.decode()
    assert "<textarea" in page  # the comment form only
    assert 'name="revision"' not in page
    response = client.post(f"/panel/strategia/wersje/1/bloki/{block.key}/", {"text": "Zmiana.", "revision": 1})
    assert response.status_code == 403
    response = client.post(f"/panel/strategia/wersje/1/bloki/{block.key}/uwagi/", {"text": "Proszę o dane z 2020 r."})
    assert response.status_code == 302
    assert version.internal_comments.get().text == "Proszę o dane z 2020 r."


def test_an_editor_meets_a_conflict_and_keeps_her_text(reference_data, client):
    version = make_version()
    block = make_block(make_chapter(version), "Tekst pierwszy.")
    services.block_update(
        actor=editor(display_name="Kolega"), block=block, expected_revision=1, text="Tekst kolegi, zapisany wcześniej."
    )
    client.force_login(editor())
    response = client.post(f"/panel/strategia/wersje/1/bloki/{block.key}/", {"text": "Mój tekst.", "revision": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kolega" in html
    assert "Mój tekst." in html  # kept in the form
    assert "<ins>" in html
    assert "<del>" in html
    assert 'name="revision" value="2"' in html
    block.refresh_from_db()
    assert block.text == "Tekst kolegi, zapisany wcześniej."
    response = client.post(f"/panel/strategia/wersje/1/bloki/{block.key}/", {"text": "Mój tekst.", "revision": 2})
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.text == "Mój tekst."


def test_an_edit_of_a_frozen_version_shows_the_message(reference_data, client):
    version = make_version(VersionState.INTERNAL_REVIEW)
    block = make_block(make_chapter(version), "Tekst.")
    client.force_login(editor())
    response = client.post(f"/panel/strategia/wersje/1/bloki/{block.key}/", {"text": "Zmiana.", "revision": 1})
    assert response.status_code == 400
    assert "edytuje się tylko wersja robocza" in response.content.decode()


def test_script_in_a_block_is_refused_on_the_form(reference_data, client):
    version = make_version()
    chapter = make_chapter(version)
    client.force_login(editor())
    response = client.post(
        "/panel/strategia/wersje/1/bloki/nowy/", {"rozdzial": chapter.key, "text": "<script>alert(1)</script>"}
    )
    assert response.status_code == 400
    assert "&lt;script&gt;" in response.content.decode()
    assert not Block.objects.exists()


def test_an_indicator_with_a_word_for_a_target_is_refused_on_the_form(reference_data, client):
    version = make_version()
    goal = make_goal(version)
    client.force_login(editor())
    data = {
        "parent": f"g:{goal.key}",
        "name": "Udział rowerów",
        "unit": "%",
        "baseline_value": "3,5",
        "baseline_year": "2019",
        "target_value": "dużo",
        "target_year": "2030",
        "source": "Badanie ruchu",
        "frequency": "annual",
        "polarity": "more",
    }
    response = client.post("/panel/strategia/wersje/1/wskazniki/nowy/", data)
    assert response.status_code == 400
    assert "dużo" in response.content.decode()
    data["target_value"] = "12,5"
    assert client.post("/panel/strategia/wersje/1/wskazniki/nowy/", data).status_code == 302


def test_only_coordinators_manage_the_team(reference_data, client):
    person = UserFactory(email="ekspertka@example.org")
    client.force_login(editor())
    assert client.get("/panel/strategia/zespol/").status_code == 403
    client.force_login(coordinator())
    response = client.post("/panel/strategia/zespol/", {"email": "EKSPERTKA@example.org", "role": "expert"})
    assert response.status_code == 302
    assert person.strategy_memberships.get().role == "expert"
    response = client.post("/panel/strategia/zespol/", {"email": "nikt@example.org", "role": "expert"})
    assert response.status_code == 400


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("", 4),
        ("wersje/1/", 15),
        ("wersje/1/cele/", 12),
        ("wersje/1/pokrycie/", 7),
        ("wersje/1/lista-kontrolna/", 7),
        ("wersje/1/uwagi/", 5),
        ("wersje/1/zalaczniki/", 5),
        ("zespol/", 4),
    ],
)
def test_workspace_lists_read_a_constant_number_of_queries(
    reference_data, client, django_assert_num_queries, page, queries, size
):
    version = make_version()
    city = coordinator()
    for index in range(size):
        chapter = make_chapter(version, f"Rozdział {index}")
        block = make_block(chapter, f"Tekst {index}.", section=make_section(chapter))
        cite(block, included())
        services.internal_comment_add(actor=reviewer(), block=block, text=f"Uwaga {index}.")
        make_indicator(direction=make_direction(make_goal(version)))
        item = checklist_item(version, f"Punkt {index}", responsible=city)
        services.attachment_add(
            actor=city,
            version=version,
            checklist_item=item,
            upload=SimpleUploadedFile("p.pdf", PDF_BYTES),
            title="Opinia",
            kind="opinion",
        )
        services.attachment_add(
            actor=editor(), version=version, upload=SimpleUploadedFile("p.pdf", PDF_BYTES), title="Mapa", kind="map"
        )
    client.force_login(city)
    with django_assert_num_queries(queries):
        assert client.get(f"/panel/strategia/{page}").status_code == 200


def test_an_earlier_version_says_so_and_the_newest_does_not(reference_data, client):
    make_version(VersionState.CONSULTATION_DRAFT)
    make_version(VersionState.AFTER_CONSULTATION)
    assert "wcześniejsza wersja" in client.get("/strategia/wersje/1/").content.decode()
    assert "wcześniejsza wersja" not in client.get("/strategia/wersje/2/").content.decode()
    assert "wcześniejsza wersja" not in client.get("/strategia/").content.decode()
