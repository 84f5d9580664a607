"""Public pages of the consultation: the draft with its comment counts, the comment form, the comments, one
comment with the city's answer, one's own comments.

The draft with the counts is the same for every reader: it is rendered once per consultation, state of its
public comments (`lublin2030.versions`, bumped by every service that changes them), phase and language and
kept in the cache, so the page costs a few queries whatever the length of the draft and the number of
comments. Anonymous visitors get the whole page from `lublin2030.page_cache`.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language, npgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lublin2030 import ratelimit, versions
from lublin2030.page_cache import cache_page
from strategy import selectors as strategy_selectors

from . import selectors, services
from .forms import CommentForm
from .models import Comment, Phase, Target

CACHE_SECONDS = 24 * 3600
PAGE_SECONDS = 300
# Bump when the templates of the cached fragments change, so a deployment does not serve old HTML.
FRAGMENT_VERSION = 1
COMMENTS_PAGE_SIZE = 30
COMMENT_FIELDS = ("target", "key", "text", "proposed_wording", "justification", "speaks_as", "commenter_name")


def readable(request, pk: int):
    """The consultation if this person may read it (announced, or staff); 404 otherwise."""
    consultation = selectors.consultation(pk)
    if consultation is None or not request.user.has_perm("consultation.read_consultation", consultation):
        raise Http404
    return consultation


@require_GET
def current(request):
    consultation = selectors.current_consultation()
    if consultation is None:
        return render(request, "consultation/none.html")
    return redirect(consultation)


def draft_html(consultation, phase: str) -> str:
    """The consulted version with each fragment's count of public comments and the ways to comment.

    Two caches: the document with the ways to comment, rendered once per consultation, phase and language
    (the text never changes), and the page's fragment with the counts filled in, per state of the public
    comments. A moderation decision thus costs the next reader one query and a substitution, not a render."""
    language = get_language()
    public = versions.current(services.public_version_name(consultation.pk))
    key = f"consultation:draft:{FRAGMENT_VERSION}:{consultation.pk}:{public}:{phase}:{language}"
    html = cache.get(key)
    if html is None:
        skeleton_key = f"consultation:skeleton:{FRAGMENT_VERSION}:{consultation.pk}:{phase}:{language}"
        skeleton = cache.get(skeleton_key)
        if skeleton is None:
            document = strategy_selectors.document(consultation.version, with_extras=False)
            skeleton = render_to_string(
                "consultation/_draft.html",
                {"doc": document, "consultation": consultation, "open": phase == Phase.OPEN},
            )
            cache.set(skeleton_key, skeleton, CACHE_SECONDS)
        html = fill_counts(skeleton, selectors.public_counts(consultation), consultation.pk)
        cache.set(key, html, CACHE_SECONDS)
    return html


COUNT_MARK = re.compile(r"<!--n:(\w+):(\w*):([^>]*?)-->(.*?)<!--/n-->", re.S)


def fill_counts(skeleton: str, counts, pk: int) -> str:
    """Put each fragment's count of public comments (a link to them) where the skeleton marks it."""
    list_url = reverse("consultation:comments", kwargs={"pk": pk})
    by_target = {Target.BLOCK: counts.blocks, Target.SECTION: counts.sections, Target.CHAPTER: counts.chapters}

    def link(match) -> str:
        target, key, place, without = match.groups()
        count = by_target.get(target, {}).get(key, 0)
        if not count:
            return without
        text = npgettext("consultation", "%(counter)s comment", "%(counter)s comments", count) % {"counter": count}
        return (
            f'<a class="comment-count" href="{list_url}?cel={target}&amp;klucz={key}">{escape(text)}'
            f'<span class="visually-hidden"> ({place})</span></a>'
        )

    summary = render_to_string("consultation/_counts_summary.html", {"counts": counts, "list_url": list_url})
    return COUNT_MARK.sub(link, skeleton).replace("<!--summary-->", summary, 1)


def _detail_key(request, pk: int) -> str | None:
    """A consultation's page is shared once it is announced, per phase and public version. Only
    anonymous visitors get here (`signed_in=False`): the view reuses what was read for them."""
    consultation = request.consultation_for_page = readable(request, pk)
    if not consultation.is_announced:
        return None
    public = versions.current(services.public_version_name(consultation.pk))
    return f"{FRAGMENT_VERSION}:{pk}:{consultation.phase()}:{public}"


@require_GET
@cache_page("consultation", key=_detail_key, signed_in=False, seconds=PAGE_SECONDS)
def detail(request, pk: int):
    consultation = getattr(request, "consultation_for_page", None) or readable(request, pk)
    phase = consultation.phase()
    context = {
        "consultation": consultation,
        "phase": phase,
        "open": phase == Phase.OPEN,
        "draft_html": draft_html(consultation, phase),
        "meetings": selectors.meetings(consultation),
        "closed_message": services.closed_message(consultation, timezone.localdate()),
    }
    return render(request, "consultation/detail.html", context)


def _fragment(consultation, target: str, key: str):
    """The element a comment form or a list is about (None: the whole document), or 404."""
    try:
        found = services.resolve_target(consultation, target, key)
    except ValidationError:
        raise Http404 from None
    return found.get("block") or found.get("section") or found.get("chapter")


@require_http_methods(["GET", "HEAD", "POST"])
def comment_create(request, pk: int):
    consultation = readable(request, pk)
    target = request.POST.get("target") or request.GET.get("cel") or Target.DOCUMENT
    key = request.POST.get("key") or request.GET.get("klucz") or ""
    if target not in Target.values:
        raise Http404
    fragment = _fragment(consultation, target, key)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    form = CommentForm(request.POST or None, initial={"target": target, "key": key})
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in COMMENT_FIELDS}
        try:
            comment = services.comment_submit(
                actor=request.user,
                consultation=consultation,
                data=services.CommentData(**values),
                submission_token=form.cleaned_data["token"],
                ip_address=ratelimit.client_ip(request),
            )
        except PermissionDenied:
            form.add_error(None, _("Verify your e-mail address before you comment: see your account page."))
            status = 403
        except ratelimit.RateLimited as error:
            form.add_error(None, error)
            status = 429
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you: your comment no. %(number)d is saved. It is published after a moderator reads it.")
                % {"number": comment.number},
            )
            return redirect(comment)
    context = {
        "consultation": consultation,
        "form": form,
        "target": target,
        "fragment": fragment,
        "closed_message": services.closed_message(consultation, timezone.localdate()),
        "verified": request.user.has_perm("consultation.submit_comment", consultation),
    }
    if status == 200 and form.errors:
        status = 400
    return render(request, "consultation/comment_form.html", context, status=status)


@require_GET
def comment_list(request, pk: int):
    """Published comments: all, or those on one fragment (?cel=block&klucz=…)."""
    consultation = readable(request, pk)
    target = request.GET.get("cel", "")
    key = request.GET.get("klucz", "")
    if target and target not in Target.values:
        raise Http404
    fragment = _fragment(consultation, target, key) if target else None
    comments = selectors.public_comments(consultation, target=target, key=key)
    page = Paginator(comments, COMMENTS_PAGE_SIZE).get_page(request.GET.get("strona"))
    selectors.annotate(page.object_list)
    context = {
        "consultation": consultation,
        "page": page,
        "comments": page.object_list,
        "target": target,
        "key": key,
        "fragment": fragment,
        "open": consultation.is_open(),
        "answers_public": consultation.report_published_at is not None,
    }
    return render(request, "consultation/comment_list.html", context)


def may_read(user, comment: Comment) -> bool:
    """Public comments for everyone; one's own in any state; every comment for the consultation's staff."""
    if Comment.objects.public().filter(pk=comment.pk).exists():
        return True
    if user.is_authenticated and comment.author_id == user.pk:
        return True
    return user.has_perm("consultation.read_triage", comment)


@require_GET
def comment_detail(request, pk: int, number: int):
    consultation = readable(request, pk)
    comment = selectors.comment_by_number(consultation, number)
    if comment is None or not may_read(request.user, comment):
        raise Http404
    selectors.annotate([comment])
    staff = request.user.has_perm("consultation.read_triage", consultation)
    answer_visible = consultation.report_published_at is not None or staff
    context = {
        "consultation": consultation,
        "comment": comment,
        "answer_visible": answer_visible and comment.is_answered,
        "own": request.user.is_authenticated and comment.author_id == request.user.pk,
        "changes": selectors.changes_of(comment, public_only=not staff),
        "staff": staff,
    }
    return render(request, "consultation/comment_detail.html", context)


@login_required
@require_GET
def my_comments(request):
    comments = list(selectors.own_comments(request.user))
    selectors.annotate(comments)
    return render(request, "consultation/my_comments.html", {"comments": comments})
