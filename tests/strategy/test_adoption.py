"""Stage VIII: the final draft, the adoption steps and the council resolution (strategy.adoption).

Bad input gets a clear message and changes nothing: an edit of the adopted version, a resolution number or
date that does not parse, an adoption before the board's opinion is recorded.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from strategy import services
from strategy.adoption import selectors
from strategy.adoption import services as adoption
from strategy.adoption.models import AdoptionStep, AdoptionStepKind, Resolution, ResolutionKind
from strategy.models import Block, ChecklistItem, ChecklistPhase, StrategyVersion, VersionState
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.strategy.adoption_factories import SESSION_DAY, adopted, final_draft, pdf, record_steps
from tests.strategy.factories import editor, make_block, make_chapter, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The assertions read the msgids (English); the Polish of each is in strategy/locale."""
    translation.activate("en")


def resolution_data(**overrides):
    values = {
        "number": "Nr XLII/1234/2021",
        "adopted_on": SESSION_DAY,
        "title": "w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
        "bip_url": "https://bip.lublin.eu/uchwala-xlii-1234-2021",
        "upload": pdf("uchwala.pdf"),
        **overrides,
    }
    return adoption.ResolutionData(**values)


# The final draft ----------------------------------------------------------------------------------


def test_the_final_draft_needs_a_consulted_version_before_it(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    with pytest.raises(ValidationError, match="consulted first"):
        adoption.final_draft_publish(actor=coordinator(), version=version)
    version.refresh_from_db()
    assert version.state == VersionState.INTERNAL_REVIEW


def test_the_final_draft_waits_for_its_mandatory_checklist(reference_data, queued_tasks, run_on_commit):
    consulted = make_version(VersionState.CONSULTATION_DRAFT)
    version = make_version(VersionState.INTERNAL_REVIEW, based_on=consulted)
    item = ChecklistItem.objects.create(
        version=version, phase=ChecklistPhase.ADOPTION, title="Opinia prawna projektu końcowego", mandatory=True
    )
    with pytest.raises(ValidationError, match="Opinia prawna projektu końcowego"):
        adoption.final_draft_publish(actor=coordinator(), version=version)
    item.status = "done"
    item.save()
    run_on_commit(adoption.final_draft_publish, actor=coordinator(), version=version)
    version.refresh_from_db()
    assert version.state == VersionState.AFTER_CONSULTATION
    assert version.is_public
    assert version.published_at
    assert [name for name, *_ in queued_tasks] == ["strategy.tasks.request_version_pdf"]


def test_only_the_city_publishes_the_final_draft(reference_data):
    consulted = make_version(VersionState.CONSULTATION_DRAFT)
    version = make_version(VersionState.INTERNAL_REVIEW, based_on=consulted)
    with pytest.raises(PermissionDenied):
        adoption.final_draft_publish(actor=editor(), version=version)


# Steps ---------------------------------------------------------------------------------------------


def test_steps_are_recorded_on_the_final_draft_only(reference_data):
    version = make_version(VersionState.INTERNAL_REVIEW)
    data = adoption.StepData(kind=AdoptionStepKind.MAYOR_SUBMISSION, happened_on="1.12.2021")
    with pytest.raises(ValidationError, match="Publish it as the final draft"):
        adoption.adoption_step_record(actor=coordinator(), version=version, data=data)
    assert not AdoptionStep.objects.exists()


def test_the_board_opinion_keeps_its_date_and_document(reference_data, client):
    _consulted, version = final_draft()
    step = adoption.adoption_step_record(
        actor=coordinator(),
        version=version,
        data=adoption.StepData(
            kind=AdoptionStepKind.BOARD_OPINION,
            happened_on="30.11.2021",
            requested_on="2021-11-05",
            reference="Uchwała nr 2345/2021 Zarządu Województwa Lubelskiego",
            upload=pdf("opinia.pdf"),
        ),
    )
    assert (step.happened_on, step.requested_on) == (datetime.date(2021, 11, 30), datetime.date(2021, 11, 5))
    assert adoption.board_opinion_due(step) == datetime.date(2021, 12, 5)
    response = client.get(step.get_document_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"happened_on": "31.02.2021"}, "happened_on", "is not a date"),
        ({"happened_on": "wczoraj"}, "happened_on", "is not a date"),
        ({"happened_on": ""}, "happened_on", "enter the date"),
        ({"happened_on": "1.1.2999"}, "happened_on", "in the future"),
        ({"requested_on": "1.12.2021"}, "requested_on", "cannot be sent after"),
        ({"upload": None}, "upload", "Attach the board's opinion"),
        ({"upload": SimpleUploadedFile("mapa.svg", b"<svg onload='x()'></svg>")}, "upload", "SVG"),
    ],
)
def test_a_bad_step_says_what_is_wrong_and_records_nothing(reference_data, data, field, message):
    _consulted, version = final_draft()
    values = {"kind": AdoptionStepKind.BOARD_OPINION, "happened_on": "30.11.2021", "upload": pdf(), **data}
    with pytest.raises(ValidationError) as error:
        adoption.adoption_step_record(actor=coordinator(), version=version, data=adoption.StepData(**values))
    assert message in " ".join(error.value.message_dict[field])
    assert not AdoptionStep.objects.exists()


def test_the_session_cannot_come_before_the_submission(reference_data):
    _consulted, version = final_draft()
    city = coordinator()
    submission = adoption.StepData(kind=AdoptionStepKind.MAYOR_SUBMISSION, happened_on="10.12.2021")
    adoption.adoption_step_record(actor=city, version=version, data=submission)
    session = adoption.StepData(kind=AdoptionStepKind.COUNCIL_SESSION, happened_on="9.12.2021")
    with pytest.raises(ValidationError, match="cannot come before the mayor submitted"):
        adoption.adoption_step_record(actor=city, version=version, data=session)


def test_a_step_is_corrected_until_the_adoption(reference_data):
    _consulted, version = final_draft()
    city = coordinator()
    data = adoption.StepData(kind=AdoptionStepKind.MAYOR_SUBMISSION, happened_on="1.12.2021", reference="druk 1")
    adoption.adoption_step_record(actor=city, version=version, data=data)
    data.reference = "druk nr 1234-1"
    step = adoption.adoption_step_record(actor=city, version=version, data=data)
    assert AdoptionStep.objects.get().reference == "druk nr 1234-1" == step.reference


# The resolution ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Nr XLII/1234/2021", "XLII/1234/2021"),
        ("xlii/1234/2021", "XLII/1234/2021"),
        ("nr. XLII / 01234 / 2021", "XLII/1234/2021"),
    ],
)
def test_resolution_numbers_as_people_write_them(typed, stored):
    assert adoption.parse_resolution_number(typed) == stored


@pytest.mark.parametrize(
    "typed", ["XLII-1234-2021", "Nr ABC/1/2021", "Nr IIII/1/2021", "Nr XLII/0/2021", "1234/2021", ""]
)
def test_a_resolution_number_that_does_not_parse(typed):
    with pytest.raises(ValidationError, match="Nr XXX/123/2021"):
        adoption.parse_resolution_number(typed)


def test_the_resolution_puts_the_final_draft_in_force(reference_data, queued_tasks, run_on_commit):
    _consulted, version = final_draft()
    record_steps(version)
    resolution = run_on_commit(adoption.resolution_record, actor=coordinator(), version=version, data=resolution_data())
    version.refresh_from_db()
    assert version.state == VersionState.ADOPTED
    assert (resolution.number, resolution.kind, resolution.display_number) == (
        "XLII/1234/2021",
        ResolutionKind.ADOPTION,
        "Nr XLII/1234/2021",
    )
    assert selectors.in_force_version(version.strategy) == version
    assert version.state_changes.get(to_state=VersionState.ADOPTED).reason == "Nr XLII/1234/2021"
    assert [name for name, *_ in queued_tasks] == ["strategy.tasks.refresh_version_pdf"]


@pytest.mark.parametrize(
    ("skip", "message"),
    [
        ((AdoptionStepKind.BOARD_OPINION,), "only after the board has given its opinion (art. 10f u.s.g.)"),
        ((AdoptionStepKind.COUNCIL_SESSION,), "is not recorded yet"),
    ],
)
def test_no_adoption_before_the_steps(reference_data, skip, message):
    _consulted, version = final_draft()
    record_steps(version, skip=skip)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        adoption.resolution_record(actor=coordinator(), version=version, data=resolution_data())
    version.refresh_from_db()
    assert version.state == VersionState.AFTER_CONSULTATION
    assert not Resolution.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "XLII-1234-2021"}, "number", "is not a resolution number"),
        ({"adopted_on": "16/13/2021"}, "adopted_on", "is not a date"),
        ({"adopted_on": "16.12.2022", "number": "Nr XLII/1234/2021"}, "adopted_on", "The year in the number (2021)"),
        ({"adopted_on": "15.12.2021"}, None, "after the resolution"),
        ({"bip_url": "bip.lublin.eu"}, "bip_url", "full address"),
        ({"upload": None}, "upload", "signed resolution as a PDF"),
        ({"upload": SimpleUploadedFile("skan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)}, "upload", "PDF file only"),
    ],
)
def test_a_bad_resolution_says_what_is_wrong_and_changes_nothing(reference_data, overrides, field, message):
    _consulted, version = final_draft()
    record_steps(version)
    with pytest.raises(ValidationError) as error:
        adoption.resolution_record(actor=coordinator(), version=version, data=resolution_data(**overrides))
    messages = error.value.message_dict[field] if field else error.value.messages
    assert message in " ".join(messages)
    version.refresh_from_db()
    assert version.state == VersionState.AFTER_CONSULTATION
    assert not Resolution.objects.exists()


def test_a_resolution_number_is_recorded_once(reference_data):
    adopted(number="XLII/1234/2021")
    _consulted, version = final_draft()
    record_steps(version)
    with pytest.raises(ValidationError, match="already recorded"):
        adoption.resolution_record(actor=coordinator(), version=version, data=resolution_data())


def test_a_later_change_is_an_amendment_with_its_own_resolution(reference_data):
    first = adopted()
    second = make_version(VersionState.AFTER_CONSULTATION, based_on=first)
    record_steps(second)
    resolution = adoption.resolution_record(
        actor=admin(), version=second, data=resolution_data(number="Nr LX/1800/2021")
    )
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.state, resolution.kind) == (VersionState.AMENDED, ResolutionKind.AMENDMENT)
    assert first.state == VersionState.ADOPTED  # the earlier text stays as it was adopted
    assert selectors.in_force_version(first.strategy) == second


def test_the_adopted_version_is_frozen_for_good(reference_data):
    version = adopted()
    block = make_block(make_chapter(version), "Tekst uchwalony.")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.block_update(actor=editor(), block=block, expected_revision=1, text="Zmiana po uchwaleniu.")
    with pytest.raises(ValidationError, match="frozen for good"):
        adoption.adoption_step_record(
            actor=coordinator(),
            version=version,
            data=adoption.StepData(kind=AdoptionStepKind.MAYOR_SUBMISSION, happened_on="1.12.2021"),
        )
    with pytest.raises(ValidationError, match="frozen for good"):
        adoption.resolution_record(actor=coordinator(), version=version, data=resolution_data(number="Nr I/1/2021"))
    assert Block.objects.get(pk=block.pk).text == "Tekst uchwalony."
    assert Resolution.objects.count() == 1


@pytest.mark.parametrize("role", ["resident", "moderator", "editor"])
def test_only_the_city_records_the_adoption(reference_data, role):
    person = {"resident": UserFactory, "moderator": moderator, "editor": editor}[role]()
    _consulted, version = final_draft()
    record_steps(version)
    with pytest.raises(PermissionDenied):
        adoption.resolution_record(actor=person, version=version, data=resolution_data())
    with pytest.raises(PermissionDenied):
        adoption.adoption_step_record(
            actor=person, version=version, data=adoption.StepData(kind="mayor_submission", happened_on="1.12.2021")
        )


# Pages ----------------------------------------------------------------------------------------------


def test_the_public_page_shows_the_strategy_in_force_with_its_resolution(reference_data, client):
    first = adopted()
    make_version(VersionState.AFTER_CONSULTATION, based_on=first)  # an amendment on its way
    content = client.get("/strategia/").content.decode()
    assert f"wersja {first.number}" in content
    assert "Nr XLII/1234/2021" in content
    assert "https://bip.lublin.eu/uchwala" in content
    assert f"/strategia/zmiany/{first.number}/" in content  # what changed since the consultation draft


def test_the_final_draft_page_names_the_strategy_in_force(reference_data, client):
    first = adopted()
    draft = make_version(VersionState.AFTER_CONSULTATION, based_on=first)
    AdoptionStep.objects.create(version=draft, kind=AdoptionStepKind.MAYOR_SUBMISSION, happened_on=SESSION_DAY)
    content = client.get(f"/strategia/wersje/{draft.number}/").content.decode()
    assert "16 grudnia 2021" in content
    assert "This is an earlier version" not in content


def test_the_signed_resolution_is_a_public_download(reference_data, client, tmp_path):
    _consulted, version = final_draft()
    record_steps(version)
    resolution = adoption.resolution_record(actor=coordinator(), version=version, data=resolution_data())
    response = client.get(resolution.get_document_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_adoption_page_for_the_city_and_the_team(reference_data, client):
    _consulted, version = final_draft()
    url = f"/panel/strategia/wersje/{version.number}/uchwalenie/"
    client.force_login(coordinator())
    content = client.get(url).content.decode()
    assert 'name="number"' in content
    assert 'name="mayor_submission-happened_on"' in content
    client.force_login(editor())
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="number"' not in response.content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_a_bad_step_comes_back_on_its_form(reference_data, client):
    _consulted, version = final_draft()
    client.force_login(coordinator())
    response = client.post(
        f"/panel/strategia/wersje/{version.number}/uchwalenie/kroki/board_opinion/",
        {"board_opinion-happened_on": "2021-11-30", "board_opinion-reference": "Uchwała ZW"},
    )
    assert response.status_code == 400
    assert "board_opinion-upload_error1" in response.content.decode()
    assert not AdoptionStep.objects.exists()


def test_the_resolution_through_the_page(reference_data, client):
    _consulted, version = final_draft()
    record_steps(version)
    client.force_login(coordinator())
    response = client.post(
        f"/panel/strategia/wersje/{version.number}/uchwalenie/uchwala/",
        {
            "number": "Nr XLII/1234/2021",
            "adopted_on": "2021-12-16",
            "title": "w sprawie przyjęcia strategii",
            "bip_url": "https://bip.lublin.eu/u",
            "upload": pdf(),
        },
    )
    assert response.status_code == 302
    assert StrategyVersion.objects.get(pk=version.pk).state == VersionState.ADOPTED


def test_the_stage_pages_tell_the_adoption(reference_data, client):
    from stages.models import Stage

    adopted()
    content = client.get(Stage.objects.get(number=8).get_absolute_url()).content.decode()
    assert "Nr XLII/1234/2021" in content
