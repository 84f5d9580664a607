"""Staff pages of participation: the moderation queue, one opinion's moderation, the log, events."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from lublin2030.permissions import permission_required

from . import selectors, services
from .forms import (
    EventForm,
    ModerationBulkForm,
    ModerationDecisionForm,
    ModerationLogFilterForm,
)
from .models import Event, ModerationAction

MODERATION_PAGE_SIZE = 50
LOG_PAGE_SIZE = 50
EVENTS_PAGE_SIZE = 20


# --- moderation ----------------------------------------------------------------------------------


@permission_required("participation.moderate_opinion")
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_queue(request):
    page = Paginator(selectors.moderation_queue(), MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    opinion_ids = [opinion.pk for opinion in page.object_list]
    form = ModerationBulkForm(opinion_ids=opinion_ids)
    if request.method == "POST":
        single = request.POST.get("publish_one") or request.POST.get("restore_one")
        if single and single.isdigit():
            return _moderate_one_from_queue(request, int(single))
        form = ModerationBulkForm(request.POST, opinion_ids=_posted_ids(request))
        if form.is_valid():
            try:
                result = services.opinions_moderate_bulk(
                    actor=request.user,
                    opinion_ids=form.cleaned_data["opinions"],
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _bulk_message(request, form.cleaned_data["action"], result)
                return redirect(request.get_full_path())
    context = {
        "page": page,
        "opinions": page.object_list,
        "form": form,
        "counts": selectors.moderation_counts(),
        "selected": set(_posted_ids(request)) if request.method == "POST" else set(),
        "flags_to_hide": services.flags_to_hide(),
    }
    return render(request, "participation/moderation_queue.html", context, status=400 if form.errors else 200)


def _posted_ids(request) -> list[int]:
    return [int(value) for value in request.POST.getlist("opinions") if value.isdigit()]


def _moderate_one_from_queue(request, pk: int):
    opinion = selectors.moderation_queue().filter(pk=pk).first()
    if opinion is None:
        messages.info(request, _("Opinion #%(pk)d has already been decided.") % {"pk": pk})
        return redirect(request.get_full_path())
    action = ModerationAction.RESTORE if request.POST.get("restore_one") else ModerationAction.PUBLISH
    try:
        services.opinion_moderate(actor=request.user, opinion=opinion, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if action == ModerationAction.PUBLISH:
            messages.success(request, _("Opinion #%(pk)d is published.") % {"pk": pk})
        else:
            messages.success(request, _("Opinion #%(pk)d is public again.") % {"pk": pk})
    return redirect(request.get_full_path())


def _bulk_message(request, action: str, result: dict) -> None:
    done, skipped = len(result["done"]), len(result["skipped"])
    if action == ModerationAction.REJECT:
        text = ngettext("%(count)d opinion rejected.", "%(count)d opinions rejected.", done) % {"count": done}
    else:
        text = ngettext("%(count)d opinion published.", "%(count)d opinions published.", done) % {"count": done}
    if skipped:
        text += " " + ngettext(
            "%(count)d skipped: it was already in that state.",
            "%(count)d skipped: they were already in that state.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, text)


@permission_required("participation.moderate_opinion")
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_detail(request, pk: int):
    opinion = selectors.opinion_for_moderation(pk)
    if opinion is None:
        raise Http404
    form = ModerationDecisionForm(request.POST or None, opinion=opinion)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_moderate(
                actor=request.user,
                opinion=opinion,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision on opinion #%(pk)d is saved.") % {"pk": pk})
            return redirect("participation:moderation_queue")
    context = {"opinion": opinion, "form": form, "history": selectors.moderation_history(opinion)}
    return render(request, "participation/moderation_detail.html", context, status=400 if form.errors else 200)


@permission_required("participation.read_moderation_log")
@require_safe
def moderation_log(request):
    form = ModerationLogFilterForm(request.GET or None)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    page = Paginator(selectors.moderation_log(action=action), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "entries": selectors.with_log_targets(page.object_list),
        "action": action,
        "base_query": urlencode({"action": action}) if action else "",
    }
    return render(request, "participation/moderation_log.html", context)


@permission_required("participation.manage_events")
@require_safe
def event_manage(request):
    page = Paginator(selectors.events().order_by("-starts_at"), EVENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participation/event_manage.html", {"page": page, "events": page.object_list})


@permission_required("participation.manage_events")
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request):
    return _event_form(request, event=None)


@permission_required("participation.manage_events")
@require_http_methods(["GET", "HEAD", "POST"])
def event_update(request, pk: int):
    return _event_form(request, event=get_object_or_404(Event, pk=pk))


def _event_form(request, *, event: Event | None):
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = services.event_create(actor=request.user, **form.cleaned_data)
            else:
                event = services.event_update(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event “%(title)s” is saved.") % {"title": event.title})
            return redirect("participation:event_manage")
    status = 400 if form.errors else 200
    return render(request, "participation/event_form.html", {"form": form, "event": event}, status=status)
