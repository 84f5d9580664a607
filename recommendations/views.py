from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from lublin2030 import ratelimit
from lublin2030.permissions import permission_required, require_permission
from participation.models import Area, ModerationStatus, Opinion
from stages.models import WindowKind
from stages.selectors import window_status
from workgroups.selectors import group_by_slug, group_leader

from . import diff, exports, selectors, services
from .forms import (
    AssessmentForm,
    CommentForm,
    EvidenceSearchForm,
    ExportForm,
    InternalCommentForm,
    ModerationForm,
    ReturnForm,
    StructureEditor,
)
from .models import PUBLIC_STATUSES, AssessmentKind, Comment, Recommendation, RecommendationStatus


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _visible_or_404(request, pk) -> Recommendation:
    """Drafts of a group are not merely forbidden to others: they do not exist for them."""
    recommendation = selectors.recommendation_detail(pk)
    if recommendation is None or not request.user.has_perm("recommendations.read_recommendation", recommendation):
        raise Http404
    return recommendation


def _plain_or_404(request, pk, permission: str) -> Recommendation:
    recommendation = get_object_or_404(Recommendation.objects.select_related("group__area"), pk=pk)
    if not request.user.has_perm("recommendations.read_recommendation", recommendation):
        raise Http404
    if not request.user.has_perm(permission, recommendation):
        raise PermissionDenied
    return recommendation


# Public pages ---------------------------------------------------------------------------------


def recommendation_list(request):
    areas = list(Area.objects.filter(working_group__isnull=False).order_by("position", "name_pl"))
    area = next((a for a in areas if a.slug == request.GET.get("obszar")), None)
    status = request.GET.get("status") if request.GET.get("status") in PUBLIC_STATUSES else ""
    query = request.GET.get("q", "").strip()[:200]
    recommendations = selectors.public_recommendation_list(area=area, status=status or None, query=query)
    page = Paginator(recommendations, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "areas": areas,
        "area": area,
        "status": status,
        "statuses": [(value, label) for value, label in RecommendationStatus.choices if value in PUBLIC_STATUSES],
        "query": query,
        "comments_window": window_status(WindowKind.RECOMMENDATION_COMMENTS),
    }
    return render(request, "recommendations/list.html", context)


def recommendation_detail(request, pk):
    recommendation = _visible_or_404(request, pk)
    return _render_detail(request, recommendation)


def _render_detail(request, recommendation, *, comment_form=None, internal_form=None, status=200):
    user = request.user
    workspace = user.has_perm("recommendations.read_workspace_items", recommendation)
    verdicts_public = recommendation.verdicts_are_public
    comments_window = window_status(WindowKind.RECOMMENDATION_COMMENTS)
    can_comment = recommendation.is_public and user.has_perm("recommendations.comment_recommendation", recommendation)
    context = {
        "recommendation": recommendation,
        "goals": list(recommendation.goals.all()),
        "directions": list(recommendation.directions.all()),
        "evidence": recommendation.public_evidence,
        "assessments": recommendation.current_assessments,
        "show_assessments": verdicts_public or user.has_perm("recommendations.verify_recommendation"),
        "comments": list(selectors.published_comments(recommendation)) if recommendation.is_public else [],
        "my_comments": list(selectors.comments_of(user, recommendation)),
        "comments_window": comments_window,
        "can_comment": can_comment and comments_window.is_open,
        "comment_form": comment_form or CommentForm(),
        "workspace": workspace,
        "can_edit": user.has_perm("recommendations.edit_recommendation", recommendation),
        "can_submit": user.has_perm("recommendations.submit_recommendation", recommendation),
        "can_verify": recommendation.status in (RecommendationStatus.SUBMITTED, RecommendationStatus.IN_VERIFICATION)
        and user.has_perm("recommendations.verify_recommendation", recommendation),
        "can_include": recommendation.status == RecommendationStatus.VERIFIED
        and user.has_perm("recommendations.include_recommendation", recommendation),
    }
    if workspace:
        context["internal_comments"] = list(selectors.internal_comments(recommendation))
        context["internal_form"] = internal_form or InternalCommentForm()
        context["can_comment_internally"] = user.has_perm("recommendations.write_internal_comment", recommendation)
        context.update(_submission_context(user, recommendation))
    return render(request, "recommendations/detail.html", context, status=status)


def _submission_context(user, recommendation) -> dict:
    """Who may submit, and what stands in the way: members see why they have no button."""
    if not recommendation.is_editable:
        return {"submittable": False}
    return {
        "submittable": True,
        "can_submit": user.has_perm("recommendations.submit_recommendation", recommendation),
        "leader": group_leader(recommendation.group),
        "problems": services.completeness_problems(recommendation),
        "drafting": window_status(WindowKind.DRAFTING),
    }


@login_required
@require_POST
def comment_create(request, pk):
    recommendation = _visible_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_submit(
                actor=request.user,
                recommendation=recommendation,
                text=form.cleaned_data["text"],
                ip_address=ratelimit.client_ip(request),
            )
        except PermissionDenied:
            messages.error(request, _("Only residents with a verified e-mail address can comment."))
            return redirect(recommendation)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            if isinstance(error, ratelimit.RateLimited):
                return _render_detail(request, recommendation, comment_form=form, status=429)
        else:
            messages.success(request, _("Thank you: your comment will be published after moderation."))
            return redirect(recommendation)
    return _render_detail(request, recommendation, comment_form=form, status=400)


def opinion_trace(request, opinion_pk):
    """Where did this opinion go? The public recommendations citing one published opinion."""
    opinion = get_object_or_404(Opinion.objects.select_related("area", "district"), pk=opinion_pk)
    if not request.user.has_perm("participation.read_opinion", opinion):
        raise Http404
    context = {
        "opinion": opinion,
        "trace_recommendations": selectors.recommendations_citing(opinion_ids=[opinion.pk]).get(opinion.pk, []),
    }
    return render(request, "recommendations/opinion_trace.html", context)


# The group's work -----------------------------------------------------------------------------


class _EditorView(View):
    template_name = "recommendations/edit.html"

    def _added_row(self, request):
        """The "add a goal" and "add a direction" buttons: the page again with one more row, nothing saved."""
        kind = request.POST.get("add_row")
        if kind not in StructureEditor.ROW_KINDS:
            return None
        return self._render(StructureEditor.with_added_row(request.POST, kind=kind))

    def _render(self, editor, *, conflict=None, status=200):
        context = {
            "editor": editor,
            "group": self.group,
            "recommendation": getattr(self, "recommendation", None),
            "conflict": conflict,
            "drafting": window_status(WindowKind.DRAFTING),
        }
        return render(self.request, self.template_name, context, status=status)


@method_decorator(login_required, name="dispatch")
class RecommendationCreateView(_EditorView):
    def dispatch(self, request, *args, **kwargs):
        self.group = group_by_slug(kwargs["group_slug"])
        if self.group is None:
            raise Http404
        require_permission(request.user, "recommendations.create_recommendation", self.group)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, group_slug):
        return self._render(StructureEditor())

    def post(self, request, group_slug):
        if added := self._added_row(request):
            return added
        editor = StructureEditor(request.POST)
        if editor.is_valid():
            try:
                recommendation = services.recommendation_create(
                    actor=request.user, group=self.group, structure=editor.structure
                )
            except ValidationError as error:
                editor.structure_errors.extend(error.messages)
            else:
                messages.success(request, _("The recommendation has been saved (version 1)."))
                return redirect(recommendation)
        return self._render(editor, status=400)


@method_decorator(login_required, name="dispatch")
class RecommendationEditView(_EditorView):
    def dispatch(self, request, *args, **kwargs):
        self.recommendation = _plain_or_404(request, kwargs["pk"], "recommendations.read_recommendation")
        self.group = self.recommendation.group
        require_permission(request.user, "recommendations.edit_recommendation", self.recommendation)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(StructureEditor(recommendation=self.recommendation))

    def post(self, request, pk):
        if added := self._added_row(request):
            return added
        editor = StructureEditor(request.POST, recommendation=self.recommendation)
        if editor.is_valid():
            old_version = self.recommendation.version
            try:
                recommendation = services.recommendation_update(
                    actor=request.user,
                    recommendation=self.recommendation,
                    expected_version=editor.main.cleaned_data["version"],
                    structure=editor.structure,
                )
            except services.EditConflict as conflict:
                return self._conflict(request, conflict)
            except ValidationError as error:
                editor.structure_errors.extend(error.messages)
            else:
                if recommendation.version == old_version:
                    messages.info(request, _("Nothing has changed, so no new version was saved."))
                else:
                    messages.success(request, _("Saved as version %(number)d.") % {"number": recommendation.version})
                return redirect(recommendation)
        return self._render(editor, status=400)

    def _conflict(self, request, conflict):
        """Keep what the member typed, show what the other person changed, and let them save over it knowingly."""
        data = request.POST.copy()
        latest = conflict.latest
        data["version"] = str(latest.number if latest else self.recommendation.version)
        editor = StructureEditor(data, recommendation=self.recommendation)
        editor.is_valid()
        base = self.recommendation.versions.filter(number=conflict.base_version).first()
        changes = None
        if base is not None and latest is not None:
            changes = [field for field in diff.compare(base.snapshot, latest.snapshot) if field.changed]
        context = {"message": conflict.messages[0], "latest": latest, "base": base, "changes": changes}
        return self._render(editor, conflict=context, status=409)


@login_required
def evidence(request, pk):
    recommendation = _plain_or_404(request, pk, "recommendations.read_workspace_items")
    can_change = request.user.has_perm("recommendations.edit_recommendation", recommendation)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            if "attach" in request.POST:
                opinion = get_object_or_404(Opinion, pk=request.POST.get("attach"))
                services.evidence_attach(actor=request.user, recommendation=recommendation, opinion=opinion)
                messages.success(request, _("Opinion #%(id)d is now evidence.") % {"id": opinion.pk})
            elif "detach" in request.POST:
                services.evidence_detach(
                    actor=request.user, recommendation=recommendation, opinion_id=int(request.POST["detach"])
                )
                messages.success(request, _("The opinion is no longer evidence."))
        except (ValueError, ValidationError) as error:
            if isinstance(error, ValidationError):
                _errors(request, error)
            else:
                messages.error(request, _("Choose an opinion."))
        params = urlencode({name: request.POST[name] for name in ("q", "all_areas") if request.POST.get(name)})
        return redirect(request.path + (f"?{params}" if params else ""))
    form = EvidenceSearchForm(request.GET or None)
    context = {
        "recommendation": recommendation,
        "attached": list(selectors.attached_evidence(recommendation)),
        "can_change": can_change,
        "drafting": window_status(WindowKind.DRAFTING),
        **_search(recommendation, form),
    }
    return render(request, "recommendations/evidence.html", context)


def _search(recommendation, form) -> dict:
    query, all_areas = "", False
    if form.is_bound and form.is_valid():
        query, all_areas = form.cleaned_data["q"], form.cleaned_data["all_areas"]
    results = list(selectors.evidence_candidates(recommendation=recommendation, query=query, all_areas=all_areas))
    return {"form": form, "results": results, "query": query, "all_areas": all_areas, "searched": form.is_bound}


@login_required
def evidence_search(request, pk):
    """The search results alone, for htmx: the page updates as the member types."""
    recommendation = _plain_or_404(request, pk, "recommendations.edit_recommendation")
    context = {
        "recommendation": recommendation,
        "can_change": True,
        **_search(recommendation, EvidenceSearchForm(request.GET)),
    }
    return render(request, "recommendations/_evidence_results.html", context)


@login_required
def history(request, pk):
    recommendation = _plain_or_404(request, pk, "recommendations.read_workspace_items")
    versions = list(selectors.versions_of(recommendation))
    by_number = {version.number: version for version in versions}
    try:
        new_number = int(request.GET.get("do", versions[0].number if versions else 0))
        old_number = int(request.GET.get("od", versions[1].number if len(versions) > 1 else new_number))
    except ValueError:
        new_number = old_number = versions[0].number if versions else 0
    old, new = by_number.get(old_number), by_number.get(new_number)
    changes = diff.compare(old.snapshot, new.snapshot) if old and new else []
    context = {"recommendation": recommendation, "versions": versions, "old": old, "new": new, "changes": changes}
    return render(request, "recommendations/history.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, pk):
    """Submitting cannot be undone: a page asks the leader to confirm, with no JavaScript needed."""
    recommendation = _plain_or_404(request, pk, "recommendations.read_workspace_items")
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        context = {"recommendation": recommendation, **_submission_context(request.user, recommendation)}
        return render(request, "recommendations/submit_confirm.html", context)
    try:
        services.recommendation_submit(actor=request.user, recommendation=recommendation)
    except PermissionDenied:
        messages.error(request, _("Only the group's leader can submit a recommendation."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The recommendation has been submitted: it is now public and awaits verification."))
    return redirect(recommendation)


@login_required
@require_POST
def internal_comment_create(request, pk):
    recommendation = _visible_or_404(request, pk)
    if not request.user.has_perm("recommendations.write_internal_comment", recommendation):
        raise PermissionDenied
    form = InternalCommentForm(request.POST)
    if form.is_valid():
        services.internal_comment_add(actor=request.user, recommendation=recommendation, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment has been added for the group."))
        return redirect(recommendation.get_absolute_url() + "#internal-comments")
    return _render_detail(request, recommendation, internal_form=form, status=400)


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
