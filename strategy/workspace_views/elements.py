"""Goals, directions of action and indicators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lublin2030.permissions import permission_required

from .. import selectors, services
from ..forms import CitationForm, DirectionForm, GoalForm, IndicatorForm
from ..models import StrategicGoal
from .common import WORKSPACE, _context, _element, _form_errors, _version, _version_url


@permission_required(WORKSPACE)
def goals(request, number):
    version = _version(request, number)
    document = selectors.document(version, public_attachments=False)
    form = GoalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.goal_save(
                    actor=request.user, version=version, data=services.GoalData(**_without_revision(form.cleaned_data))
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("Goal %(number)s added.") % {"number": goal.number})
                return redirect(_version_url(version, "strategy:ws_goals") + f"#g-{goal.key}")
        status = 400
    return render(request, "strategy/ws/goals.html", _context(request, version, doc=document, form=form), status=status)


def _without_revision(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "revision"}


def _citations_context(request, version, target) -> dict:
    context = {"citations": selectors.citations_of(target)}
    if version.is_editable and request.user.has_perm("strategy.edit_version", version):
        context["citation_form"] = CitationForm(recommendations=selectors.citable_recommendations())
    return context


@permission_required(WORKSPACE)
def goal_edit(request, number, key):
    version = _version(request, number)
    goal = _element(version, "goal", key)
    initial = {
        "title": goal.title,
        "dimension": goal.dimension,
        "description": goal.description,
        "revision": goal.revision,
    }
    form = GoalForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.goal_save(
                    actor=request.user,
                    version=version,
                    goal=goal,
                    expected_revision=form.cleaned_data["revision"],
                    data=services.GoalData(**_without_revision(form.cleaned_data)),
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The goal has been saved."))
                return redirect(_version_url(version, "strategy:ws_goals") + f"#g-{goal.key}")
        status = 400
    context = _context(
        request, version, element=goal, kind="goal", form=form, **_citations_context(request, version, goal)
    )
    return render(request, "strategy/ws/element.html", context, status=status)


@permission_required(WORKSPACE)
def direction_edit(request, number, key=None):
    version = _version(request, number)
    direction = _element(version, "direction", key) if key else None
    initial = {
        "goal": request.GET.get("cel") and StrategicGoal.objects.filter(version=version, key=request.GET["cel"]).first()
    }
    if direction is not None:
        initial = {
            "goal": direction.goal_id,
            "kind": direction.kind,
            "title": direction.title,
            "description": direction.description,
            "revision": direction.revision,
        }
    form = DirectionForm(request.POST or None, initial=initial, version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.direction_save(
                    actor=request.user,
                    version=version,
                    goal=data["goal"],
                    direction=direction,
                    expected_revision=data["revision"],
                    data=services.DirectionData(
                        title=data["title"], description=data["description"], kind=data["kind"]
                    ),
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("Direction %(number)s has been saved.") % {"number": saved.number})
                return redirect(_version_url(version, "strategy:ws_goals") + f"#d-{saved.key}")
        status = 400
    extra = _citations_context(request, version, direction) if direction else {}
    context = _context(request, version, element=direction, kind="direction", form=form, **extra)
    return render(request, "strategy/ws/element.html", context, status=status)


@permission_required(WORKSPACE)
def indicator_edit(request, number, key=None):
    version = _version(request, number)
    indicator = _element(version, "indicator", key) if key else None
    initial = {"parent": request.GET.get("rodzic", ""), "target_year": version.strategy.ends_year}
    if indicator is not None:
        parent = f"d:{indicator.direction.key}" if indicator.direction_id else f"g:{indicator.goal.key}"
        initial = {
            "parent": parent,
            **{
                name: getattr(indicator, name)
                for name in (
                    "name",
                    "unit",
                    "baseline_year",
                    "target_year",
                    "source",
                    "frequency",
                    "polarity",
                    "revision",
                )
            },
            "baseline_value": services_decimal(indicator.baseline_value),
            "target_value": services_decimal(indicator.target_value),
        }
    form = IndicatorForm(request.POST or None, initial=initial, version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            goal, direction = form.parent_objects()
            try:
                saved = services.indicator_save(
                    actor=request.user,
                    version=version,
                    indicator=indicator,
                    expected_revision=data["revision"],
                    data=services.IndicatorData(
                        name=data["name"],
                        unit=data["unit"],
                        baseline_value=data["baseline_value"],
                        baseline_year=data["baseline_year"],
                        target_value=data["target_value"],
                        target_year=data["target_year"],
                        source=data["source"],
                        frequency=data["frequency"],
                        polarity=data["polarity"],
                        goal=goal,
                        direction=direction,
                    ),
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The indicator has been saved."))
                return redirect(_version_url(version, "strategy:ws_goals") + f"#i-{saved.key}")
        status = 400
    context = _context(request, version, element=indicator, kind="indicator", form=form)
    return render(request, "strategy/ws/element.html", context, status=status)


def services_decimal(value) -> str:
    from ..diff import decimal_text

    return decimal_text(value).replace("\xa0", " ")
