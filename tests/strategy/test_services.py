"""The strategy's services: versions and their states, blocks with locking, goals and indicators,
citations and coverage, the checklist, internal comments and attachments. Bad input changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from recommendations.models import RecommendationStatus
from strategy import services
from strategy.models import (
    Attachment,
    Block,
    BlockRevision,
    Chapter,
    ChecklistItem,
    Citation,
    CommentStatus,
    Indicator,
    InternalComment,
    ItemStatus,
    RecommendationExplanation,
    StrategicGoal,
    StrategyVersion,
    TeamMembership,
    TeamRole,
    VersionState,
)
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.recommendations.factories import RecommendationFactory
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
    the_strategy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The assertions read the msgids (English); the Polish of each is in strategy/locale."""
    translation.activate("en")


def indicator_data(parent, **overrides):
    values = {
        "name": "Udział podróży komunikacją miejską",
        "unit": "%",
        "baseline_value": "38,2",
        "baseline_year": "2019",
        "target_value": "45",
        "target_year": "2030",
        "source": "Badanie zachowań komunikacyjnych",
        "frequency": "triennial",
        "polarity": "more",
        "goal": parent,
    }
    values.update(overrides)
    return services.IndicatorData(**values)


# The team -------------------------------------------------------------------------------------


def test_coordinator_grants_and_withdraws_roles(reference_data):
    city, person = coordinator(), UserFactory()
    membership = services.team_grant(actor=city, strategy=the_strategy(), user=person, role=TeamRole.EXPERT)
    person = type(person).objects.get(pk=person.pk)
    assert person.has_perm("strategy.edit_version", the_strategy())
    services.team_withdraw(actor=city, membership=membership)
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("strategy.edit_version", the_strategy())
    assert TeamMembership.objects.filter(user=person).count() == 1  # the history stays


def test_only_coordinators_grant_roles(reference_data):
    for actor in (UserFactory(), moderator(), editor()):
        with pytest.raises(PermissionDenied):
            services.team_grant(actor=actor, strategy=the_strategy(), user=UserFactory(), role=TeamRole.EDITOR)
    assert TeamMembership.objects.filter(role=TeamRole.EDITOR).count() == 1  # the editor of the loop only


def test_granting_a_second_role_replaces_the_first(reference_data):
    city, person = coordinator(), UserFactory()
    services.team_grant(
        actor=city, strategy=the_strategy(), user=person, role=TeamRole.DEPARTMENT, department="Wydział Kultury"
    )
    services.team_grant(actor=city, strategy=the_strategy(), user=person, role=TeamRole.EDITOR)
    active = TeamMembership.objects.filter(user=person, withdrawn_at__isnull=True)
    assert [m.role for m in active] == [TeamRole.EDITOR]
    with pytest.raises(ValidationError, match="already has this role"):
        services.team_grant(actor=city, strategy=the_strategy(), user=person, role=TeamRole.EDITOR)


# Versions ---------------------------------------------------------------------------------------


def test_first_version_is_an_empty_working_draft_with_the_formal_checklist(reference_data):
    version = services.version_create(actor=editor(), strategy=the_strategy(), note="Pierwszy projekt")
    assert (version.number, version.state, version.based_on) == (1, VersionState.WORKING, None)
    items = list(ChecklistItem.objects.filter(version=version))
    assert len(items) == 9
    assert items[0].title == "Konsultacje wewnętrzne w Urzędzie Miasta Lublin"
    assert all(item.mandatory and item.status == ItemStatus.TODO for item in items)


def test_one_working_version_at_a_time(reference_data):
    team = editor()
    first = services.version_create(actor=team, strategy=the_strategy())
    with pytest.raises(ValidationError, match="still the working draft"):
        services.version_create(actor=team, strategy=the_strategy(), based_on=first)
    assert StrategyVersion.objects.count() == 1


def test_residents_and_department_staff_cannot_create_versions(reference_data):
    for actor in (UserFactory(), reviewer(), moderator()):
        with pytest.raises(PermissionDenied):
            services.version_create(actor=actor, strategy=the_strategy())
    assert not StrategyVersion.objects.exists()


def test_next_version_copies_everything_with_the_same_keys(reference_data):
    old = make_version(VersionState.CONSULTATION_DRAFT)
    chapter = make_chapter(old)
    section = make_section(chapter)
    intro, inner = make_block(chapter, "Wstęp."), make_block(chapter, "W sekcji.", section=section)
    goal = make_goal(old)
    direction = make_direction(goal)
    indicator = make_indicator(direction=direction)
    recommendation = included()
    cite(inner, recommendation)
    cite(goal, recommendation)
    RecommendationExplanation.objects.create(version=old, recommendation=included(), reason="Poza kompetencjami gminy.")

    new = services.version_create(actor=editor(), strategy=the_strategy(), based_on=old)

    assert (new.number, new.state, new.based_on) == (2, VersionState.WORKING, old)
    copied = Block.objects.get(version=new, key=inner.key)
    assert (copied.text, copied.section.key, copied.chapter.key) == ("W sekcji.", section.key, chapter.key)
    assert Block.objects.get(version=new, key=intro.key).section is None
    assert copied.pk != inner.pk
    new_indicator = Indicator.objects.get(version=new, key=indicator.key)
    assert new_indicator.direction.key == direction.key
    assert new_indicator.direction.goal.key == goal.key
    assert {(c.block.key if c.block else c.goal.key) for c in Citation.objects.filter(version=new)} == {
        inner.key,
        goal.key,
    }
    assert RecommendationExplanation.objects.filter(version=new).count() == 1
    # After a public version the next one gets the adoption checklist (strategy.adoption.reference), not the formal one.
    assert set(ChecklistItem.objects.filter(version=new).values_list("phase", flat=True)) == {"adoption"}
    # The old version is untouched.
    assert Block.objects.filter(version=old).count() == 2


# Blocks ------------------------------------------------------------------------------------------


def test_a_member_writes_and_edits_a_block_with_its_history(reference_data):
    version, member = make_version(), editor()
    chapter = make_chapter(version)
    block = services.block_create(actor=member, version=version, chapter=chapter, text="Lublin rośnie.")
    assert (block.revision, block.kind, block.html) == (1, "paragraph", "<p>Lublin rośnie.</p>")
    block = services.block_update(actor=member, block=block, expected_revision=1, text="Lublin **rośnie** szybko.")
    assert block.revision == 2
    assert "<strong>rośnie</strong>" in block.html
    assert list(BlockRevision.objects.filter(block=block).values_list("number", flat=True)) == [2, 1]
    same = services.block_update(actor=member, block=block, expected_revision=2, text="Lublin **rośnie** szybko.")
    assert same.revision == 2  # nothing changed, no new revision


def test_an_edit_of_a_frozen_version_is_refused_with_a_message(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    block = make_block(make_chapter(version), "Tekst zamrożony.")
    with pytest.raises(ValidationError) as error:
        services.block_update(actor=editor(), block=block, expected_revision=1, text="Zmiana.")
    assert error.value.code == "frozen"
    assert "only the working draft is edited" in error.value.messages[0]
    block.refresh_from_db()
    assert (block.text, block.revision) == ("Tekst zamrożony.", 1)


@pytest.mark.parametrize(
    "state",
    [VersionState.CONSULTATION_DRAFT, VersionState.AFTER_CONSULTATION, VersionState.ADOPTED, VersionState.AMENDED],
)
def test_every_public_version_is_frozen(reference_data, state):
    version = make_version(state)
    chapter = make_chapter(version)
    member = editor()
    calls = [
        lambda: services.block_create(actor=member, version=version, chapter=chapter, text="Nowy."),
        lambda: services.chapter_create(actor=member, version=version, title="Nowy rozdział"),
        lambda: services.goal_save(
            actor=member, version=version, data=services.GoalData(title="Cel", dimension="social")
        ),
        lambda: services.explanation_set(actor=member, version=version, recommendation=included(), reason="x" * 30),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="can no longer be changed"):
            call()
    assert Block.objects.filter(version=version).count() == 0
    assert Chapter.objects.filter(version=version).count() == 1


def test_a_stale_edit_is_a_conflict_and_writes_nothing(reference_data):
    version = make_version()
    block = make_block(make_chapter(version), "Pierwsza wersja.")
    alice, bob = editor(display_name="Alicja"), editor(display_name="Bogdan")
    services.block_update(actor=alice, block=block, expected_revision=1, text="Wersja Alicji.")
    with pytest.raises(services.EditConflict) as error:
        services.block_update(actor=bob, block=block, expected_revision=1, text="Wersja Bogdana.")
    assert "Alicja saved a newer text (revision 2)" in error.value.messages[0]
    assert error.value.current.text == "Wersja Alicji."
    block.refresh_from_db()
    assert (block.text, block.revision) == ("Wersja Alicji.", 2)
    # Bob saves again knowingly, from the revision he has now seen.
    services.block_update(actor=bob, block=block, expected_revision=2, text="Wersja Bogdana.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tekst <script>alert(1)</script>", "HTML code is not allowed"),
        ('Tekst <span style="color:red">czerwony</span>', "HTML code is not allowed"),
        ("Tekst <img src=x onerror=alert(1)>", "HTML code is not allowed"),
        ("[kliknij](javascript:alert(1))", "A link may lead only to a web page"),
        ("[dane](data:text/html;base64,PHNjcmlwdD4=)", "A link may lead only to a web page"),
        ("x" * 20001, "at most 20 000 characters; this one has 20 001"),
        ("   \n\n  ", "Write the text of the block."),
    ],
)
def test_bad_block_text_gets_a_message_and_changes_nothing(reference_data, text, message):
    version = make_version()
    block = make_block(make_chapter(version), "Bez zmian.")
    with pytest.raises(ValidationError) as error:
        services.block_update(actor=editor(), block=block, expected_revision=1, text=text)
    assert message in " ".join(error.value.messages)
    block.refresh_from_db()
    assert (block.text, block.revision) == ("Bez zmian.", 1)
    assert BlockRevision.objects.filter(block=block).count() == 1


def test_text_pasted_from_word_arrives_clean(reference_data):
    version = make_version()
    pasted = (
        "Cele\u00a0miasta:\r\n\u2022\tzielony Lublin\r\n\u2022\tmłodzi\u00ad zostają\u200b\r\n\r\n"
        "Rok\tWartość\r\n2019\t12,5\r\n2030\t20\r\n1)\tpierwszy krok\r\n"
    )
    block = services.block_create(actor=editor(), version=version, chapter=make_chapter(version), text=pasted)
    assert block.text == (
        "Cele miasta:\n- zielony Lublin\n- młodzi zostają\n\n| Rok | Wartość |\n|---|---|\n| 2019 | 12,5 |\n| 2030 | 20 |\n\n"
        "1. pierwszy krok"
    )
    assert "<li>zielony Lublin</li>" in block.html
    assert '<th scope="col">Wartość</th>' in block.html
    assert "<td>12,5</td>" in block.html
    assert block.kind == "mixed"


def test_blocks_move_and_delete_keeping_positions_dense(reference_data):
    version, member = make_version(), editor()
    chapter = make_chapter(version)
    first, second, third = (make_block(chapter, text) for text in ("Jeden.", "Dwa.", "Trzy."))
    services.block_move(actor=member, block=third, offset=-1)
    assert list(Block.objects.filter(chapter=chapter).order_by("position").values_list("text", flat=True)) == [
        "Jeden.",
        "Trzy.",
        "Dwa.",
    ]
    services.block_delete(actor=member, block=first)
    assert list(Block.objects.filter(chapter=chapter).order_by("position").values_list("position", "text")) == [
        (1, "Trzy."),
        (2, "Dwa."),
    ]
    inserted = services.block_create(actor=member, version=version, chapter=chapter, text="Półtora.", after=third)
    assert inserted.position == 2
    assert Block.objects.get(pk=second.pk).position == 3


def test_a_chapter_with_text_is_not_deleted(reference_data):
    version = make_version()
    chapter = make_chapter(version)
    make_block(chapter)
    with pytest.raises(ValidationError, match="still has sections or text"):
        services.chapter_delete(actor=editor(), chapter=chapter)
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_residents_and_departments_do_not_edit(reference_data):
    version = make_version()
    block = make_block(make_chapter(version), "Tekst.")
    for actor in (UserFactory(), reviewer(), coordinator()):
        with pytest.raises(PermissionDenied):
            services.block_update(actor=actor, block=block, expected_revision=1, text="Zmiana.")
    block.refresh_from_db()
    assert block.text == "Tekst."


# Goals, directions, indicators ------------------------------------------------------------------------


def test_goals_directions_and_indicators_with_a_polish_decimal_comma(reference_data):
    version, member = make_version(), editor()
    goal = services.goal_save(
        actor=member, version=version, data=services.GoalData(title="Lublin miastem ruchu", dimension="social")
    )
    direction = services.direction_save(
        actor=member, version=version, goal=goal, data=services.DirectionData(title="Szybsze autobusy")
    )
    indicator = services.indicator_save(actor=member, version=version, data=indicator_data(None, direction=direction))
    assert (indicator.baseline_value, indicator.target_value) == (Decimal("38.2"), Decimal("45"))
    assert direction.number == "1.1"
    indicator = services.indicator_save(
        actor=member,
        version=version,
        indicator=indicator,
        expected_revision=1,
        data=indicator_data(goal, target_value="1 250,75"),
    )
    assert (indicator.goal, indicator.direction, indicator.target_value) == (goal, None, Decimal("1250.75"))
    assert indicator.revision == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_value": "dużo"}, "target_value", "Target value: “dużo” is not a number. Write it like 12,5"),
        ({"baseline_value": "12,5,3"}, "baseline_value", "is not a number"),
        ({"target_value": "0,00001"}, "target_value", "at most 4 digits after the decimal comma"),
        ({"baseline_year": "dwa tysiące"}, "baseline_year", "enter a year"),
        ({"target_year": "2045"}, "target_year", "a year from 2021 to 2030"),
        ({"baseline_year": "2025", "target_year": "2022"}, "target_year", "cannot come before the baseline year"),
        ({"unit": " "}, "unit", "Give the unit"),
        ({"frequency": "weekly"}, "frequency", "how often"),
        ({"goal": None}, "goal", "one goal or to one direction"),
    ],
)
def test_a_bad_indicator_gets_a_message_by_field_and_is_not_stored(reference_data, overrides, field, message):
    version = make_version()
    goal = make_goal(version)
    with pytest.raises(ValidationError) as error:
        services.indicator_save(actor=editor(), version=version, data=indicator_data(goal, **overrides))
    assert any(message in text for text in error.value.message_dict[field]), error.value.message_dict
    assert not Indicator.objects.exists()


def test_a_goal_with_directions_is_not_deleted_and_a_stale_goal_edit_conflicts(reference_data):
    version, member = make_version(), editor()
    goal = make_goal(version)
    make_direction(goal)
    with pytest.raises(ValidationError, match="still has directions"):
        services.element_delete(actor=member, element=goal)
    services.goal_save(
        actor=member, version=version, goal=goal, expected_revision=1, data=services.GoalData("Nowy", "social")
    )
    with pytest.raises(services.EditConflict):
        services.goal_save(
            actor=member, version=version, goal=goal, expected_revision=1, data=services.GoalData("Inny", "social")
        )
    assert StrategicGoal.objects.get(pk=goal.pk).title == "Nowy"


# Recommendations in the strategy -------------------------------------------------------------------


def test_citations_only_of_included_recommendations_and_once(reference_data):
    version, member = make_version(), editor()
    goal = make_goal(version)
    verified = RecommendationFactory(status=RecommendationStatus.VERIFIED)
    with pytest.raises(ValidationError, match="Only recommendations included"):
        services.citation_add(actor=member, version=version, recommendation=verified, target=goal)
    recommendation = included()
    services.citation_add(actor=member, version=version, recommendation=recommendation, target=goal)
    with pytest.raises(ValidationError, match="already cited here"):
        services.citation_add(actor=member, version=version, recommendation=recommendation, target=goal)
    assert Citation.objects.count() == 1


def test_internal_review_is_refused_while_an_included_recommendation_is_uncovered(reference_data):
    version, member = make_version(), editor()
    goal = make_goal(version)
    cited, explained, forgotten = (
        included(title="Zielona sieć"),
        included(title="Młode talenty"),
        included(title="Szkoła otwarta"),
    )
    cite(goal, cited)
    services.explanation_set(
        actor=member, version=version, recommendation=explained, reason="Zadanie samorządu województwa, nie gminy."
    )
    with pytest.raises(ValidationError) as error:
        services.version_submit_for_review(actor=member, version=version)
    assert "„Szkoła otwarta”" in error.value.messages[0]
    assert "Zielona sieć" not in error.value.messages[0]
    assert "Młode talenty" not in error.value.messages[0]
    assert StrategyVersion.objects.get(pk=version.pk).state == VersionState.WORKING
    services.citation_add(actor=member, version=version, recommendation=forgotten, target=goal)
    services.version_submit_for_review(actor=member, version=version)
    assert StrategyVersion.objects.get(pk=version.pk).state == VersionState.INTERNAL_REVIEW


def test_an_explanation_needs_a_real_reason(reference_data):
    version = make_version()
    with pytest.raises(ValidationError, match="at least 20 characters"):
        services.explanation_set(actor=editor(), version=version, recommendation=included(), reason="Nie.")
    assert not RecommendationExplanation.objects.exists()


# Formal evaluation and publication ------------------------------------------------------------------


def test_publishing_needs_every_mandatory_item_done_and_names_what_is_missing(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    done = checklist_item(version, "Konsultacje wewnętrzne", status=ItemStatus.DONE)
    missing = checklist_item(version, "Opinia RDOŚ", status=ItemStatus.IN_PROGRESS)
    checklist_item(version, "Zgodność z polityką UE", mandatory=False)
    city = coordinator()
    with pytest.raises(ValidationError) as error:
        services.version_publish(actor=city, version=version)
    message = " ".join(error.value.messages)
    assert "„Opinia RDOŚ” (In progress)" in message
    assert done.title not in message
    assert "polityką UE" not in message
    assert StrategyVersion.objects.get(pk=version.pk).state == VersionState.INTERNAL_REVIEW

    services.checklist_item_update(
        actor=city,
        item=missing,
        expected_revision=1,
        data=services.ChecklistData(status=ItemStatus.NOT_APPLICABLE, notes="RDOŚ uznał, że opinia nie jest wymagana."),
    )
    published = services.version_publish(actor=city, version=version)
    assert published.state == VersionState.CONSULTATION_DRAFT
    assert published.published_at is not None
    assert StrategyVersion.objects.public().get() == version


def test_only_coordinators_publish_and_only_from_internal_review(reference_data):
    working = make_version()
    with pytest.raises(ValidationError, match="cannot go from “Working draft” to “Consultation draft”"):
        services.version_publish(actor=coordinator(), version=working)
    working.state = VersionState.INTERNAL_REVIEW
    working.save()
    with pytest.raises(PermissionDenied):
        services.version_publish(actor=editor(), version=working)


def test_not_applicable_needs_a_reason_and_public_checklists_are_closed(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    item = checklist_item(version)
    city = coordinator()
    with pytest.raises(ValidationError, match="why this item does not apply"):
        services.checklist_item_update(
            actor=city, item=item, expected_revision=1, data=services.ChecklistData(status=ItemStatus.NOT_APPLICABLE)
        )
    with pytest.raises(PermissionDenied):
        services.checklist_item_update(
            actor=editor(), item=item, expected_revision=1, data=services.ChecklistData(status="done")
        )
    services.checklist_item_update(
        actor=city, item=item, expected_revision=1, data=services.ChecklistData(status="done")
    )
    item.refresh_from_db()
    assert item.completed_at is not None
    public = make_version(VersionState.CONSULTATION_DRAFT)
    closed = checklist_item(public)
    with pytest.raises(ValidationError, match="closed when the version became public"):
        services.checklist_item_update(
            actor=city, item=closed, expected_revision=1, data=services.ChecklistData(status="done")
        )


def test_return_to_drafting_needs_a_reason(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    with pytest.raises(ValidationError, match="Say why"):
        services.version_return_to_drafting(actor=editor(), version=version, reason="")
    services.version_return_to_drafting(actor=editor(), version=version, reason="Uwagi Wydziału Kultury.")
    assert StrategyVersion.objects.get(pk=version.pk).state == VersionState.WORKING


# Internal consultation ----------------------------------------------------------------------------


def test_departments_comment_and_the_team_answers(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    block = make_block(make_chapter(version))
    staff, member = reviewer(), editor()
    comment = services.internal_comment_add(actor=staff, block=block, text="Brakuje danych za 2020 rok.")
    assert (comment.block_key, comment.status) == (block.key, CommentStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.internal_comment_add(actor=UserFactory(), block=block, text="Ja też.")
    with pytest.raises(PermissionDenied):
        services.internal_comment_answer(actor=staff, comment=comment, status=CommentStatus.RESOLVED, resolution="")
    with pytest.raises(ValidationError, match="reason for rejecting"):
        services.internal_comment_answer(actor=member, comment=comment, status=CommentStatus.REJECTED, resolution=" ")
    services.internal_comment_answer(
        actor=member, comment=comment, status=CommentStatus.REJECTED, resolution="Dane za 2020 są niepełne (pandemia)."
    )
    with pytest.raises(ValidationError, match="already been answered"):
        services.internal_comment_answer(actor=member, comment=comment, status=CommentStatus.RESOLVED, resolution="")


def test_open_internal_comments_hold_the_publication(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    services.internal_comment_add(actor=reviewer(), block=make_block(make_chapter(version)), text="Uwaga.")
    with pytest.raises(ValidationError, match="1 internal comments still wait"):
        services.version_publish(actor=coordinator(), version=version)


def test_a_comment_outlives_its_block(reference_data):
    version = make_version()
    block = make_block(make_chapter(version))
    comment = services.internal_comment_add(actor=reviewer(), block=block, text="Do usunięcia?")
    services.block_delete(actor=editor(), block=block)
    comment = InternalComment.objects.get(pk=comment.pk)
    assert comment.block is None
    assert comment.block_key == block.key


# Attachments --------------------------------------------------------------------------------------


PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes(member="word/document.xml") -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("prognoza.pdf", PDF_BYTES, "application/pdf"),
        ("model.png", PNG_BYTES, "image/png"),
        ("opinia.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (
            "tabela.xlsx",
            docx_bytes("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("bez-rozszerzenia", PDF_BYTES, "application/pdf"),
    ],
)
def test_attachments_are_typed_by_their_content(reference_data, name, content, content_type):
    version = make_version()
    attachment = services.attachment_add(
        actor=editor(), version=version, upload=SimpleUploadedFile(name, content), title="Prognoza", kind="forecast"
    )
    assert attachment.content_type == content_type
    assert attachment.path.read_bytes() == content
    assert attachment.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "mapa.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG",
        ),
        ("mapa.png", b"<svg onload=alert(1)></svg>", "SVG"),
        ("prognoza.pdf", b"<html><script>alert(1)</script></html>", "not one of the accepted types"),
        ("program.pdf", b"MZ\x90\x00\x03", "not one of the accepted types"),
        ("archiwum.docx", docx_bytes("inne/plik.xml"), "not one of the accepted types"),
    ],
)
def test_wrong_attachments_are_refused_and_nothing_is_stored(reference_data, name, content, message):
    version = make_version()
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(
            actor=editor(), version=version, upload=SimpleUploadedFile(name, content), title="Plik", kind="map"
        )
    assert not Attachment.objects.exists()


def test_attachments_over_25_mb_are_refused(reference_data):
    version = make_version()
    upload = SimpleUploadedFile("duzy.pdf", PDF_BYTES + b"0" * (25 * 1024 * 1024))
    with pytest.raises(ValidationError, match="at most 25 MB"):
        services.attachment_add(actor=editor(), version=version, upload=upload, title="Duży", kind="annex")
    assert not Attachment.objects.exists()


def test_checklist_documents_are_the_coordinators_and_the_same_file_is_stored_once(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    item = checklist_item(version)
    city = coordinator()
    first = services.attachment_add(
        actor=city,
        version=version,
        checklist_item=item,
        upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
        title="Opinia",
        kind="opinion",
    )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=editor(),
            version=version,
            checklist_item=item,
            upload=SimpleUploadedFile("b.pdf", PDF_BYTES),
            title="Opinia",
            kind="opinion",
        )
    second = services.attachment_add(
        actor=city,
        version=version,
        checklist_item=item,
        upload=SimpleUploadedFile("c.pdf", PDF_BYTES),
        title="Kopia",
        kind="opinion",
    )
    assert first.file == second.file
