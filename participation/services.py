"""Writes of participation: submitting, flagging and moderating opinions, events.

Every function takes keyword arguments, validates with `full_clean()`, runs under
`transaction.atomic`, and schedules e-mail with `transaction.on_commit` through a Celery task that
takes ids, so that an opinion is always stored first and a broker outage never loses it.
Every service that changes what the public sees calls `public_opinions_changed()`.
"""

import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.rules import has_verified_email
from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from lublin2030.versions import bump_publication_version
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
    PublicOpinionCount,
)

logger = logging.getLogger(__name__)


# --- publication version -------------------------------------------------------------------------


def public_opinions_changed() -> None:
    """Call from any write that changes which opinions are public or what they say (imports too).

    It retires every cached public view of opinions (`lublin2030.versions`) and, after commit, folds
    the rows that the triggers appended to `PublicOpinionCount` (the counts are exact without it; it
    keeps them short).
    """
    bump_publication_version()
    transaction.on_commit(public_counts_compact, robust=True)


# --- public opinion counts (the facets) ----------------------------------------------------------
# PostgreSQL triggers append one row of +n/-n per (area, district, channel, stage) to
# PublicOpinionCount for each statement that changes public opinions (migration 0005); the count of
# a combination is the sum of its rows. Nothing here is needed for the counts to be exact.

_COUNTS = PublicOpinionCount._meta.db_table
_KEYS = "area_id, district_id, channel_id, stage_id"
_COMPACT_LOCK = 2030_0005  # pg_try_advisory_xact_lock key: one compaction at a time, the others skip

# DELETE … RETURNING gives exactly the rows it removed (rows of transactions still running are not
# visible, so not removed, and still count on their own), and the INSERT puts back their sums.
_COMPACT_SQL = f"""
WITH gone AS (
    DELETE FROM {_COUNTS}
    WHERE (area_id, district_id, channel_id, COALESCE(stage_id, 0)) IN (
        SELECT area_id, district_id, channel_id, COALESCE(stage_id, 0) FROM {_COUNTS}
        GROUP BY area_id, district_id, channel_id, COALESCE(stage_id, 0)
        HAVING COUNT(*) > 1 OR SUM(count) = 0
    )
    RETURNING {_KEYS}, count
), kept AS (
    INSERT INTO {_COUNTS} ({_KEYS}, count)
    SELECT {_KEYS}, SUM(count) FROM gone GROUP BY {_KEYS} HAVING SUM(count) <> 0
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM kept)
"""  # noqa: S608


def public_counts_compact() -> int:
    """Fold the rows of each combination into one; returns how many rows were folded (PostgreSQL)."""
    from .selectors import public_counts_kept

    if not public_counts_kept():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_COMPACT_LOCK])
        if not cursor.fetchone()[0]:
            return 0  # another process is folding them right now
        cursor.execute(_COMPACT_SQL)
        return cursor.fetchone()[0]


def public_counts_rebuild() -> None:
    """Count the public opinions again from scratch (a repair, e.g. after restoring data without triggers).

    The lock waits for transactions that have already appended counts and makes later ones wait:
    what they change is then either in the recount (committed) or added after it (not yet).
    """
    from .selectors import public_counts_kept

    if not public_counts_kept():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {_COUNTS} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_COUNTS}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {_COUNTS} ({_KEYS}, count) "  # noqa: S608
            f"SELECT {_KEYS}, COUNT(*) FROM {Opinion._meta.db_table} "
            "WHERE status = %s AND NOT hidden_by_flags "
            f"GROUP BY {_KEYS}",
            [ModerationStatus.PUBLISHED],
        )
    public_opinions_changed()


# --- rate limits ---------------------------------------------------------------------------------


class RateLimited(ValidationError):
    """Too many submissions from one account or one address in the period."""


def _rate_settings() -> tuple[int, int, int]:
    return (
        getattr(settings, "OPINION_RATE_LIMIT_PER_USER", 10),
        getattr(settings, "OPINION_RATE_LIMIT_PER_IP", 30),
        getattr(settings, "OPINION_RATE_LIMIT_PERIOD", 3600),
    )


def _rate_keys(*, user, ip_address: str | None) -> list[tuple[str, int]]:
    per_user, per_ip, _period = _rate_settings()
    keys = [(f"participation:rate:opinion:user:{user.pk}", per_user)]
    if ip_address:
        keys.append((f"participation:rate:opinion:ip:{ip_address}", per_ip))
    return keys


def _check_rate_limits(*, user, ip_address: str | None) -> None:
    """Sliding window over the timestamps of recent submissions. With the cache down it lets everyone in."""
    _per_user, _per_ip, period = _rate_settings()
    now = time.time()
    for key, limit in _rate_keys(user=user, ip_address=ip_address):
        recent = [stamp for stamp in (cache.get(key) or []) if stamp > now - period]
        if len(recent) >= limit:
            wait_minutes = max(1, int((min(recent) + period - now) // 60) + 1)
            raise RateLimited(
                ngettext(
                    "You have sent too many opinions in a short time. Please try again in %(minutes)d minute.",
                    "You have sent too many opinions in a short time. Please try again in %(minutes)d minutes.",
                    wait_minutes,
                )
                % {"minutes": wait_minutes},
                code="rate_limited",
            )


def _record_submission(*, user, ip_address: str | None) -> None:
    _per_user, _per_ip, period = _rate_settings()
    now = time.time()
    for key, _limit in _rate_keys(user=user, ip_address=ip_address):
        recent = [stamp for stamp in (cache.get(key) or []) if stamp > now - period]
        recent.append(now)
        cache.set(key, recent, period)


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
    *, author, area, district, text: str, age_bracket: str = "", ip_address: str | None = None
) -> Opinion:
    """A resident sends an opinion through the online form; it waits for moderation.

    Refused when the opinions window is closed (`WindowClosed`), for an account without a verified
    e-mail (`PermissionDenied`) and above the rate limits (`RateLimited`).
    """
    require_open_window(WindowKind.OPINIONS)
    if not has_verified_email(author):
        raise PermissionDenied(_("Verify your e-mail address before you send an opinion."))
    text = normalize_text(text)
    validate_opinion_text(text)
    _check_rate_limits(user=author, ip_address=ip_address)
    window = open_window(WindowKind.OPINIONS)
    with transaction.atomic():
        opinion = Opinion(
            text=text,
            area=area,
            district=district,
            channel=Channel.objects.get(code=Channel.ONLINE_FORM),
            stage=window.stage if window else None,
            age_bracket=age_bracket or "",
            author=author,
            status=ModerationStatus.PENDING,
            collected_on=timezone.localdate(),
        )
        opinion.full_clean()
        opinion.save()
    # Counted once stored (a failed save above raises and does not count).
    _record_submission(user=author, ip_address=ip_address)
    return opinion


# --- moderation ----------------------------------------------------------------------------------

MODERATION_ACTIONS = (ModerationAction.PUBLISH, ModerationAction.REJECT, ModerationAction.RESTORE)


def _opinion_content_type():
    return ContentType.objects.get_for_model(Opinion)


def _apply(
    *, actor, opinion: Opinion, action: str, reason: str, now
) -> tuple[ModerationLogEntry, bool, list[str], bool]:
    """Change one locked opinion.

    Returns (unsaved log entry, whether to tell the author, changed fields, whether the public changed).
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
    if action in (ModerationAction.REJECT, ModerationAction.RESTORE):
        OpinionFlag.objects.filter(opinion=opinion, reviewed_at__isnull=True).update(reviewed_at=now)
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
    entry, notify, fields, public_changed = _apply(
        actor=actor, opinion=locked, action=action, reason=reason, now=timezone.now()
    )
    locked.save(update_fields=fields)
    entry.full_clean()
    entry.save()
    if public_changed:
        public_opinions_changed()
    if notify:
        _schedule_decision_emails([locked.pk])
    return locked


def opinion_publish(*, actor, opinion: Opinion, reason: str = "") -> Opinion:
    return opinion_moderate(actor=actor, opinion=opinion, action=ModerationAction.PUBLISH, reason=reason)


def opinion_reject(*, actor, opinion: Opinion, reason: str) -> Opinion:
    return opinion_moderate(actor=actor, opinion=opinion, action=ModerationAction.REJECT, reason=reason)


def opinion_restore(*, actor, opinion: Opinion, reason: str = "") -> Opinion:
    return opinion_moderate(actor=actor, opinion=opinion, action=ModerationAction.RESTORE, reason=reason)


@transaction.atomic
def opinions_moderate_bulk(*, actor, opinion_ids: list[int], action: str, reason: str = "") -> dict:
    """The same decision for many opinions at once; opinions already in that state are skipped.

    Returns {"done": [ids], "skipped": [ids]}. A rejection without a reason refuses the whole batch.
    """
    _require_moderator(actor)
    reason = (reason or "").strip()
    if action not in MODERATION_ACTIONS:
        raise ValidationError(_("Unknown moderation action."), code="invalid_action")
    if action == ModerationAction.REJECT and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting: the author will read it.")}, code="required")
    now = timezone.now()
    done, skipped, entries, notify_ids = [], [], [], []
    public_changed = False
    for opinion in Opinion.objects.select_for_update().filter(pk__in=set(opinion_ids)).order_by("pk"):
        try:
            entry, notify, fields, changed = _apply(actor=actor, opinion=opinion, action=action, reason=reason, now=now)
        except ValidationError:
            skipped.append(opinion.pk)
            continue
        opinion.save(update_fields=fields)
        entries.append(entry)
        done.append(opinion.pk)
        public_changed = public_changed or changed
        if notify:
            notify_ids.append(opinion.pk)
    ModerationLogEntry.objects.bulk_create(entries)
    if public_changed:
        public_opinions_changed()
    if notify_ids:
        _schedule_decision_emails(notify_ids)
    return {"done": done, "skipped": skipped}


# --- flags ---------------------------------------------------------------------------------------


def flags_to_hide() -> int:
    return max(1, getattr(settings, "OPINION_FLAGS_TO_HIDE", 3))


@transaction.atomic
def opinion_flag(*, user, opinion: Opinion, reason: str, details: str = "") -> OpinionFlag:
    """A resident reports a published opinion; at the threshold it is hidden until a moderator decides."""
    if not has_verified_email(user):
        raise PermissionDenied(_("Verify your e-mail address before you report an opinion."))
    locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if locked.author_id == user.pk:
        raise PermissionDenied(_("You cannot report your own opinion."))
    if not locked.is_public:
        raise ValidationError(_("This opinion is not public, so it cannot be reported."), code="not_public")
    if OpinionFlag.objects.filter(opinion=locked, user=user).exists():
        raise ValidationError(_("You have already reported this opinion."), code="already_flagged")
    flag = OpinionFlag(opinion=locked, user=user, reason=reason, details=(details or "").strip())
    flag.full_clean()
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
        public_opinions_changed()
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
    subject = f"{getattr(settings, 'ACCOUNT_EMAIL_SUBJECT_PREFIX', '')}{subjects[0]} / {subjects[1]}"
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
