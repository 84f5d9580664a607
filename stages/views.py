from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from . import selectors, services
from .forms import CurrentStageForm
from .models import WindowKind


def home(request):
    calendar = selectors.calendar()
    context = {
        "timeline": calendar.timeline(),
        "running_stages": calendar.running_stages(),
        "open_windows": calendar.open_windows(),
        "next_window": calendar.next_window(),
    }
    return render(request, "stages/home.html", context)


def stage_detail(request, slug):
    stage = get_object_or_404(selectors.stage_list(), slug=slug)
    context = {
        "stage": stage,
        "is_current": stage in selectors.running_stages(),
        "windows": stage.windows.all(),
    }
    return render(request, "stages/stage_detail.html", context)


class ManageProcessView(PermissionRequiredMixin, View):
    permission_required = "stages.manage_process"
    template_name = "stages/manage.html"

    def get(self, request):
        state = selectors.process_state()
        form = CurrentStageForm(initial={"stage": state.current_stage_override if state else None})
        return self._render(form, state)

    def post(self, request):
        form = CurrentStageForm(request.POST)
        if not form.is_valid():
            return self._render(form, selectors.process_state(), status=400)
        services.process_set_current_stage(
            actor=request.user, stage=form.cleaned_data["stage"], reason=form.cleaned_data["reason"]
        )
        if form.cleaned_data["stage"]:
            messages.success(request, _("The current stage is now set by hand."))
        else:
            messages.success(request, _("The current stage follows the calendar again."))
        return redirect("stages:manage")

    def _render(self, form, state, status=200):
        calendar = selectors.calendar()
        context = {
            "form": form,
            "state": state,
            "calendar_stage": calendar.calendar_stage(),
            "timeline": calendar.timeline(),
            "window_kinds": WindowKind,
        }
        return render(self.request, self.template_name, context, status=status)
