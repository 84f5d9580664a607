"""Thin views of participation: parse input, check permission, call one service or selector, render."""

import hashlib
import re
from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.rules import has_verified_email
from lublin2030 import page_cache, ratelimit, versions
from lublin2030.page_cache import cache_page
from lublin2030.versions import publication_version
from stages.models import WindowKind
from stages.selectors import window_status
from stages.services import WindowClosed

from . import public_list, selectors, services
from .forms import (
    FlagForm,
    OpinionForm,
)
from .statistics import statistics_for_display

MY_OPINIONS_PAGE_SIZE = 20
EVENTS_PAGE_SIZE = 20

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 100_000))
    except (TypeError, ValueError):
        return 1


# --- public list ---------------------------------------------------------------------------------


def _raw_filters(query) -> dict:
    """Normalise the query string without touching the database: it is part of the cache key."""
    raw = {}
    for name in ("area", "district", "channel"):
        value = (query.get(name) or "").strip()
        raw[name] = value if SLUG.match(value) else ""
    stage = (query.get("stage") or "").strip()
    raw["stage"] = stage if stage.isdigit() and len(stage) <= 2 else ""
    raw["q"] = " ".join((query.get("q") or "").split())[:200]
    return raw


def _resolve_filters(raw: dict, refs) -> public_list.OpinionFilters:
    def pk(kind, value):
        item = refs.by_slug(kind).get(value) if value else None
        return item.pk if item else None

    stage = next((item.pk for item in refs.stages if raw["stage"] and item.position == int(raw["stage"])), None)
    return public_list.OpinionFilters(
        area=pk("areas", raw["area"]),
        district=pk("districts", raw["district"]),
        channel=pk("channels", raw["channel"]),
        stage=stage,
        q=raw["q"],
    )


def _facet_options(items, counts: dict, selected_pk, *, value=lambda item: item.slug) -> list[dict]:
    return [
        {"value": value(item), "label": item.label, "count": counts.get(item.pk, 0), "selected": item.pk == selected_pk}
        for item in items
    ]


def _options_html(options: list[dict]) -> SafeString:
    """The <option> elements of one filter, built here: ~60 of them cost ~2 ms as template loops."""
    return mark_safe(  # noqa: S308 (every value escaped)
        "".join(
            f'<option value="{escape(option["value"])}"{" selected" if option["selected"] else ""}>'
            f"{escape(option['label'])} ({option['count']:d})</option>"
            for option in options
        )
    )


def _list_items(rows, *, dates: dict | None = None) -> list[dict]:
    """What the template shows of each `public_list.OpinionRow`, as ready strings (the list is rendered
    cold after each publication: fewer template nodes per row keep that first render short)."""
    dates = {} if dates is None else dates
    stage_word = _("stage")
    items = []
    for row in rows:
        meta = [row.district.name if row.district else "", row.channel.name if row.channel else ""]
        if row.stage:
            meta.append(f"{stage_word} {row.stage.roman}")
        if row.collected_on not in dates:
            dates[row.collected_on] = date_format(row.collected_on, "j E Y")
        items.append(
            {
                "pk": row.pk,
                "url": row.url,
                "title": _("Opinion no. %(number)s") % {"number": row.pk},
                "area": row.area.name if row.area else "",
                "meta": " · ".join(meta),
                "date_iso": row.collected_on.isoformat(),
                "date_text": dates[row.collected_on],
                "author": row.author_name,
                "excerpt": row.excerpt,
            }
        )
    return items


def _list_version(raw: dict) -> tuple:
    """(version, reference lists or None) of the list page for these filters: see `public_list.list_version`.

    With two or more filters chosen, the reference lists (cached) tell their ids; a value that names
    nothing leaves the page on the publication version.
    """
    chosen = [name for name in ("area", "district", "channel", "stage") if raw[name]]
    if len(chosen) < 2:
        return publication_version(), None
    # Keyed by the list version: a decision changes no name, so it does not make this read miss.
    refs = public_list.reference_lists(version=f"list:{versions.current(versions.OPINION_LIST)}")
    filters = _resolve_filters(raw, refs)
    if sum(pk is not None for pk in filters.as_dimensions().values()) < len(chosen):
        return publication_version(), refs
    return public_list.list_version(filters), refs


def _opinion_list_context(raw: dict, page_number: int, *, version=None, refs=None) -> dict:
    refs = refs or public_list.reference_lists(version=version)
    filters = _resolve_filters(raw, refs)
    page, facets = public_list.public_opinion_page(filters, page_number, refs, version=version)
    stage_counts = facets.counts["stage"]
    stages = [item for item in refs.stages if stage_counts.get(item.pk) or item.pk == filters.stage]
    facet_groups = [
        {
            "name": "area",
            "label": _("Strategic area"),
            "any": _("All areas"),
            "options": _facet_options(refs.areas, facets.counts["area"], filters.area),
        },
        {
            "name": "district",
            "label": _("District"),
            "any": _("All districts"),
            "options": _facet_options(refs.districts, facets.counts["district"], filters.district),
        },
        {
            "name": "channel",
            "label": _("Channel"),
            "any": _("All channels"),
            "options": _facet_options(refs.channels, facets.counts["channel"], filters.channel),
        },
        {
            "name": "stage",
            "label": _("Stage"),
            "any": _("All stages"),
            "options": _facet_options(stages, stage_counts, filters.stage, value=lambda item: str(item.position)),
        },
    ]
    active = {name: value for name, value in raw.items() if value}
    removals = []
    for group in facet_groups:
        chosen = next((option for option in group["options"] if option["selected"]), None)
        if chosen:
            rest = {name: value for name, value in active.items() if name != group["name"]}
            removals.append({"label": f"{group['label']}: {chosen['label']}", "query": urlencode(rest)})
    if raw["q"]:
        rest = {name: value for name, value in active.items() if name != "q"}
        removals.append({"label": _("Search: “%(q)s”") % {"q": raw["q"]}, "query": urlencode(rest)})
    for group in facet_groups:
        group["options_html"] = _options_html(group["options"])
    return {
        "page": page,
        "opinions": _list_items(page.object_list),
        "total": facets.total,
        "facet_groups": facet_groups,
        "removals": removals,
        "raw": raw,
        "base_query": urlencode(active),
        "is_filtered": not filters.is_empty,
    }


def _list_page_version(request) -> str:
    """More of the list page's key: the version of these filters' list (`_list_version`)."""
    return str(_list_version(_raw_filters(request.GET))[0])


@require_safe
@cache_page("opinion-list", key=_list_page_version, seconds=lambda: selectors.list_cache_seconds())
def opinion_list(request):
    """Published opinions with filters, facets and search.

    Two caches, both keyed by the publication version (or by the list scopes of a page with two
    filters or more, `public_list.list_version`), so a publication shows at once:
    - the whole page (`cache_page`), shared by every visitor without pending messages;
    - the list part (filters, facets, results, pages), rendered once per (language, normalised
      filters, page): addresses that differ only in the order of their filters share it.
    """
    raw = _raw_filters(request.GET)
    version, refs = _list_version(raw)
    language = translation.get_language()
    page_number = _page_number(request.GET.get("page"))
    digest = hashlib.sha256(repr((sorted(raw.items()), page_number)).encode()).hexdigest()[:32]
    key = f"participation:list:{version}:{language}:{digest}"
    fragment = cache.get(key)
    if fragment is None:
        context = _opinion_list_context(raw, page_number, version=version, refs=refs)
        fragment = render_to_string("participation/_opinion_list_body.html", context)
        cache.set(key, fragment, selectors.list_cache_seconds())
    context = {
        # Our own template output, read back from the cache.
        "fragment": mark_safe(fragment),  # noqa: S308
        "page_number": page_number,
        "q": raw["q"],
    }
    return render(request, "participation/opinion_list.html", context)


TRACE_PLACEHOLDER = "participation-opinion-trace-placeholder"


def _render_trace(opinion) -> str:
    """ "Gdzie trafiła moja opinia?" (one query); the trace changes without our publication version."""
    return render_to_string("participation/_opinion_trace.html", {"opinion": opinion})


ACTIONS_PLACEHOLDER = "participation-opinion-actions-placeholder"


def _actions_context(request, opinion) -> dict:
    """The visitor's own part of an opinion page: report it, moderate it, her other opinions."""
    user = request.user
    can_flag = user.has_perm("participation.flag_opinion", opinion)
    return {
        "opinion": opinion,
        "is_author": user.is_authenticated and opinion.author_id == user.pk,
        "can_flag": can_flag,
        "has_flagged": can_flag and selectors.user_has_flagged(user=user, opinion=opinion),
        "can_moderate": user.has_perm("participation.moderate_opinion"),
    }


def _fill_opinion_page(request, html: str, pk: int) -> str | None:
    """The trace and the visitor's actions into a shared opinion page, if the opinion is still public
    (its state: one query; the trace: one; whether she reported it: one, if she may)."""
    opinion = selectors.opinion_state(pk)
    if opinion is None or not opinion.is_public:  # cached while public, not now: the view answers
        return None
    context = {**_actions_context(request, opinion), "user": request.user, "request": request}
    actions = get_template("participation/_opinion_actions.html").render(context)
    return html.replace(TRACE_PLACEHOLDER, _render_trace(opinion), 1).replace(ACTIONS_PLACEHOLDER, actions, 1)


# The page is shared by every visitor; what she may do with the opinion is filled in for her.
@cache_page(
    "opinion",
    depends_on=[versions.PUBLICATION],
    fill=_fill_opinion_page,
    seconds=lambda: selectors.list_cache_seconds(),
)
def opinion_detail(request, pk: int):
    """One opinion, cached in two layers like the list, both keyed by the publication version:
    - the whole page of a public opinion (`cache_page`), shared by every visitor without pending
      messages, with two placeholders filled on each response: the trace of recommendations (the
      recommendations app changes it without bumping our version) and the visitor's own actions;
    - its public part (heading, text, facts) is rendered once per language for everyone, and serves
      the pages rendered for one visitor (an opinion that is not public: its author, staff).
    """
    version = publication_version()
    language = translation.get_language()
    key = f"participation:opinion:{version}:{language}:{pk}"
    body = cache.get(key)
    opinion = selectors.opinion_state(pk) if body is not None else None
    if opinion is None or not opinion.is_public:  # a miss; or cached while public, not now (no bump?)
        body = None
        opinion = selectors.opinion_for_viewer(pk)
    if opinion is None or not request.user.has_perm("participation.read_opinion", opinion):
        raise Http404
    if body is None:
        context = {"opinion": opinion, "list_url": reverse("participation:opinion_list")}
        body = render_to_string("participation/_opinion_detail_body.html", context)
        if opinion.is_public:  # only what everyone may read is kept
            cache.set(key, body, selectors.list_cache_seconds())
    context = {
        **_actions_context(request, opinion),
        # Our own template output, possibly read back from the cache.
        "body": mark_safe(body),  # noqa: S308
    }
    if page_cache.rendering_shared(request):
        context.update(trace_placeholder=TRACE_PLACEHOLDER, actions_placeholder=ACTIONS_PLACEHOLDER)
    return render(request, "participation/opinion_detail.html", context)


# --- submitting ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opinion_create(request):
    if not has_verified_email(request.user):
        messages.warning(request, _("Verify your e-mail address first: then you can send opinions."))
        return redirect("account_email")
    status = window_status(WindowKind.OPINIONS)
    form = OpinionForm(request.POST or None)
    http_status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                opinion = services.opinion_submit(
                    actor=request.user,
                    area=form.cleaned_data["area"],
                    district=form.cleaned_data["district"],
                    text=form.cleaned_data["text"],
                    age_bracket=form.cleaned_data["age_bracket"],
                    ip_address=ratelimit.client_ip(request),
                )
            except WindowClosed as error:
                status = window_status(WindowKind.OPINIONS)
                messages.error(request, error.messages[0])
                http_status = 403
            except ratelimit.RateLimited as error:
                form.add_error(None, error)
                http_status = 429
            except ValidationError as error:
                form.add_error(None, error)
                http_status = 400
            else:
                return redirect("participation:opinion_submitted", pk=opinion.pk)
        else:
            http_status = 400
        if not status.is_open:
            http_status = 403
    return render(request, "participation/opinion_form.html", {"form": form, "status": status}, status=http_status)


@login_required
def opinion_submitted(request, pk: int):
    opinion = selectors.opinion_for_viewer(pk)
    if opinion is None or opinion.author_id != request.user.pk:
        raise Http404
    return render(request, "participation/opinion_submitted.html", {"opinion": opinion})


@login_required
def my_opinions(request):
    queryset = selectors.opinions_of(request.user)
    page = Paginator(queryset, MY_OPINIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participation/my_opinions.html", {"page": page, "opinions": page.object_list})


# --- flags ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opinion_flag(request, pk: int):
    opinion = selectors.opinion_for_viewer(pk)
    if opinion is None or not request.user.has_perm("participation.read_opinion", opinion):
        raise Http404
    if not has_verified_email(request.user):
        messages.warning(request, _("Verify your e-mail address first: then you can report opinions."))
        return redirect("account_email")
    if not request.user.has_perm("participation.flag_opinion", opinion):
        raise PermissionDenied
    if selectors.user_has_flagged(user=request.user, opinion=opinion):
        messages.info(request, _("You have already reported this opinion. A moderator will look at it."))
        return redirect(opinion)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_flag(
                actor=request.user,
                opinion=opinion,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(opinion)
        messages.success(request, _("Thank you. A moderator will look at this opinion."))
        opinion.refresh_from_db(fields=["hidden_by_flags", "status"])
        return redirect(opinion if opinion.is_public else "participation:opinion_list")
    status = 400 if request.method == "POST" else 200
    context = {"opinion": opinion, "form": form, "flags_to_hide": services.flags_to_hide()}
    return render(request, "participation/opinion_flag.html", context, status=status)


# --- statistics ----------------------------------------------------------------------------------


@require_safe
@cache_page("statistics", depends_on=[versions.PUBLICATION], seconds=lambda: settings.PARTICIPATION_CACHE_SECONDS)
def statistics(request):
    return render(request, "participation/statistics.html", {"stats": statistics_for_display()})


# --- events --------------------------------------------------------------------------------------


@require_safe
def event_list(request):
    now = timezone.now()
    past = Paginator(selectors.past_events(now=now), EVENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"upcoming": list(selectors.upcoming_events(now=now)[:100]), "past": past}
    return render(request, "participation/event_list.html", context)
