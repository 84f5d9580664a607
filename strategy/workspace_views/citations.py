"""Recommendations in the strategy: citing and un-citing, and the coverage page with the written
reasons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required
from recommendations.models import Recommendation

from .. import selectors, services
from ..forms import CitationForm, ExplanationForm
from ..models import Citation, RecommendationExplanation
from .common import WORKSPACE, _context, _element, _flash, _form_errors, _version, _version_url


@require_POST
@permission_required(WORKSPACE)
def citation_add(request, number):
    version = _version(request, number)
    target = _element(version, request.POST.get("kind", ""), request.POST.get("key", ""))
    form = CitationForm(request.POST, recommendations=selectors.citable_recommendations())
    if form.is_valid():
        try:
            services.citation_add(
                actor=request.user, version=version, recommendation=form.cleaned_data["recommendation"], target=target
            )
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("The recommendation is cited."))
    else:
        messages.error(request, _("Choose a recommendation included in the strategy."))
    return redirect(request.POST.get("next") or _version_url(version))


@require_POST
@permission_required(WORKSPACE)
def citation_remove(request, number, pk):
    version = _version(request, number)
    citation = get_object_or_404(Citation, pk=pk, version=version)
    try:
        services.citation_remove(actor=request.user, citation=citation)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The citation has been removed."))
    return redirect(request.POST.get("next") or _version_url(version))


@permission_required(WORKSPACE)
def coverage(request, number):
    version = _version(request, number)
    rows = selectors.coverage(version)
    invalid = {}
    if request.method == "POST":
        recommendation = get_object_or_404(Recommendation, pk=request.POST.get("recommendation"))
        if request.POST.get("remove"):
            explanation = get_object_or_404(RecommendationExplanation, version=version, recommendation=recommendation)
            try:
                services.explanation_remove(actor=request.user, explanation=explanation)
            except ValidationError as error:
                _flash(request, error)
            return redirect(_version_url(version, "strategy:ws_coverage"))
        form = ExplanationForm(request.POST, prefix=f"r{recommendation.pk}")
        if form.is_valid():
            try:
                services.explanation_set(
                    actor=request.user,
                    version=version,
                    recommendation=recommendation,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The explanation has been saved."))
                return redirect(_version_url(version, "strategy:ws_coverage"))
        invalid[recommendation.pk] = form
    context = _context(request, version)
    for row in rows:
        initial = {"reason": row.explanation.reason} if row.explanation else None
        row.form = invalid.get(row.recommendation.pk) or ExplanationForm(
            prefix=f"r{row.recommendation.pk}", initial=initial
        )
    context.update(rows=rows, uncovered=sum(1 for row in rows if not row.covered))
    return render(request, "strategy/ws/coverage.html", context, status=400 if invalid else 200)
