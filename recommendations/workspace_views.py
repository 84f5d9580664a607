"""The working group's own pages: drafting, evidence, history, submitting, internal comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from lublin2030.permissions import require_permission
from participation.models import Opinion
from stages.models import WindowKind
from stages.selectors import window_status
from workgroups.selectors import group_by_slug

from . import diff, selectors, services
from .forms import (
    EvidenceSearchForm,
    InternalCommentForm,
    StructureEditor,
)
from .views import _errors, _plain_or_404, _render_detail, _submission_context, _visible_or_404

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
