"""Stage VIII pages: the coordinators' adoption page of a version, and the downloads of its documents.

The adoption page (/panel/strategia/wersje/<n>/uchwalenie/) publishes the final draft, records the board's
opinion, the mayor's submission and the session, and the resolution; each form calls one service.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lublin2030.permissions import permission_required

from ..models import VersionState
from ..workspace_views.common import WORKSPACE, _context, _flash, _form_errors, _version
from . import selectors, services
from .forms import ResolutionCorrectionForm, ResolutionForm, StepForm
from .models import IN_FORCE_STATES, AdoptionStep, AdoptionStepKind, Resolution


def _page_url(version) -> str:
    return reverse("adoption:ws", kwargs={"number": version.number})


@permission_required(WORKSPACE)
def adoption_page(request, number, *, forms=None, status=200):
    version = _version(request, number)
    record = selectors.adoption(version, with_checklist=True)
    can_record = version.state == VersionState.AFTER_CONSULTATION and request.user.has_perm(
        "strategy.record_adoption", version
    )
    forms = forms or {}
    steps = []
    for kind, label, step in record.ordered_steps:
        form = forms.get(kind)
        if form is None and can_record:
            initial = (
                {"happened_on": step.happened_on, "reference": step.reference, "notes": step.notes} if step else {}
            )
            if step and step.requested_on:
                initial["requested_on"] = step.requested_on
            form = StepForm(prefix=kind, kind=kind, initial=initial)
        steps.append({"kind": kind, "label": label, "step": step, "form": form})
    can_publish = version.state == VersionState.INTERNAL_REVIEW and request.user.has_perm(
        "strategy.publish_version", version
    )
    context = _context(
        request,
        version,
        record=record,
        steps=steps,
        board_due=services.board_opinion_due(record.board_opinion),
        can_record=can_record,
        can_publish_final=can_publish,
        final_problems=services.final_draft_problems(version) if can_publish else [],
        resolution_form=forms.get("resolution") or (ResolutionForm() if can_record else None),
        resolution_problems=services.adoption_problems(version) if can_record else [],
        in_force=version.state in IN_FORCE_STATES,
        correction_form=forms.get("correction") or _correction_form(request, version, record.resolution),
        corrections=list(record.resolution.corrections.select_related("corrected_by")) if record.resolution else [],
    )
    return render(request, "strategy/adoption/ws.html", context, status=status)


def _correction_form(request, version, resolution):
    if resolution is None or not request.user.has_perm("strategy.record_adoption", version):
        return None
    initial = {name: getattr(resolution, name) for name in services.CORRECTED_FIELDS}
    initial["number"] = resolution.display_number
    return ResolutionCorrectionForm(prefix="correction", initial=initial)


@require_POST
@permission_required(WORKSPACE)
def publish_final(request, number):
    version = _version(request, number)
    try:
        services.final_draft_publish(actor=request.user, version=version)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            _("Version %(number)d is public now as the final draft after the consultation.") % {"number": number},
        )
    return redirect(_page_url(version))


@require_POST
@permission_required(WORKSPACE)
def record_step(request, number, kind):
    version = _version(request, number)
    if kind not in AdoptionStepKind.values:
        raise Http404
    form = StepForm(request.POST, request.FILES, prefix=kind, kind=kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.adoption_step_record(
                actor=request.user,
                version=version,
                data=services.StepData(
                    kind=kind,
                    happened_on=data["happened_on"],
                    requested_on=data.get("requested_on"),
                    reference=data["reference"],
                    notes=data["notes"],
                    upload=data["upload"],
                ),
            )
        except ValidationError as error:
            _form_errors(request, form, error)
        else:
            messages.success(request, _("“%(step)s” has been recorded.") % {"step": AdoptionStepKind(kind).label})
            return redirect(_page_url(version) + f"#step-{kind}")
    return adoption_page(request, number, forms={kind: form}, status=400)


def _resolution_data(form) -> services.ResolutionData:
    fields = ("number", "adopted_on", "title", "bip_url", "upload")
    return services.ResolutionData(**{name: form.cleaned_data[name] for name in fields})


@require_POST
@permission_required(WORKSPACE)
def record_resolution(request, number):
    version = _version(request, number)
    form = ResolutionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            resolution = services.resolution_record(
                actor=request.user,
                version=version,
                data=_resolution_data(form),
            )
        except ValidationError as error:
            _form_errors(request, form, error)
        else:
            messages.success(
                request,
                _("Resolution %(number)s is recorded: version %(version)d is the strategy in force.")
                % {"number": resolution.display_number, "version": version.number},
            )
            return redirect(_page_url(version))
    return adoption_page(request, number, forms={"resolution": form}, status=400)


@require_POST
@permission_required(WORKSPACE)
def correct_resolution(request, number):
    version = _version(request, number)
    resolution = get_object_or_404(Resolution, version=version)
    form = ResolutionCorrectionForm(request.POST, request.FILES, prefix="correction")
    if form.is_valid():
        try:
            services.resolution_correct(
                actor=request.user,
                resolution=resolution,
                data=_resolution_data(form),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _form_errors(request, form, error)
        else:
            messages.success(request, _("The record of the resolution is corrected; its history keeps what it said."))
            return redirect(_page_url(version) + "#resolution-title")
    return adoption_page(request, number, forms={"correction": form}, status=400)


def _document_response(record, *, public: bool):
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = record.path.resolve() if record.has_document else None
    if path is None or root not in path.parents or not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=record.download_name, content_type=record.content_type
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def step_document(request, pk, name):
    """A step's document: public with its version (the board's opinion is a public document), staff before."""
    step = get_object_or_404(AdoptionStep.objects.select_related("version"), pk=pk)
    if not request.user.has_perm("strategy.read_version", step.version):
        raise Http404
    return _document_response(step, public=step.version.is_public)


@require_GET
def resolution_document(request, pk, name):
    """The signed resolution: public, like its version."""
    resolution = get_object_or_404(Resolution.objects.select_related("version"), pk=pk)
    return _document_response(resolution, public=True)
