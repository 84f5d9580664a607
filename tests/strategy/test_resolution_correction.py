"""A mistake in the record of a council resolution is put right with its reason; the version stays in force."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from strategy.adoption import services as adoption
from strategy.adoption.models import Resolution, ResolutionCorrection
from strategy.models import VersionState
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.strategy.adoption_factories import SESSION_DAY, adopted, final_draft, pdf, record_steps
from tests.strategy.factories import editor

pytestmark = pytest.mark.django_db

REASON = "Numer uchwały wpisano z przestawionymi cyframi."


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _messages_in_english():
    translation.activate("en")


def in_force(number="XLII/1243/2021"):
    """A version adopted by a resolution recorded with a mistyped number (1243 for 1234)."""
    _consulted, version = final_draft()
    record_steps(version)
    return adopted(version, number=number).resolution


def corrected(**overrides):
    values = {
        "number": "Nr XLII/1234/2021",
        "adopted_on": SESSION_DAY,
        "title": "w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
        "bip_url": "https://bip.lublin.eu/uchwala",
        **overrides,
    }
    return adoption.ResolutionData(**values)


def test_a_mistyped_number_is_corrected_and_the_record_keeps_what_it_said(reference_data):
    resolution = in_force()
    person = coordinator()
    correction = adoption.resolution_correct(actor=person, resolution=resolution, data=corrected(), reason=REASON)
    resolution.refresh_from_db()
    assert resolution.number == "XLII/1234/2021"
    assert resolution.corrected_at is not None
    assert resolution.version.state == VersionState.ADOPTED  # still in force, its text untouched
    assert correction.before["number"] == "XLII/1243/2021"
    assert (correction.reason, correction.corrected_by) == (REASON, person)


def test_a_wrong_file_is_replaced_and_the_old_ones_name_is_kept(reference_data):
    resolution = in_force()
    correction = adoption.resolution_correct(
        actor=coordinator(),
        resolution=resolution,
        data=corrected(number="Nr XLII/1243/2021", upload=pdf("uchwala-podpisana.pdf")),
        reason="Załączono projekt zamiast podpisanej uchwały.",
    )
    resolution.refresh_from_db()
    assert resolution.original_name == "uchwala-podpisana.pdf"
    assert correction.before["original_name"] == ""


@pytest.mark.parametrize(
    ("data", "reason", "message"),
    [
        (corrected(), "", "Say what was wrong"),
        (corrected(number="Nr XLII/1243/2021"), REASON, "nothing to correct"),
        (corrected(adopted_on="16.12.2022"), REASON, "not the year of the date"),
        (corrected(adopted_on="29.11.2021"), REASON, "after the resolution"),
        (corrected(bip_url="bip"), REASON, "full address"),
        (corrected(number="XLII/1234"), REASON, "is not a resolution number"),
    ],
)
def test_a_bad_correction_says_what_is_wrong_and_changes_nothing(reference_data, data, reason, message):
    resolution = in_force()
    with pytest.raises(ValidationError, match=message):
        adoption.resolution_correct(actor=coordinator(), resolution=resolution, data=data, reason=reason)
    resolution.refresh_from_db()
    assert (resolution.number, resolution.corrected_at) == ("XLII/1243/2021", None)
    assert not ResolutionCorrection.objects.exists()


def test_a_correction_cannot_take_another_resolutions_number(reference_data):
    in_force(number="XLII/1234/2021")
    later = final_draft()[1]
    record_steps(later)
    resolution = adopted(later, number="LX/1800/2021").resolution
    with pytest.raises(ValidationError, match="already recorded"):
        adoption.resolution_correct(actor=coordinator(), resolution=resolution, data=corrected(), reason=REASON)


@pytest.mark.parametrize("role", ["resident", "moderator", "editor"])
def test_only_the_city_corrects_the_record(reference_data, role):
    person = {"resident": UserFactory, "moderator": moderator, "editor": editor}[role]()
    resolution = in_force()
    with pytest.raises(PermissionDenied):
        adoption.resolution_correct(actor=person, resolution=resolution, data=corrected(), reason=REASON)


def test_the_correction_through_the_pages(reference_data, client):
    resolution = in_force()
    number = resolution.version.number
    url = f"/panel/strategia/wersje/{number}/uchwalenie/"
    client.force_login(coordinator())
    assert 'name="correction-reason"' in client.get(url).content.decode()
    response = client.post(
        f"/en{url}uchwala/korekta/",
        {
            "correction-number": "Nr XLII/1234/2021",
            "correction-adopted_on": "2021-12-16",
            "correction-title": "w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
            "correction-bip_url": "https://bip.lublin.eu/uchwala",
            "correction-reason": "zły nr",
        },
    )
    assert response.status_code == 400
    assert "Say what was wrong" in response.content.decode()
    response = client.post(
        f"{url}uchwala/korekta/",
        {
            "correction-number": "Nr XLII/1234/2021",
            "correction-adopted_on": "2021-12-16",
            "correction-title": "w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
            "correction-bip_url": "https://bip.lublin.eu/uchwala",
            "correction-reason": REASON,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/en{url}").content.decode()
    assert "the record said Nr XLII/1243/2021" in page
    assert REASON in page
    client.logout()
    public = client.get("/en/strategia/").content.decode()
    assert "Nr XLII/1234/2021" in public
    assert "The record of the resolution was corrected on" in public
    assert Resolution.objects.get().number == "XLII/1234/2021"


def test_the_team_sees_the_history_without_the_form(reference_data, client):
    resolution = in_force()
    adoption.resolution_correct(actor=coordinator(), resolution=resolution, data=corrected(), reason=REASON)
    client.force_login(editor())
    page = client.get(f"/en/panel/strategia/wersje/{resolution.version.number}/uchwalenie/").content.decode()
    assert REASON in page
    assert 'name="correction-reason"' not in page
