"""Staff pages of stage IX (/panel/realizacja/): sector strategies, actions, measurements of indicators and
their import, the educational programme, the annual report. Each form calls one service; the service's
message goes back onto the form's field.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required
from participation.imports import discard_upload, store_upload, upload_path
from strategy.adoption.selectors import reading_version
from strategy.selectors import current_strategy

from . import selectors, services
from .forms import (
    ActionForm,
    EducationalEventForm,
    MeasurementForm,
    MeasurementUploadForm,
    ReportYearForm,
    SectorStrategyForm,
)
from .measurement_import import measurements_import
from .models import Action, EducationalEvent, Measurement, SectorStrategy

MANAGE = "implementation.manage_implementation"
MEASURE = "implementation.record_measurements"
SESSION_KEY = "implementation_import"


def _strategy_and_version():
    strategy = current_strategy()
    if strategy is None:
        raise Http404
    return strategy, reading_version(strategy)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@permission_required(MANAGE)
def home(request):
    strategy, version = _strategy_and_version()
    context = {
        "version": version,
        "sector_strategies": SectorStrategy.objects.filter(strategy=strategy).order_by("name"),
        "actions": Action.objects.filter(strategy=strategy).select_related("district").order_by("title", "id"),
        "indicators": selectors.structure(version)[2] if version else [],
        "educational": selectors.educational_events(),
        "event_form": EducationalEventForm(),
        "report_form": ReportYearForm(),
    }
    return render(request, "implementation/staff/home.html", context)


def _edit(request, *, form_class, model, pk, save, template, initial_of):
    """The shared create/edit page of a sector strategy or an action: one form, one service call."""
    strategy, version = _strategy_and_version()
    obj = get_object_or_404(model, pk=pk, strategy=strategy) if pk else None
    kwargs = {"version": version}
    if form_class is ActionForm:
        kwargs["strategy"] = strategy
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                saved = save(request.user, strategy, form.cleaned_data, obj)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("“%(name)s” has been saved.") % {"name": saved})
                return redirect("implementation:staff_home")
        status = 400
    else:
        form = form_class(initial=initial_of(obj) if obj else None, **kwargs)
        status = 200
    return render(request, template, {"form": form, "object": obj, "version": version}, status=status)


def _save_sector_strategy(actor, strategy, data, obj):
    return services.sector_strategy_save(
        actor=actor, strategy=strategy, sector_strategy=obj, data=services.SectorStrategyData(**data)
    )


def _sector_strategy_initial(obj):
    keys = {kind: [e.key for e in obj.elements.all() if e.kind == kind] for kind in ("goal", "direction")}
    fields = ["name", "kind", "owner_department", "starts_year", "ends_year", "document_url", "adopted_by"]
    initial = {name: getattr(obj, name) for name in fields + ["description", "is_public"]}
    return {**initial, "goal_keys": keys["goal"], "direction_keys": keys["direction"]}


@permission_required(MANAGE)
def sector_strategy_edit(request, pk=None):
    return _edit(
        request,
        form_class=SectorStrategyForm,
        model=SectorStrategy,
        pk=pk,
        save=_save_sector_strategy,
        template="implementation/staff/sector_strategy_form.html",
        initial_of=_sector_strategy_initial,
    )


def _save_action(actor, strategy, data, obj):
    return services.action_save(actor=actor, strategy=strategy, action=obj, data=services.ActionData(**data))


def _action_initial(obj):
    names = ["title", "description", "responsible_unit", "district", "sector_strategy", "status", "is_public"]
    initial = {name: getattr(obj, name) for name in names}
    initial.update(
        planned_budget=str(obj.planned_budget).replace(".", ","),
        spent_budget=str(obj.spent_budget).replace(".", ","),
        starts_on=obj.starts_on.isoformat() if obj.starts_on else "",
        ends_on=obj.ends_on.isoformat() if obj.ends_on else "",
        direction_keys=list(obj.served.values_list("direction_key", flat=True)),
    )
    return initial


@permission_required(MANAGE)
def action_edit(request, pk=None):
    return _edit(
        request,
        form_class=ActionForm,
        model=Action,
        pk=pk,
        save=_save_action,
        template="implementation/staff/action_form.html",
        initial_of=_action_initial,
    )


@require_POST
@permission_required(MANAGE)
def delete(request, kind, pk):
    model = {"program": SectorStrategy, "dzialanie": Action, "edukacja": EducationalEvent}.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    if model is SectorStrategy:
        services.sector_strategy_delete(actor=request.user, sector_strategy=obj)
    elif model is Action:
        services.action_delete(actor=request.user, action=obj)
    else:
        services.educational_event_remove(actor=request.user, educational=obj)
    messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
    return redirect("implementation:staff_home")


@require_POST
@permission_required(MANAGE)
def educational_event(request):
    form = EducationalEventForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.educational_event_set(
                actor=request.user,
                event=data["event"],
                kind=data["kind"],
                audience=data["audience"],
                participants=data["participants"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(event)s” is part of the educational programme.") % {"event": data["event"]})
    else:
        messages.error(request, _("Choose the event and its kind."))
    return redirect(reverse("implementation:staff_home") + "#education")


# Measurements -----------------------------------------------------------------------------------


def _indicator(version, key):
    indicators = selectors.structure(version)[2] if version else []
    indicator = next((i for i in indicators if i.key == key), None)
    if indicator is None:
        raise Http404
    return indicator


@permission_required(MEASURE)
def indicator_measurements(request, key, measurement_pk=None):
    """An indicator's values: the list, a new one, or the correction of one."""
    strategy, version = _strategy_and_version()
    indicator = _indicator(version, key)
    measurement = (
        get_object_or_404(Measurement, pk=measurement_pk, strategy=strategy, indicator_key=key)
        if measurement_pk
        else None
    )
    status = 200
    if request.method == "POST":
        form = MeasurementForm(request.POST)
        if form.is_valid():
            data = services.MeasurementData(indicator=indicator, **form.cleaned_data)
            try:
                if measurement is None:
                    services.measurement_add(actor=request.user, strategy=strategy, data=data)
                else:
                    services.measurement_update(actor=request.user, measurement=measurement, data=data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The value has been saved."))
                return redirect("implementation:staff_indicator", key=key)
        status = 400
    elif measurement is not None:
        form = MeasurementForm(
            initial={
                "measured_on": measurement.measured_on.isoformat(),
                "value": f"{measurement.value.normalize():f}".replace(".", ","),
                "source": measurement.source,
                "note": measurement.note,
            }
        )
    else:
        form = MeasurementForm()
    measurements = Measurement.objects.filter(strategy=strategy, indicator_key=key).order_by("measured_on")
    context = {"indicator": indicator, "form": form, "measurements": measurements, "editing": measurement}
    return render(request, "implementation/staff/indicator.html", context, status=status)


@require_POST
@permission_required(MEASURE)
def measurement_delete(request, pk):
    measurement = get_object_or_404(Measurement, pk=pk)
    services.measurement_delete(actor=request.user, measurement=measurement)
    messages.success(request, _("The value has been deleted."))
    return redirect("implementation:staff_indicator", key=measurement.indicator_key)


@permission_required(MEASURE)
def measurement_import(request):
    """Upload → preview (a dry run with every error by row and column) → import all rows, or none."""
    strategy, version = _strategy_and_version()
    state = request.session.get(SESSION_KEY) or {}
    path = upload_path(state.get("token", ""))
    form = MeasurementUploadForm()
    outcome, status = None, 200
    if request.method == "POST" and request.POST.get("action") == "upload":
        form = MeasurementUploadForm(request.POST, request.FILES)
        if form.is_valid():
            discard_upload(state.get("token", ""))
            token, path = store_upload(form.cleaned_data["file"])
            state = {"token": token, "name": form.cleaned_data["file"].name[:200]}
            request.session[SESSION_KEY] = state
        else:
            status = 400
    confirm = request.method == "POST" and request.POST.get("action") == "confirm"
    if path is not None and status == 200:
        try:
            outcome = measurements_import(
                actor=request.user, strategy=strategy, path=path, name=state.get("name", ""), confirm=confirm
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            status = 400
            outcome = None
        if outcome is not None and outcome.imported:
            discard_upload(state["token"])
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("%(count)d values have been imported.") % {"count": len(outcome.accepted)})
            return redirect("implementation:staff_home")
        if outcome is not None and not outcome.ok:
            status = 400
    context = {"form": form, "outcome": outcome, "file_name": state.get("name", ""), "version": version}
    return render(request, "implementation/staff/import.html", context, status=status)


@require_POST
@permission_required("reports.request_report")
def report_request(request):
    """Ask the reports pipeline for the annual report of a year."""
    from .annual_report import monitoring_report_request

    form = ReportYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the year reported on."))
        return redirect("implementation:staff_home")
    try:
        monitoring_report_request(actor=request.user, year=form.cleaned_data["year"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("implementation:staff_home")
    messages.success(request, _("The annual report is being generated; follow it in the PDF reports panel."))
    return redirect("reports:list")
