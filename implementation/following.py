"""Following an opinion along the chain: one digest e-mail a day at most, and a way out without logging in.

A verified resident follows a public opinion (her own, or any other). Once a day Celery beat runs
`tasks.queue_follow_digests`, which queues one `send_follow_digest` per person through
`lublin2030.queue.enqueue`; each compares the steps the person's opinions have reached (`chain.milestones`)
with the steps already told and, if anything is new, sends one e-mail listing it. The person's
`FollowDigest` row is locked while that happens and remembers the day: a task run twice, or queued twice,
sends nothing the second time. Every digest carries a signed link (and a List-Unsubscribe header with
one-click POST, RFC 8058) that stops all of the person's follows without logging in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from participation.models import Opinion
from recommendations.models import Recommendation

from . import chain
from .models import Action, Follow, FollowDigest

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "implementation.follow.unsubscribe"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Following ---------------------------------------------------------------------------------------


@transaction.atomic
def follow_start(*, actor, opinion: Opinion) -> Follow:
    """Follow a public opinion; what it has reached so far is not news (only later steps are told)."""
    require_permission(actor, "implementation.follow_opinion", opinion)
    follow, created = Follow.objects.get_or_create(user=actor, opinion=opinion)
    if created:
        follow.seen = sorted(chain.milestones([opinion.pk])[opinion.pk])
        follow.save(update_fields=["seen"])
    return follow


@transaction.atomic
def follow_stop(*, actor, opinion: Opinion) -> None:
    if not actor.is_authenticated:
        raise ValidationError(_("Log in to stop following."), code="anonymous")
    Follow.objects.filter(user=actor, opinion=opinion).delete()


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str):
    """The person a digest was sent to, or None for a token that was not signed by us."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


@transaction.atomic
def follow_stop_all(*, actor) -> int:
    """Stop every follow of the person (the signed link of a digest names her: she is the actor)."""
    deleted, _rows = Follow.objects.filter(user=actor).delete()
    return deleted


# Digests -----------------------------------------------------------------------------------------


def digests_queue(*, today=None) -> int:
    """Queue one digest task per person who follows something and got none today (beat, once a day)."""
    from . import tasks

    today = today or timezone.localdate()
    user_ids = (
        Follow.objects.exclude(user__follow_digest__last_sent_on__gte=today)
        .filter(user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in user_ids:
        enqueue(tasks.send_follow_digest, user_id)
        count += 1
    return count


def digest_send(*, user_id: int, today=None) -> bool:
    """Send the person's digest if anything is new and none went out today. True when one was sent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None or not user.email:
            return False
        state, _created = FollowDigest.objects.get_or_create(user=user)
        state = FollowDigest.objects.select_for_update().get(pk=state.pk)
        if state.last_sent_on is not None and state.last_sent_on >= today:
            return False
        follows = list(
            Follow.objects.filter(user=user, opinion__in=Opinion.objects.public())
            .select_related("opinion")
            .order_by("opinion_id")
        )
        reached = chain.milestones([follow.opinion_id for follow in follows])
        news = [(follow, sorted(reached.get(follow.opinion_id, set()) - set(follow.seen))) for follow in follows]
        news = [(follow, steps) for follow, steps in news if steps]
        if not news:
            return False
        _message(user, news).send()
        for follow, steps in news:
            follow.seen = sorted(set(follow.seen) | set(steps))
            follow.save(update_fields=["seen"])
        state.last_sent_on, state.last_sent_at = today, timezone.now()
        state.save(update_fields=["last_sent_on", "last_sent_at"])
    return True


def _describe(news) -> list[dict]:
    """Each followed opinion with its new steps in words, in the active language (two queries)."""
    ids = {"recommendation": set(), "action": set()}
    for _follow, steps in news:
        for step in steps:
            kind, _sep, value = step.partition(":")
            if kind in ("recommendation", "included"):
                ids["recommendation"].add(int(value))
            elif kind == "action":
                ids["action"].add(int(value))
    recommendations = Recommendation.objects.in_bulk(ids["recommendation"])
    actions = Action.objects.in_bulk(ids["action"])
    items = []
    for follow, steps in news:
        lines = []
        for step in steps:
            kind, _sep, value = step.partition(":")
            if kind == "recommendation" and int(value) in recommendations:
                lines.append(
                    _("It is cited by the recommendation “%(title)s”.") % {"title": recommendations[int(value)].title}
                )
            elif kind == "included" and int(value) in recommendations:
                lines.append(
                    _("The recommendation “%(title)s” was included in the strategy.")
                    % {"title": recommendations[int(value)].title}
                )
            elif kind == "strategy":
                lines.append(_("The strategy (version %(number)s) draws on it.") % {"number": value})
            elif kind == "adopted":
                lines.append(
                    _("The city council adopted the strategy that draws on it (version %(number)s).")
                    % {"number": value}
                )
            elif kind == "action" and int(value) in actions:
                action = actions[int(value)]
                lines.append(
                    _("The action “%(title)s” has started (%(status)s).")
                    % {"title": action.title, "status": action.get_status_display().lower()}
                )
        url = _absolute(reverse("implementation:chain", kwargs={"pk": follow.opinion_id}))
        items.append({"opinion": follow.opinion, "lines": lines, "url": url})
    return items


def _message(user, news) -> EmailMessage:
    unsubscribe = _absolute(reverse("implementation:unsubscribe", kwargs={"token": unsubscribe_token(user)}))
    parts, subjects = [], []
    for language in ("pl", "en"):
        with translation.override(language):
            context = {"items": _describe(news), "unsubscribe_url": unsubscribe, "process_name": settings.PROCESS_NAME}
            subjects.append(_("Where your followed opinions went today"))
            parts.append(render_to_string("implementation/email/digest.txt", context).strip())
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subjects[0]} / {subjects[1]}"
    body = parts[0] + "\n\n---------- English ----------\n\n" + parts[1] + "\n"
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMessage(subject=subject, body=body, to=[user.email], headers=headers)
