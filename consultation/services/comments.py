"""Comments coming in: online from verified accounts, and entered by staff from meetings, paper forms, e-mails
and letters. Every comment gets the next number of its consultation and stays attached to the consulted
version and to the stable keys of what it is about."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from participation.models import ModerationAction, ModerationStatus
from stages.models import WindowKind
from stages.services import require_open_window
from strategy.models import Block, Chapter, Section

from ..fragments import Fragments
from ..models import OFFLINE_CHANNELS, Comment, CommentChannel, Consultation, Meeting, Phase, SpeaksAs, Target
from .moderation import log_entries, public_comments_changed
from .ratelimits import count_comment, refuse_if_limited


@dataclass
class CommentData:
    """The fields of the form (online) or of a paper comment (offline)."""

    target: str
    key: str = ""  # the stable key of the block, section or chapter (for a new provision: optional)
    text: str = ""
    proposed_wording: str = ""
    justification: str = ""
    speaks_as: str = SpeaksAs.PERSON
    commenter_name: str = ""


def normalize(text: str) -> str:
    """Browsers send CRLF; store and count a line break as one character, as the counter does."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_fields(data: CommentData, *, justification_required: bool) -> CommentData:
    """Lengths and required fields, with a message per field. Markup stays text: pages escape it."""
    errors = {}
    data.text = normalize(data.text)
    data.proposed_wording = normalize(data.proposed_wording)
    data.justification = normalize(data.justification)
    data.commenter_name = " ".join((data.commenter_name or "").split())
    if len(data.text) < Comment.TEXT_MIN_LENGTH:
        errors["text"] = _("Write the comment: at least %(min)d characters.") % {"min": Comment.TEXT_MIN_LENGTH}
    if justification_required and not data.justification:
        errors["justification"] = _("Say why: the justification helps the city answer the comment.")
    for field in ("text", "proposed_wording", "justification"):
        length = len(getattr(data, field))
        if length > Comment.TEXT_MAX_LENGTH:
            errors[field] = _("At most %(max)s characters (this has %(length)s).") % {
                "max": f"{Comment.TEXT_MAX_LENGTH:,}".replace(",", " "),
                "length": f"{length:,}".replace(",", " "),
            }
    if data.speaks_as not in SpeaksAs.values:
        errors["speaks_as"] = _("Say whether you comment in your own name or for an organisation.")
    elif data.speaks_as == SpeaksAs.ORGANISATION and not data.commenter_name:
        errors["commenter_name"] = _("Give the name of the organisation or institution you speak for.")
    if len(data.commenter_name) > Comment.NAME_MAX_LENGTH:
        errors["commenter_name"] = _("At most %(max)d characters.") % {"max": Comment.NAME_MAX_LENGTH}
    if data.target == Target.NEW_PROVISION and not data.proposed_wording:
        errors["proposed_wording"] = _("A new provision needs its proposed wording.")
    if errors:
        raise ValidationError(errors)
    return data


def resolve_target(consultation: Consultation, target: str, key: str = "") -> dict:
    """The keys and rows a comment on `target` points at, in the consulted version; refused when the version
    has no such element (a key of another version, or one typed by hand)."""
    version_id = consultation.version_id
    key = (key or "").strip()
    missing = ValidationError(
        _("Version %(number)d of the draft has no such fragment: choose it on the consultation's page.")
        % {"number": consultation.version.number},
        code="no_fragment",
    )
    if target == Target.BLOCK:
        block = Block.objects.filter(version_id=version_id, key=key).select_related("chapter", "section").first()
        if block is None:
            raise missing
        return {
            "block": block,
            "block_key": block.key,
            "section": block.section,
            "section_key": block.section.key if block.section_id else "",
            "chapter": block.chapter,
            "chapter_key": block.chapter.key,
        }
    if target == Target.SECTION:
        section = Section.objects.filter(version_id=version_id, key=key).select_related("chapter").first()
        if section is None:
            raise missing
        return {
            "section": section,
            "section_key": section.key,
            "chapter": section.chapter,
            "chapter_key": section.chapter.key,
        }
    if target == Target.CHAPTER:
        chapter = Chapter.objects.filter(version_id=version_id, key=key).first()
        if chapter is None:
            raise missing
        return {"chapter": chapter, "chapter_key": chapter.key}
    if target == Target.NEW_PROVISION and key:
        # Where the new provision would go: a section or a chapter of the version (optional).
        section = Section.objects.filter(version_id=version_id, key=key).select_related("chapter").first()
        if section is not None:
            return {
                "section": section,
                "section_key": key,
                "chapter": section.chapter,
                "chapter_key": section.chapter.key,
            }
        chapter = Chapter.objects.filter(version_id=version_id, key=key).first()
        if chapter is None:
            raise missing
        return {"chapter": chapter, "chapter_key": key}
    if target in (Target.DOCUMENT, Target.NEW_PROVISION):
        return {}
    raise ValidationError(_("Choose what the comment is about."), code="target")


def closed_message(consultation: Consultation, today: datetime.date) -> str | None:
    """Why comments are not accepted today, with the dates; None when they are."""
    phase = consultation.phase(today)
    dates = {"start": consultation.starts_on.strftime("%d.%m.%Y"), "end": consultation.ends_on.strftime("%d.%m.%Y")}
    if phase == Phase.OPEN:
        return None
    if phase == Phase.PREPARED:
        return _("This consultation has not been announced yet.")
    if phase == Phase.ANNOUNCED:
        return _("Comments are accepted from %(start)s to %(end)s: the consultation has not started yet.") % dates
    return _("Comments were accepted from %(start)s to %(end)s: the consultation has ended.") % dates


def _lock_and_number(consultation: Consultation) -> tuple[Consultation, int]:
    """Lock the consultation and take its next comment number (committed with the comment, or not at all)."""
    locked = Consultation.objects.select_for_update().select_related("version").get(pk=consultation.pk)
    locked.last_number += 1
    Consultation.objects.filter(pk=locked.pk).update(last_number=locked.last_number)
    return locked, locked.last_number


def _store(consultation: Consultation, number: int, data: CommentData, **how) -> Comment:
    """Save one comment of the (locked) consultation, attached to its version and the keys of its fragment."""
    comment = Comment(
        consultation=consultation,
        version=consultation.version,
        number=number,
        target=data.target,
        text=data.text,
        proposed_wording=data.proposed_wording,
        justification=data.justification,
        speaks_as=data.speaks_as,
        commenter_name=data.commenter_name,
        **how,
        **resolve_target(consultation, data.target, data.key),
    )
    comment.full_clean(exclude=["consultation", "version", "block", "section", "chapter", "author", "meeting"])
    comment.save()
    return comment


def comment_submit(
    *, actor, consultation: Consultation, data: CommentData, submission_token: str = "", ip_address: str | None = None
) -> Comment:
    """A verified account comments online while the consultation is open; it waits for moderation.

    A second submission of the same form (a double click) returns the first comment and creates nothing.
    """
    require_permission(
        actor, "consultation.submit_comment", consultation, message=_("Verify your e-mail address before you comment.")
    )
    today = timezone.localdate()
    message = closed_message(consultation, today)
    if message:
        raise ValidationError(message, code="closed")
    require_open_window(WindowKind.CONSULTATION)
    if not consultation.online_form:
        raise ValidationError(_("This consultation takes comments on paper, by e-mail or by letter only."))
    data = clean_fields(data, justification_required=True)
    token = (submission_token or "").strip()[:64] or None
    if token:
        existing = Comment.objects.filter(consultation=consultation, submission_token=token, author=actor).first()
        if existing is not None:
            return existing
    hit = refuse_if_limited(actor=actor, ip_address=ip_address)
    try:
        with transaction.atomic():
            locked, number = _lock_and_number(consultation)
            if token:  # the first click may have committed while this one waited for the lock
                existing = Comment.objects.filter(consultation=locked, submission_token=token, author=actor).first()
                if existing is not None:
                    transaction.set_rollback(True)
                    count_comment(hit, stored=False)
                    return existing
            comment = _store(
                locked,
                number,
                data,
                author=actor,
                channel=CommentChannel.ONLINE,
                received_on=today,
                submission_token=token,
                status=ModerationStatus.PENDING,
            )
    except Exception:
        count_comment(hit, stored=False)
        raise
    return comment


@dataclass
class OfflineData:
    channel: str
    received_on: datetime.date
    meeting: Meeting | None = None
    external_id: str = ""
    fragment: str = ""  # as staff name it: "3.2–1", "3.2", "3", a key, "dokument", "nowy zapis"


def check_offline(consultation: Consultation, offline: OfflineData, today: datetime.date) -> list[tuple[str, str]]:
    """Problems with how and when an offline comment came in, as (field, message)."""
    problems = []
    if offline.channel not in OFFLINE_CHANNELS:
        problems.append(
            ("channel", _("Choose the channel the comment came through: a meeting, paper, e-mail, letter."))
        )
    if offline.channel == CommentChannel.MEETING and offline.meeting is None:
        problems.append(("meeting", _("Choose the meeting the comment was made at.")))
    if offline.meeting is not None and offline.meeting.consultation_id != consultation.pk:
        problems.append(("meeting", _("That meeting belongs to another consultation.")))
    if offline.received_on is None:
        problems.append(("received_on", _("Give the date the comment was received.")))
    elif offline.received_on > today:
        problems.append(("received_on", _("The date is in the future.")))
    elif not consultation.starts_on <= offline.received_on <= consultation.ends_on:
        problems.append(
            (
                "received_on",
                _("Comments count when received from %(start)s to %(end)s (the consultation's period).")
                % {
                    "start": consultation.starts_on.strftime("%d.%m.%Y"),
                    "end": consultation.ends_on.strftime("%d.%m.%Y"),
                },
            )
        )
    return problems


def comment_enter(*, actor, consultation: Consultation, data: CommentData, offline: OfflineData) -> Comment:
    """Staff type in a comment from a meeting, a paper form, an e-mail or a letter.

    Staff read it as they type it: it is published at once, logged as imported. The consultation's period
    decides (a letter posted on the last day is entered days later), not today's date.
    """
    require_permission(actor, "consultation.enter_comments", consultation)
    if not consultation.announced_at:
        raise ValidationError(_("This consultation has not been announced yet."), code="closed")
    if consultation.report_generated_at:
        raise ValidationError(_("The report has been generated: no more comments are entered."), code="done")
    problems = dict(check_offline(consultation, offline, timezone.localdate()))
    found = Fragments(consultation).find(offline.fragment)
    if found is None:
        problems["fragment"] = _("No fragment of the consulted version has this number or key.")
    if problems:
        raise ValidationError(problems)
    data.target, data.key = found
    data = clean_fields(data, justification_required=False)
    external_id = (offline.external_id or "").strip() or None
    with transaction.atomic(durable=True):
        locked, number = _lock_and_number(consultation)
        if external_id and Comment.objects.filter(consultation=locked, external_id=external_id).exists():
            raise ValidationError(
                {"external_id": _("A comment with this external id has already been entered.")}, code="duplicate"
            )
        now = timezone.now()
        comment = _store(
            locked,
            number,
            data,
            channel=offline.channel,
            received_on=offline.received_on,
            meeting=offline.meeting,
            external_id=external_id,
            entered_by=actor,
            status=ModerationStatus.PUBLISHED,
            moderated_by=actor,
            moderated_at=now,
            published_at=now,
        )
        reason = _("Entered by staff (%(channel)s).") % {"channel": comment.get_channel_display()}
        log_entries(actor=actor, action=ModerationAction.IMPORT, comment_ids=[comment.pk], reason=reason)
        public_comments_changed(locked.pk)
    return comment
