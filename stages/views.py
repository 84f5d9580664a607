from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from lublin2030.permissions import permission_required

from . import selectors, services
from .forms import CurrentStageForm
from .models import WindowKind


def home(request):
    calendar = selectors.calendar()
    context = {
        "timeline": calendar.timeline(),
        "running_stages": calendar.running_stages(),
        "open_windows": calendar.open_window_statuses(),
        "next_window": calendar.next_window(),
    }
    return render(request, "stages/home.html", context)


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
