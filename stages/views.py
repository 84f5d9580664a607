from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from lublin2030 import versions
from lublin2030.page_cache import cache_page
from lublin2030.permissions import permission_required
from lublin2030.templatetags.dates import month_year

from . import selectors, services
from .forms import CurrentStageForm
from .models import WindowKind

# The stage pages show other apps' panels (events, reports, the consultation, the strategy's
# progress): those without a version of their own are at most this old.
STAGE_PAGE_SECONDS = 60


@dataclass
class TimelineRow:
    """One stage of the home page's timeline with what the template shows, worked out once: the
    template then only prints (it used to reverse each stage's address and format four dates)."""

    entry: selectors.TimelineEntry
    url: str
    starts_on: str  # ISO, for <time datetime>
    ends_on: str
    starts_label: str  # "grudzień 2020"
    ends_label: str
    windows: str  # "zbieranie opinii, rekrutacja do grup roboczych", or empty


def timeline_rows(calendar) -> list[TimelineRow]:
    # One reversal for the nine addresses: they differ only in the slug.
    pattern = reverse("stages:detail", kwargs={"slug": "slug"})
    head, tail = pattern[: pattern.rindex("slug")], pattern[pattern.rindex("slug") + 4 :]
    labels = {}

    def label(day):
        key = (day.year, day.month)
        if key not in labels:
            labels[key] = month_year(day)
        return labels[key]

    return [
        TimelineRow(
            entry=entry,
            url=f"{head}{entry.stage.slug}{tail}",
            starts_on=entry.stage.starts_on.isoformat(),
            ends_on=entry.stage.ends_on.isoformat(),
            starts_label=label(entry.stage.starts_on),
            ends_label=label(entry.stage.ends_on),
            windows=", ".join(str(window.get_kind_display()).lower() for window in entry.stage.windows.all()),
        )
        for entry in calendar.timeline()
    ]


@cache_page("home", depends_on=[versions.CALENDAR], by_day=True, seconds=3600)
def home(request):
    calendar = selectors.calendar()
    context = {
        "timeline": timeline_rows(calendar),
        "running_stages": calendar.running_stages(),
        "open_windows": calendar.open_window_statuses(),
        "next_window": calendar.next_window(),
    }
    return render(request, "stages/home.html", context)


@cache_page("stage", depends_on=[versions.CALENDAR, versions.STRATEGY], by_day=True, seconds=STAGE_PAGE_SECONDS)
def stage_detail(request, slug):
    calendar = selectors.calendar()
    stage = next((s for s in calendar.stages if s.slug == slug), None)
    if stage is None:
        raise Http404
    context = {
        "stage": stage,
        "is_current": stage in calendar.running_stages(),
        "is_extended": calendar.is_extended(stage),
        "windows": calendar.stage_window_statuses(stage),
    }
    return render(request, "stages/stage_detail.html", context)


@method_decorator(permission_required("stages.manage_process"), name="dispatch")
class ManageProcessView(View):
    template_name = "stages/manage.html"

    def get(self, request):
        calendar = selectors.calendar()
        form = CurrentStageForm(initial={"stage": calendar.pinned_stage})
        return self._render(form, calendar)

    def post(self, request):
        form = CurrentStageForm(request.POST)
        if not form.is_valid():
            return self._render(form, selectors.calendar(), status=400)
        services.process_set_current_stage(
            actor=request.user, stage=form.cleaned_data["stage"], reason=form.cleaned_data["reason"]
        )
        if form.cleaned_data["stage"]:
            messages.success(request, _("The current stage is now set by hand."))
        else:
            messages.success(request, _("The current stage follows the calendar again."))
        return redirect("stages:manage")

    def _render(self, form, calendar, status=200):
        state, pinned = calendar.state, calendar.pinned_stage
        context = {
            "form": form,
            "state": state,
            # ProcessState.changed_by is empty when a command pinned the stage or the account was deleted.
            "set_by": str(state.changed_by)
            if state and state.changed_by
            else _("a server command or a deleted account"),
            "pinned_extended": pinned is not None and calendar.is_extended(pinned),
            "calendar_stage": calendar.calendar_stage(),
            "timeline": calendar.timeline(),
            "window_kinds": WindowKind,
        }
        return render(self.request, self.template_name, context, status=status)
