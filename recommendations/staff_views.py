"""City staff's pages: verification, inclusion in the strategy, comment moderation, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required, require_permission
from participation.models import ModerationStatus
from stages.models import WindowKind
from stages.selectors import window_status

from . import exports, selectors, services
from .forms import (
    AssessmentForm,
    ExportForm,
    ModerationForm,
    ReturnForm,
)
from .models import AssessmentKind, Comment, Recommendation, RecommendationStatus
from .views import _errors

# Verification (coordinators) ------------------------------------------------------------------


@method_decorator(permission_required("recommendations.verify_recommendation"), name="dispatch")
class VerificationQueueView(View):
    def get(self, request):
        queue = list(selectors.verification_queue())
        for recommendation in queue:
            recommendation.current_assessments = selectors.current_assessments(recommendation)
        context = {
            "queue": queue,
            "kinds": AssessmentKind.choices,
            "verification": window_status(WindowKind.VERIFICATION),
        }
        return render(request, "recommendations/verification_queue.html", context)


@method_decorator(permission_required("recommendations.verify_recommendation"), name="dispatch")
class VerifyView(View):
    template_name = "recommendations/verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.recommendation = selectors.recommendation_detail(kwargs["pk"])
        if self.recommendation is None:
            raise Http404
        require_permission(request.user, "recommendations.verify_recommendation", self.recommendation)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render()

    def post(self, request, pk):
        action = request.POST.get("action")
        forms_by_kind, return_form = {}, None
        if action in AssessmentKind.values:
            form = AssessmentForm(request.POST, kind=action)
            forms_by_kind[action] = form
            if form.is_valid():
                try:
                    services.assessment_record(
                        actor=request.user,
                        recommendation=self.recommendation,
                        kind=action,
                        verdict=form.cleaned_data["verdict"],
                        justification=form.cleaned_data["justification"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(
                        request,
                        _("The %(kind)s assessment has been recorded.")
                        % {"kind": AssessmentKind(action).label.lower()},
                    )
                    return redirect("recommendations:verify", pk=pk)
        elif action == "return":
            return_form = ReturnForm(request.POST)
            if return_form.is_valid():
                try:
                    services.recommendation_return(
                        actor=request.user,
                        recommendation=self.recommendation,
                        reason=return_form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    return_form.add_error(None, error.messages)
                else:
                    messages.success(request, _("The recommendation has been returned to the group for changes."))
                    return redirect("recommendations:verification_queue")
        else:
            raise Http404
        return self._render(forms_by_kind=forms_by_kind, return_form=return_form, status=400)

    def _render(self, *, forms_by_kind=None, return_form=None, status=200):
        recommendation = self.recommendation
        recorded = {assessment.kind: assessment for assessment in recommendation.current_assessments}
        forms_by_kind = forms_by_kind or {}
        sections = [
            {
                "kind": kind,
                "label": label,
                "assessment": recorded.get(kind),
                "form": forms_by_kind.get(kind) or AssessmentForm(kind=kind),
            }
            for kind, label in AssessmentKind.choices
        ]
        context = {
            "recommendation": recommendation,
            "goals": list(recommendation.goals.all()),
            "directions": list(recommendation.directions.all()),
            "evidence": recommendation.public_evidence,
            "sections": sections,
            "return_form": return_form or ReturnForm(),
            "verifiable": recommendation.status
            in (RecommendationStatus.SUBMITTED, RecommendationStatus.IN_VERIFICATION),
            "verification": window_status(WindowKind.VERIFICATION),
        }
        return render(self.request, self.template_name, context, status=status)


@login_required
@require_POST
def include(request, pk):
    recommendation = get_object_or_404(Recommendation, pk=pk)
    if not request.user.has_perm("recommendations.include_recommendation", recommendation):
        raise PermissionDenied
    try:
        services.recommendation_include(actor=request.user, recommendation=recommendation)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The recommendation is now marked as included in the strategy."))
    return redirect(recommendation)


# Comment moderation ---------------------------------------------------------------------------


@method_decorator(permission_required("recommendations.moderate_comment"), name="dispatch")
class CommentModerationView(View):
    template_name = "recommendations/comment_moderation.html"

    def get(self, request):
        return self._render()

    def post(self, request):
        comment = get_object_or_404(Comment, pk=request.POST.get("comment"))
        form = ModerationForm(request.POST, prefix=f"c{comment.pk}")
        if form.is_valid():
            try:
                services.comment_moderate(
                    actor=request.user,
                    comment=comment,
                    publish=form.cleaned_data["decision"] == ModerationForm.PUBLISH,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Moderation decision saved."))
            return redirect(request.get_full_path())
        return self._render(invalid={comment.pk: form}, status=400)

    def _render(self, invalid=None, status=200):
        status_filter = self.request.GET.get("status", ModerationStatus.PENDING)
        if status_filter not in ModerationStatus.values:
            status_filter = ModerationStatus.PENDING
        page = Paginator(selectors.comment_moderation_queue(status=status_filter), 30).get_page(
            self.request.GET.get("page")
        )
        invalid = invalid or {}
        for comment in page:
            comment.form = invalid.get(comment.pk) or ModerationForm(prefix=f"c{comment.pk}")
        context = {"page": page, "status": status_filter, "statuses": ModerationStatus.choices}
        return render(self.request, self.template_name, context, status=status)


# Export ---------------------------------------------------------------------------------------


@method_decorator(permission_required("recommendations.export_recommendations"), name="dispatch")
class ExportView(View):
    CONTENT_TYPES = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json; charset=utf-8",
    }

    def get(self, request):
        form = ExportForm(request.GET or None)
        if not form.is_bound or not form.is_valid():
            return render(request, "recommendations/export.html", {"form": form}, status=400 if form.is_bound else 200)
        fmt = form.cleaned_data["format"]
        queryset = exports.export_queryset(include_drafts=form.cleaned_data["include_drafts"])
        body = {"csv": exports.to_csv, "xlsx": exports.to_xlsx, "json": exports.to_json}[fmt](queryset)
        response = HttpResponse(body, content_type=self.CONTENT_TYPES[fmt])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="rekomendacje-{stamp}.{fmt}"'
        return response
