"""Preparing and announcing a consultation, and its meetings (art. 6 ust. 4–5 u.z.p.p.r.)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from participation.models import Channel, District
from participation.services import event_create, event_update
from stages.models import Stage, WindowKind
from stages.services import window_set_dates
from strategy.models import StrategyVersion, VersionState

from ..models import Consultation, Meeting

# The stage of the city's calendar that holds the formal consultation (the seed's numbering).
CONSULTATION_STAGE = 7
MEETING_CHANNEL = "spotkanie-dzielnicowe"


@dataclass
class ConsultationData:
    """What a coordinator fills in: the period and the announcement."""

    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    announcement: str
    who_may_comment: str
    contact_person: str
    online_form: bool = True
    paper_forms: str = ""
    email_address: str = ""
    postal_address: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    published_where: str = ""
    visibility: str = "after_moderation"


def period_problem(starts_on: datetime.date, ends_on: datetime.date) -> str | None:
    """Art. 6 ust. 5: at least 35 days from the announcement, which is published on the first day at the latest."""
    if starts_on is None or ends_on is None:
        return None
    earliest = starts_on + datetime.timedelta(days=Consultation.PERIOD_MIN_DAYS)
    if ends_on >= earliest:
        return None
    return _(
        "The consultation must last at least %(min)d days from its announcement (art. 6 ust. 5 of the act on "
        "development policy). From %(start)s to %(end)s is %(days)d days: the last day can be %(earliest)s at the "
        "earliest."
    ) % {
        "min": Consultation.PERIOD_MIN_DAYS,
        "start": starts_on.strftime("%d.%m.%Y"),
        "end": ends_on.strftime("%d.%m.%Y"),
        "days": (ends_on - starts_on).days,
        "earliest": earliest.strftime("%d.%m.%Y"),
    }


def _check_period(starts_on, ends_on) -> None:
    problem = period_problem(starts_on, ends_on)
    if problem:
        raise ValidationError({"ends_on": problem}, code="period")


def _apply(consultation: Consultation, data: ConsultationData) -> None:
    for field in fields(data):
        value = getattr(data, field.name)
        setattr(consultation, field.name, value.strip() if isinstance(value, str) else value)
    if not consultation.online_form and not (
        consultation.paper_forms or consultation.email_address or consultation.postal_address
    ):
        raise ValidationError(
            _("Give at least one way of submitting comments: the online form, paper forms, e-mail or letters."),
            code="no_form",
        )


@transaction.atomic
def consultation_create(*, actor, version: StrategyVersion, data: ConsultationData) -> Consultation:
    """Prepare the consultation of a consultation-draft version; it stays unpublished until announced."""
    require_permission(actor, "consultation.manage_consultation")
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.CONSULTATION_DRAFT:
        raise ValidationError(
            _("Only a version published as the consultation draft is consulted; version %(number)d is “%(state)s”.")
            % {"number": version.number, "state": version.get_state_display()},
            code="version_state",
        )
    if Consultation.objects.filter(version=version).exists():
        raise ValidationError(
            _("Version %(number)d already has its consultation.") % {"number": version.number}, code="exists"
        )
    _check_period(data.starts_on, data.ends_on)
    if data.starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("The consultation cannot start in the past.")}, code="past")
    consultation = Consultation(version=version, created_by=actor)
    _apply(consultation, data)
    consultation.full_clean()
    consultation.save()
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("version").get(pk=consultation.pk)


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, data: ConsultationData) -> Consultation:
    """Change the announcement or the period. Once announced, the start stays and the end may only move later."""
    require_permission(actor, "consultation.manage_consultation", consultation)
    consultation = _locked(consultation)
    if consultation.report_generated_at:
        raise ValidationError(_("The report has been generated: the consultation no longer changes."), code="done")
    _check_period(data.starts_on, data.ends_on)
    if consultation.announced_at:
        today = timezone.localdate()
        if data.starts_on != consultation.starts_on:
            raise ValidationError(
                {"starts_on": _("The consultation has been announced: its first day no longer changes.")},
                code="announced",
            )
        if data.ends_on < consultation.ends_on:
            raise ValidationError(
                {"ends_on": _("The consultation has been announced: its deadline may be extended, never shortened.")},
                code="announced",
            )
        if data.ends_on != consultation.ends_on and consultation.ends_on < today:
            raise ValidationError({"ends_on": _("The consultation has ended: its deadline is final.")}, code="ended")
    elif data.starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("The consultation cannot start in the past.")}, code="past")
    _apply(consultation, data)
    consultation.full_clean()
    consultation.save()
    if consultation.announced_at:
        _sync_window(actor, consultation)
    return consultation


def _stage() -> Stage | None:
    return Stage.objects.filter(number=CONSULTATION_STAGE).first()


def _sync_window(actor, consultation: Consultation) -> None:
    """The calendar's consultation window holds exactly the consultation's days."""
    stage = _stage()
    if stage is not None:
        window_set_dates(
            actor=actor,
            stage=stage,
            kind=WindowKind.CONSULTATION,
            opens_on=consultation.starts_on,
            closes_on=consultation.ends_on,
        )


@transaction.atomic
def consultation_announce(*, actor, consultation: Consultation) -> Consultation:
    """Publish the announcement on the portal: on the first day at the latest (art. 6 ust. 4)."""
    require_permission(actor, "consultation.manage_consultation", consultation)
    consultation = _locked(consultation)
    if consultation.announced_at:
        raise ValidationError(_("The consultation has already been announced."), code="announced")
    today = timezone.localdate()
    if today > consultation.starts_on:
        raise ValidationError(
            _(
                "The announcement must be published on the first day of the consultation at the latest (art. 6 "
                "ust. 4). The first day was %(start)s: set a new period starting today or later."
            )
            % {"start": consultation.starts_on.strftime("%d.%m.%Y")},
            code="late",
        )
    _check_period(consultation.starts_on, consultation.ends_on)
    consultation.announced_at = timezone.now()
    consultation.announced_by = actor
    consultation.save(update_fields=["announced_at", "announced_by", "updated_at"])
    _sync_window(actor, consultation)
    return consultation


# Meetings -------------------------------------------------------------------------------------


@dataclass
class MeetingData:
    title: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    description: str = ""
    district: District | None = None


def _meeting_event_fields(data: MeetingData) -> dict:
    district = data.district or District.objects.filter(is_whole_city=True).first()
    channel = Channel.objects.filter(code=MEETING_CHANNEL).first() or Channel.objects.filter(is_online=False).first()
    if district is None or channel is None:
        raise ValidationError(_("The districts and channels have not been loaded (load_reference_data)."))
    return {
        "title": data.title,
        "description": data.description,
        "channel": channel,
        "district": district,
        "place": data.place,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
    }


@transaction.atomic
def meeting_add(*, actor, consultation: Consultation, data: MeetingData) -> Meeting:
    """A meeting or debate of the consultation: an event of the portal (listed on stage VII's page)."""
    require_permission(actor, "consultation.manage_consultation", consultation)
    consultation = _locked(consultation)
    stage = _stage()
    if stage is None:
        raise ValidationError(_("The stages have not been loaded (load_reference_data)."))
    event = event_create(actor=actor, stage=stage, **_meeting_event_fields(data))
    meeting = Meeting(consultation=consultation, event=event)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, data: MeetingData, participants: int | None = None, notes: str = ""
) -> Meeting:
    """Change the meeting's event, and record how many came and what was said."""
    meeting = Meeting.objects.select_for_update().select_related("consultation", "event").get(pk=meeting.pk)
    require_permission(actor, "consultation.manage_consultation", meeting.consultation)
    if meeting.consultation.report_published_at:
        raise ValidationError(_("The report has been published: the meetings no longer change."), code="done")
    fields = _meeting_event_fields(data)
    if data.district is None:
        fields.pop("district")
    event_update(actor=actor, event=meeting.event, **fields)
    meeting.participants = participants
    meeting.notes = (notes or "").strip()
    meeting.full_clean()
    meeting.save(update_fields=["participants", "notes"])
    return meeting
