"""Preparing and announcing a consultation, and comments coming in online and offline. Bad input gets a clear
message and changes nothing."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from consultation import services
from consultation.models import Comment, CommentChannel, Consultation, SpeaksAs, Target
from consultation.services import CommentData, ConsultationData, OfflineData
from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus
from stages.models import ParticipationWindow, WindowKind
from stages.services import WindowClosed
from strategy import services as strategy_services
from strategy.models import Block, VersionState
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.consultation.factories import draft, make_consultation, make_meeting, today
from tests.strategy.factories import editor, make_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def data(**overrides) -> ConsultationData:
    values = {
        "title": "Konsultacje projektu strategii",
        "starts_on": today(),
        "ends_on": today() + datetime.timedelta(days=35),
        "announcement": "Zapraszamy do zgłaszania uwag.",
        "who_may_comment": "Mieszkańcy i organizacje.",
        "contact_person": "Anna Kowalska",
        **overrides,
    }
    return ConsultationData(**values)


# Preparing and announcing -------------------------------------------------------------------------


def test_a_coordinator_prepares_and_announces_a_consultation(reference_data):
    version = draft()["version"]
    consultation = services.consultation_create(actor=coordinator(), version=version, data=data())
    assert consultation.announced_at is None
    services.consultation_announce(actor=coordinator(), consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.announced_at is not None
    window = ParticipationWindow.objects.get(stage__number=7, kind=WindowKind.CONSULTATION)
    assert (window.opens_on, window.closes_on) == (consultation.starts_on, consultation.ends_on)


def test_a_period_under_35_days_is_refused_naming_the_rule(reference_data):
    version = draft()["version"]
    with pytest.raises(ValidationError) as raised:
        services.consultation_create(
            actor=coordinator(), version=version, data=data(ends_on=today() + datetime.timedelta(days=34))
        )
    message = " ".join(raised.value.messages)
    assert "at least 35 days" in message
    assert "art. 6 ust. 5" in message
    assert (today() + datetime.timedelta(days=35)).strftime("%d.%m.%Y") in message
    assert not Consultation.objects.exists()


def test_only_a_consultation_draft_is_consulted(reference_data):
    working = make_version(VersionState.WORKING)
    with pytest.raises(ValidationError, match="consultation draft"):
        services.consultation_create(actor=coordinator(), version=working, data=data())


def test_only_coordinators_prepare_a_consultation(reference_data):
    version = draft()["version"]
    for person in (UserFactory(), moderator(), editor()):
        with pytest.raises(PermissionDenied):
            services.consultation_create(actor=person, version=version, data=data())


def test_an_announcement_after_the_first_day_is_refused(reference_data):
    consultation = make_consultation(announced=False, starts_on=today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="first day of the consultation at the latest"):
        services.consultation_announce(actor=coordinator(), consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.announced_at is None


def test_an_announced_deadline_is_extended_never_shortened(reference_data):
    consultation = make_consultation(starts_on=today(), ends_on=today() + datetime.timedelta(days=40))
    values = {field: getattr(consultation, field) for field in ConsultationData.__dataclass_fields__}
    shorter = ConsultationData(**{**values, "ends_on": consultation.ends_on - datetime.timedelta(days=1)})
    with pytest.raises(ValidationError, match="extended, never shortened"):
        services.consultation_update(actor=coordinator(), consultation=consultation, data=shorter)
    longer = ConsultationData(**{**values, "ends_on": consultation.ends_on + datetime.timedelta(days=7)})
    services.consultation_update(actor=coordinator(), consultation=consultation, data=longer)
    consultation.refresh_from_db()
    assert consultation.ends_on == today() + datetime.timedelta(days=47)


# Online comments -----------------------------------------------------------------------------------


def comment(block=None, **overrides) -> CommentData:
    values = {
        "target": Target.BLOCK if block is not None else Target.DOCUMENT,
        "key": block.key if block is not None else "",
        "text": "Proponuję dopisać w tym akapicie więcej o seniorach.",
        "justification": "Seniorzy są dużą grupą mieszkańców Lublina.",
        **overrides,
    }
    return CommentData(**values)


@pytest.fixture
def setup(consultation_open):
    parts = draft()
    consultation = make_consultation(parts["version"])
    services.consultation_update(
        actor=coordinator(),
        consultation=consultation,
        data=ConsultationData(**{f: getattr(consultation, f) for f in ConsultationData.__dataclass_fields__}),
    )
    return {**parts, "consultation": consultation}


def test_a_resident_comments_on_a_paragraph(setup):
    block = setup["blocks"][1]
    resident = UserFactory()
    made = services.comment_submit(actor=resident, consultation=setup["consultation"], data=comment(block))
    assert made.number == 1
    assert (made.version, made.block_key, made.section_key, made.chapter_key) == (
        setup["version"],
        block.key,
        setup["section"].key,
        setup["chapter"].key,
    )
    assert made.status == ModerationStatus.PENDING
    assert made.channel == CommentChannel.ONLINE
    assert made.author == resident
    second = services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment())
    assert second.number == 2
    assert second.target == Target.DOCUMENT


def test_an_organisation_comments_under_its_name(setup):
    with pytest.raises(ValidationError) as raised:
        services.comment_submit(
            actor=UserFactory(), consultation=setup["consultation"], data=comment(speaks_as=SpeaksAs.ORGANISATION)
        )
    assert "commenter_name" in raised.value.message_dict
    made = services.comment_submit(
        actor=UserFactory(),
        consultation=setup["consultation"],
        data=comment(speaks_as=SpeaksAs.ORGANISATION, commenter_name="Stowarzyszenie Zielony Lublin"),
    )
    assert made.commenter_name == "Stowarzyszenie Zielony Lublin"


def test_a_double_click_makes_one_comment(setup):
    resident = UserFactory()
    first = services.comment_submit(
        actor=resident, consultation=setup["consultation"], data=comment(), submission_token="token-123"
    )
    again = services.comment_submit(
        actor=resident, consultation=setup["consultation"], data=comment(), submission_token="token-123"
    )
    assert again.pk == first.pk
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("days", [-1, 41])
def test_a_comment_outside_the_period_is_refused_with_the_dates(setup, days):
    consultation = setup["consultation"]
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_on=today() - datetime.timedelta(days=days), ends_on=today() - datetime.timedelta(days=days - 40)
    )
    consultation.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        services.comment_submit(actor=UserFactory(), consultation=consultation, data=comment())
    assert consultation.starts_on.strftime("%d.%m.%Y") in raised.value.messages[0]
    assert consultation.ends_on.strftime("%d.%m.%Y") in raised.value.messages[0]
    assert not Comment.objects.exists()


def test_a_comment_is_refused_when_the_calendar_holds_stage_vii_closed(setup, close_all_windows):
    with pytest.raises(WindowClosed):
        services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment())


def test_an_unverified_account_cannot_comment(setup):
    with pytest.raises(PermissionDenied):
        services.comment_submit(actor=UserFactory(verified=False), consultation=setup["consultation"], data=comment())
    assert not Comment.objects.exists()


def test_more_than_10000_characters_is_refused(setup):
    with pytest.raises(ValidationError) as raised:
        services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment(text="a" * 10001))
    assert "10 000" in raised.value.message_dict["text"][0]
    services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment(text="a" * 10000))


def test_markup_is_kept_as_text(setup):
    text = '<script>alert("x")</script> <b>pogrubienie</b> i reszta uwagi'
    made = services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment(text=text))
    assert made.text == text  # pages escape it: tests/consultation/test_views.py


def test_a_fragment_of_another_version_is_refused(setup):
    other = draft()["blocks"][0]
    with pytest.raises(ValidationError, match="no such fragment"):
        services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment(other))


def test_a_comment_on_a_block_a_later_version_removed_stays_with_its_version(setup):
    block = setup["blocks"][0]
    made = services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment(block))
    team = editor()
    later = strategy_services.version_create(actor=team, strategy=setup["version"].strategy, based_on=setup["version"])
    strategy_services.block_delete(actor=team, block=Block.objects.get(version=later, key=block.key))
    assert not Block.objects.filter(version=later, key=block.key).exists()
    # Still a paragraph of the consulted version: new comments on it are accepted, old ones keep it.
    again = services.comment_submit(actor=UserFactory(), consultation=setup["consultation"], data=comment(block))
    made.refresh_from_db()
    assert made.block == block
    assert again.block == block
    assert made.version == setup["version"]


def test_a_new_provision_needs_its_wording(setup):
    with pytest.raises(ValidationError) as raised:
        services.comment_submit(
            actor=UserFactory(), consultation=setup["consultation"], data=comment(target=Target.NEW_PROVISION)
        )
    assert "proposed_wording" in raised.value.message_dict


# Offline comments ----------------------------------------------------------------------------------


def offline(consultation, **overrides) -> OfflineData:
    values = {"channel": CommentChannel.PAPER, "received_on": today(), "fragment": "1.1–2", **overrides}
    return OfflineData(**values)


def test_staff_enter_a_paper_comment_published_and_logged(setup):
    consultation = setup["consultation"]
    staff = moderator()
    made = services.comment_enter(
        actor=staff,
        consultation=consultation,
        data=CommentData(target="", text="Uwaga z formularza papierowego o parkach.", commenter_name="Jan Nowak"),
        offline=offline(consultation, external_id="F-17"),
    )
    assert made.block == setup["blocks"][1]
    assert made.target == Target.BLOCK
    assert made.status == ModerationStatus.PUBLISHED
    assert made.entered_by == staff
    entry = ModerationLogEntry.objects.get(content_type=ContentType.objects.get_for_model(Comment), object_id=made.pk)
    assert entry.action == ModerationAction.IMPORT


def test_a_meeting_comment_names_its_meeting(setup):
    consultation = setup["consultation"]
    with pytest.raises(ValidationError) as raised:
        services.comment_enter(
            actor=moderator(),
            consultation=consultation,
            data=CommentData(target="", text="Uwaga zgłoszona na debacie w ratuszu."),
            offline=offline(consultation, channel=CommentChannel.MEETING),
        )
    assert "meeting" in raised.value.message_dict
    meeting = make_meeting(consultation)
    made = services.comment_enter(
        actor=moderator(),
        consultation=consultation,
        data=CommentData(target="", text="Uwaga zgłoszona na debacie w ratuszu."),
        offline=offline(consultation, channel=CommentChannel.MEETING, meeting=meeting, fragment="1"),
    )
    assert made.meeting == meeting
    assert made.target == Target.CHAPTER


def test_an_offline_comment_received_outside_the_period_is_refused(setup):
    consultation = setup["consultation"]
    with pytest.raises(ValidationError) as raised:
        services.comment_enter(
            actor=moderator(),
            consultation=consultation,
            data=CommentData(target="", text="List wysłany przed ogłoszeniem."),
            offline=offline(consultation, received_on=consultation.starts_on - datetime.timedelta(days=1)),
        )
    assert "received_on" in raised.value.message_dict
    assert not Comment.objects.exists()


def test_residents_do_not_enter_offline_comments(setup):
    with pytest.raises(PermissionDenied):
        services.comment_enter(
            actor=UserFactory(),
            consultation=setup["consultation"],
            data=CommentData(target="", text="Uwaga wpisana przez mieszkańca."),
            offline=offline(setup["consultation"]),
        )
