"""Writes of participation: submitting, flagging and moderating opinions, events.

Every function takes keyword arguments, validates with `full_clean()`, runs under
`transaction.atomic`, and schedules e-mail with `transaction.on_commit` through a Celery task that
takes ids, so that an opinion is always stored first and a broker outage never loses it.
Every service that changes what the public sees calls `public_opinions_changed()`.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from accounts.rules import has_verified_email
from lublin2030 import ratelimit
from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from lublin2030.versions import bump_publication_of, bump_publication_version, list_scope
from stages.models import WindowKind
from stages.selectors import open_window
from stages.services import require_open_window

from .models import (
    Channel,
    Event,
    FlagReason,
    ModerationAction,
    ModerationLogEntry,
    ModerationStatus,
    Opinion,
    OpinionFlag,
)

logger = logging.getLogger(__name__)


# --- publication version -------------------------------------------------------------------------


# A decision about more opinions than this retires every list page: their scopes would cover most.
SCOPED_DECISION_MAX = 5


def public_opinions_changed(*, decided: list[Opinion] | None = None) -> None:
    """Call from any write that changes which opinions are public or what they say (imports too).

    It retires the cached public views of opinions (`lublin2030.versions`) and, after commit, folds
    the rows that the triggers appended to `PublicOpinionCount` (the counts are exact without it; it
    keeps them short). `decided`: the opinions of a moderation decision, whose area, district,
    channel and stage are all that changed, so list pages filtered elsewhere stay cached
    (`public_list.list_version`); without it every list page is retired.
    """
    from .public_counts import public_counts_compact

    if decided and len(decided) <= SCOPED_DECISION_MAX:
        scopes = set()
        for opinion in decided:
            for dimension in ("area", "district", "channel", "stage"):
                pk = getattr(opinion, f"{dimension}_id")
                if pk is not None:
                    scopes.add(list_scope(dimension, pk))
        bump_publication_of(scopes)
    else:
        bump_publication_version()
    transaction.on_commit(public_counts_compact, robust=True)


# --- rate limits (lublin2030.ratelimit: RATE_LIMITS "opinion:user", "opinion:ip", "flag:user") -------


TOO_MANY_OPINIONS = ngettext_lazy(
    "You have sent too many opinions in a short time. Please try again in %(minutes)d minute.",
    "You have sent too many opinions in a short time. Please try again in %(minutes)d minutes.",
    "minutes",
)
TOO_MANY_FLAGS = ngettext_lazy(
    "You have reported too many opinions in a short time. Please try again in %(minutes)d minute.",
    "You have reported too many opinions in a short time. Please try again in %(minutes)d minutes.",
    "minutes",
)


# --- submitting ----------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """Browsers send line breaks as CRLF; count and store them as one character, as the counter does."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def validate_opinion_text(text: str) -> None:
    if len(text) < Opinion.TEXT_MIN_LENGTH:
        raise ValidationError(
            {
                "text": _("The opinion must have at least %(min)d characters (it has %(count)d).")
                % {"min": Opinion.TEXT_MIN_LENGTH, "count": len(text)}
            },
            code="min_length",
        )
    if len(text) > Opinion.TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The opinion may have at most %(max)d characters (it has %(count)d).")
                % {"max": Opinion.TEXT_MAX_LENGTH, "count": len(text)}
            },
            code="max_length",
        )


def opinion_submit(
    *, actor, area, district, text: str, age_bracket: str = "", ip_address: str | None = None
) -> Opinion:
    """A resident sends an opinion through the online form; it waits for moderation.

    Refused when the opinions window is closed (`WindowClosed`), for an account without a verified
    e-mail (`PermissionDenied`) and above the rate limits (`RateLimited`).
    """
    require_open_window(WindowKind.OPINIONS)
    require_permission(
        actor, "participation.submit_opinion", message=_("Verify your e-mail address before you send an opinion.")
    )
    text = normalize_text(text)
    validate_opinion_text(text)
    hit = ratelimit.require(
        ratelimit.limit("opinion:user", actor.pk), ratelimit.limit("opinion:ip", ip_address), message=TOO_MANY_OPINIONS
    )
    window = open_window(WindowKind.OPINIONS)
    try:
        with transaction.atomic():
            opinion = Opinion(
                text=text,
                area=area,
                district=district,
                channel=Channel.objects.get(code=Channel.ONLINE_FORM),
                stage=window.stage if window else None,
                age_bracket=age_bracket or "",
                author=actor,
                status=ModerationStatus.PENDING,
                collected_on=timezone.localdate(),
            )
            opinion.full_clean()
            opinion.save()
    except Exception:
        hit.undo()  # counted before saving (that is what makes the limit atomic); nothing was stored
        raise
    return opinion


# --- moderation ----------------------------------------------------------------------------------

MODERATION_ACTIONS = (ModerationAction.PUBLISH, ModerationAction.REJECT, ModerationAction.RESTORE)
CLOSES_FLAGS = (ModerationAction.REJECT, ModerationAction.RESTORE)
BULK_BATCH_SIZE = 500


def _close_flags(opinion_ids: list[int], *, now) -> None:
    OpinionFlag.objects.filter(opinion_id__in=opinion_ids, reviewed_at__isnull=True).update(reviewed_at=now)


def _opinion_content_type():
    return ContentType.objects.get_for_model(Opinion)


def _apply(
    *, actor, opinion: Opinion, action: str, reason: str, now
) -> tuple[ModerationLogEntry, bool, list[str], bool]:
    """Change one locked opinion in memory; the caller saves it (one by one or in bulk).

    Returns (unsaved log entry, whether to tell the author, changed fields, whether the public changed).
    Rejecting or restoring also closes the opinion's open flags: the caller does that for all at once.
    """
    was_public = opinion.is_public
    if action == ModerationAction.PUBLISH and opinion.status == ModerationStatus.PUBLISHED and opinion.hidden_by_flags:
        action = ModerationAction.RESTORE  # publishing a flagged-hidden opinion is restoring it
    if action == ModerationAction.PUBLISH:
        if opinion.status == ModerationStatus.PUBLISHED:
            raise ValidationError(_("Opinion #%(pk)d is already published.") % {"pk": opinion.pk}, code="invalid_state")
        opinion.status = ModerationStatus.PUBLISHED
        opinion.rejection_reason = ""
        opinion.published_at = opinion.published_at or now
        opinion.hidden_by_flags = False
        notify = True
    elif action == ModerationAction.REJECT:
        if opinion.status == ModerationStatus.REJECTED:
            raise ValidationError(_("Opinion #%(pk)d is already rejected.") % {"pk": opinion.pk}, code="invalid_state")
        if not reason:
            raise ValidationError(
                {"reason": _("Give the reason for rejecting: the author will read it.")}, code="required"
            )
        opinion.status = ModerationStatus.REJECTED
        opinion.rejection_reason = reason
        opinion.hidden_by_flags = False
        notify = True
    elif action == ModerationAction.RESTORE:
        if not (opinion.status == ModerationStatus.PUBLISHED and opinion.hidden_by_flags):
            raise ValidationError(
                _("Opinion #%(pk)d is not hidden after flags.") % {"pk": opinion.pk}, code="invalid_state"
            )
        opinion.hidden_by_flags = False
        notify = False
    else:
        raise ValidationError(_("Unknown moderation action."), code="invalid_action")
    if action in CLOSES_FLAGS:
        opinion.flag_count = 0
    opinion.moderated_by = actor
    opinion.moderated_at = now
    # Only the fields moderation changes are validated: checking every foreign key again would cost a
    # query per key and per opinion in bulk moderation.
    opinion.full_clean(
        exclude=[field.name for field in Opinion._meta.fields if field.name not in ("status", "rejection_reason")],
        validate_unique=False,
        validate_constraints=False,
    )
    fields = [
        "status",
        "rejection_reason",
        "published_at",
        "hidden_by_flags",
        "flag_count",
        "moderated_by",
        "moderated_at",
        "updated_at",
    ]
    entry = ModerationLogEntry(
        actor=actor, action=action, content_type=_opinion_content_type(), object_id=opinion.pk, reason=reason
    )
    public_changed = was_public != opinion.is_public or action == ModerationAction.PUBLISH
    return entry, notify, fields, public_changed


def _require_moderator(actor) -> None:
    require_permission(actor, "participation.moderate_opinion", message=_("Only moderators may moderate opinions."))


@transaction.atomic
def opinion_moderate(*, actor, opinion: Opinion, action: str, reason: str = "") -> Opinion:
    """Publish, reject (with a reason) or restore one opinion, logged, the author told by e-mail."""
    _require_moderator(actor)
    reason = (reason or "").strip()
    locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
    now = timezone.now()
    entry, notify, fields, public_changed = _apply(actor=actor, opinion=locked, action=action, reason=reason, now=now)
    locked.save(update_fields=fields)
    if entry.action in CLOSES_FLAGS:
        _close_flags([locked.pk], now=now)
    entry.full_clean()
    entry.save()
    if public_changed:
        public_opinions_changed(decided=[locked])
    if notify:
        _schedule_decision_emails([locked.pk])
    return locked


def opinion_publish(*, actor, opinion: Opinion, reason: str = "") -> Opinion:
    return opinion_moderate(actor=actor, opinion=opinion, action=ModerationAction.PUBLISH, reason=reason)


def opinion_reject(*, actor, opinion: Opinion, reason: str) -> Opinion:
    return opinion_moderate(actor=actor, opinion=opinion, action=ModerationAction.REJECT, reason=reason)


def opinion_restore(*, actor, opinion: Opinion, reason: str = "") -> Opinion:
    return opinion_moderate(actor=actor, opinion=opinion, action=ModerationAction.RESTORE, reason=reason)


@transaction.atomic(durable=True)
def opinions_moderate_bulk(*, actor, opinion_ids: list[int], action: str, reason: str = "") -> dict:
    """The same decision for many opinions at once; opinions already in that state are skipped.

    Returns {"done": [ids], "skipped": [ids]}. A rejection without a reason refuses the whole batch.
    The number of queries does not depend on how many opinions are decided (up to BULK_BATCH_SIZE per
    UPDATE): one locking read, one UPDATE of the opinions, one of their flags, one INSERT of the log.
    """
    _require_moderator(actor)
    reason = (reason or "").strip()
    if action not in MODERATION_ACTIONS:
        raise ValidationError(_("Unknown moderation action."), code="invalid_action")
    if action == ModerationAction.REJECT and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting: the author will read it.")}, code="required")
    now = timezone.now()
    changed_opinions, skipped, entries, notify_ids, fields = [], [], [], [], []
    public_changed = False
    for opinion in Opinion.objects.select_for_update().filter(pk__in=set(opinion_ids)).order_by("pk"):
        try:
            entry, notify, fields, changed = _apply(actor=actor, opinion=opinion, action=action, reason=reason, now=now)
        except ValidationError:
            skipped.append(opinion.pk)
            continue
        changed_opinions.append(opinion)
        entries.append(entry)
        public_changed = public_changed or changed
        if notify:
            notify_ids.append(opinion.pk)
    done = [opinion.pk for opinion in changed_opinions]
    if changed_opinions:
        for opinion in changed_opinions:
            opinion.updated_at = now  # bulk_update does not run auto_now
        Opinion.objects.bulk_update(changed_opinions, fields, batch_size=BULK_BATCH_SIZE)
        if any(entry.action in CLOSES_FLAGS for entry in entries):
            _close_flags([entry.object_id for entry in entries if entry.action in CLOSES_FLAGS], now=now)
    ModerationLogEntry.objects.bulk_create(entries)
    if public_changed:
        public_opinions_changed(decided=changed_opinions)
    if notify_ids:
        _schedule_decision_emails(notify_ids)
    return {"done": done, "skipped": skipped}


# --- flags ---------------------------------------------------------------------------------------


def flags_to_hide() -> int:
    return max(1, settings.OPINION_FLAGS_TO_HIDE)


@transaction.atomic
def opinion_flag(*, actor, opinion: Opinion, reason: str, details: str = "") -> OpinionFlag:
    """A resident reports a published opinion; at the threshold it is hidden until a moderator decides."""
    if not has_verified_email(actor):
        raise PermissionDenied(_("Verify your e-mail address before you report an opinion."))
    locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if locked.author_id == actor.pk:
        raise PermissionDenied(_("You cannot report your own opinion."))
    if not locked.is_public:
        raise ValidationError(_("This opinion is not public, so it cannot be reported."), code="not_public")
    if OpinionFlag.objects.filter(opinion=locked, user=actor).exists():
        raise ValidationError(_("You have already reported this opinion."), code="already_flagged")
    hit = ratelimit.require(ratelimit.limit("flag:user", actor.pk), message=TOO_MANY_FLAGS)
    flag = OpinionFlag(opinion=locked, user=actor, reason=reason, details=(details or "").strip())
    try:
        flag.full_clean()
    except ValidationError:
        hit.undo()
        raise
    flag.save()
    locked.flag_count = OpinionFlag.objects.filter(opinion=locked, reviewed_at__isnull=True).count()
    fields = ["flag_count", "updated_at"]
    if locked.flag_count >= flags_to_hide():
        locked.hidden_by_flags = True
        fields.append("hidden_by_flags")
        reasons = OpinionFlag.objects.filter(opinion=locked, reviewed_at__isnull=True).values_list("reason", flat=True)
        summary = ", ".join(sorted({str(FlagReason(value).label) for value in reasons}))
        ModerationLogEntry.objects.create(
            actor=None,
            action=ModerationAction.FLAG_HIDE,
            content_type=_opinion_content_type(),
            object_id=locked.pk,
            reason=_("%(count)d reports: %(reasons)s") % {"count": locked.flag_count, "reasons": summary},
        )
        public_opinions_changed(decided=[locked])
    locked.save(update_fields=fields)
    return flag


# --- e-mail to the author ------------------------------------------------------------------------


def _schedule_decision_emails(opinion_ids: list[int]) -> None:
    from .tasks import notify_moderation_decision

    enqueue(notify_moderation_decision, opinion_ids=list(opinion_ids))


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _decision_message(opinion: Opinion) -> EmailMessage:
    parts, subjects = [], []
    for language in ("pl", "en"):
        with translation.override(language):
            context = {
                "opinion": opinion,
                "published": opinion.status == ModerationStatus.PUBLISHED,
                "opinion_url": _absolute(reverse("participation:opinion_detail", kwargs={"pk": opinion.pk})),
                "my_opinions_url": _absolute(reverse("participation:my_opinions")),
                "process_name": settings.PROCESS_NAME,
            }
            subjects.append(
                _("Your opinion has been published")
                if context["published"]
                else _("Your opinion has not been published")
            )
            parts.append(render_to_string("participation/email/decision.txt", context).strip())
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subjects[0]} / {subjects[1]}"
    body = parts[0] + "\n\n---------- English ----------\n\n" + parts[1] + "\n"
    return EmailMessage(subject=subject, body=body, to=[opinion.author.email])


def opinion_decisions_notify(*, opinion_ids: list[int]) -> list[int]:
    """Tell each author the decision on their opinion. Returns the ids whose e-mail failed."""
    failed = []
    opinions = Opinion.objects.filter(pk__in=opinion_ids, author__isnull=False).select_related("author")
    for opinion in opinions:
        if opinion.status == ModerationStatus.PENDING or not opinion.author.email or not opinion.author.is_active:
            continue
        try:
            _decision_message(opinion).send()
        except Exception:
            logger.exception("Could not send the moderation e-mail for opinion %s", opinion.pk)
            failed.append(opinion.pk)
    return failed


# --- events --------------------------------------------------------------------------------------

EVENT_FIELDS = ("title", "description", "stage", "channel", "district", "place", "starts_at", "ends_at")


def _require_event_manager(actor) -> None:
    require_permission(actor, "participation.manage_events", message=_("Only coordinators may manage events."))


@transaction.atomic
def event_create(*, actor, title, stage, channel, district, place, starts_at, ends_at=None, description="") -> Event:
    _require_event_manager(actor)
    event = Event(
        title=title.strip(),
        description=(description or "").strip(),
        stage=stage,
        channel=channel,
        district=district,
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_update(*, actor, event: Event, **changes) -> Event:
    _require_event_manager(actor)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(event, field, value)
    event.full_clean()
    event.save(update_fields=list(changes))
    return event
