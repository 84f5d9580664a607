"""Staff pages that set a consultation up: the list, preparing and announcing it, its meetings, the dashboard."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lublin2030.permissions import permission_required
from stages import selectors as stage_selectors
from stages.models import WindowKind
from strategy import selectors as strategy_selectors
from strategy.models import StrategyVersion, VersionState

from . import selectors, services
from .forms import ConsultationForm, MeetingForm, MeetingReportForm
from .models import Consultation, Meeting
from .views import readable


def _form_data(form) -> services.ConsultationData:
    return services.ConsultationData(**form.cleaned_data)


@permission_required("consultation.read_triage")
@require_safe
def staff_list(request):
    strategy = strategy_selectors.current_strategy()
    drafts = []
    if strategy is not None:
        drafts = list(
            StrategyVersion.objects.filter(
                strategy=strategy, state=VersionState.CONSULTATION_DRAFT, consultation__isnull=True
            ).order_by("-number")
        )
    context = {"consultations": list(selectors.consultations()), "drafts": drafts}
    return render(request, "consultation/staff/list.html", context)


@permission_required("consultation.manage_consultation")
@require_http_methods(["GET", "HEAD", "POST"])
def staff_create(request, number: int):
    strategy = strategy_selectors.current_strategy()
    version = strategy_selectors.version_by_number(strategy, number) if strategy else None
    if version is None:
        raise Http404
    today = timezone.localdate()
    initial = {
        "title": _("Consultation of the draft: %(title)s") % {"title": version.strategy.title},
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=Consultation.PERIOD_MIN_DAYS),
        "online_form": True,
        "visibility": "after_moderation",
    }
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, version=version, data=_form_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation is prepared. Check it, then announce it."))
            return redirect("consultation:staff_dashboard", pk=consultation.pk)
    status = 400 if form.errors else 200
    return render(
        request, "consultation/staff/form.html", {"form": form, "version": version, "consultation": None}, status=status
    )


@permission_required("consultation.manage_consultation")
@require_http_methods(["GET", "HEAD", "POST"])
def staff_edit(request, pk: int):
    consultation = readable(request, pk)
    form = ConsultationForm(request.POST or None, initial=ConsultationForm.initial_from(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(actor=request.user, consultation=consultation, data=_form_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect("consultation:staff_dashboard", pk=consultation.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "version": consultation.version, "consultation": consultation}
    return render(request, "consultation/staff/form.html", context, status=status)


@permission_required("consultation.manage_consultation")
@require_POST
def staff_announce(request, pk: int):
    consultation = readable(request, pk)
    try:
        services.consultation_announce(actor=request.user, consultation=consultation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The consultation is announced on the portal."))
    return redirect("consultation:staff_dashboard", pk=consultation.pk)


@permission_required("consultation.read_triage")
@require_safe
def staff_dashboard(request, pk: int):
    consultation = readable(request, pk)
    calendar_open = stage_selectors.calendar().window_status(WindowKind.CONSULTATION).is_open
    context = {
        "consultation": consultation,
        "dashboard": selectors.dashboard(consultation),
        "phase": consultation.phase(),
        "calendar_mismatch": consultation.is_open() and not calendar_open,
        "period_problem": services.period_problem(consultation.starts_on, consultation.ends_on),
    }
    return render(request, "consultation/staff/dashboard.html", context)


def _meeting_data(form) -> services.MeetingData:
    fields = ("title", "place", "starts_at", "ends_at", "description", "district")
    return services.MeetingData(**{name: form.cleaned_data[name] for name in fields})


@permission_required("consultation.read_triage")
@require_http_methods(["GET", "HEAD", "POST"])
def staff_meetings(request, pk: int):
    consultation = readable(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("consultation.manage_consultation", consultation):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.meeting_add(actor=request.user, consultation=consultation, data=_meeting_data(form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting is added; it is listed on the stage's page."))
                return redirect("consultation:staff_meetings", pk=consultation.pk)
    context = {"consultation": consultation, "meetings": selectors.meetings(consultation), "form": form}
    return render(request, "consultation/staff/meetings.html", context, status=400 if form.errors else 200)


@permission_required("consultation.manage_consultation")
@require_http_methods(["GET", "HEAD", "POST"])
def staff_meeting_edit(request, pk: int, meeting_pk: int):
    consultation = readable(request, pk)
    meeting = get_object_or_404(Meeting.objects.select_related("event"), pk=meeting_pk, consultation=consultation)
    event = meeting.event
    initial = {
        "title": event.title,
        "place": event.place,
        "starts_at": timezone.localtime(event.starts_at).replace(tzinfo=None),
        "ends_at": timezone.localtime(event.ends_at).replace(tzinfo=None) if event.ends_at else None,
        "district": event.district,
        "description": event.description,
        "participants": meeting.participants,
        "notes": meeting.notes,
    }
    form = MeetingReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                data=_meeting_data(form),
                participants=form.cleaned_data["participants"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("consultation:staff_meetings", pk=consultation.pk)
    context = {"consultation": consultation, "meeting": meeting, "form": form}
    return render(request, "consultation/staff/meeting_form.html", context, status=400 if form.errors else 200)
