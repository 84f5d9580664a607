"""The versions: the workspace's home, starting a version, a version's page, its changes of state,
and the differences between any two versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required

from .. import selectors, services
from ..forms import ChapterForm, CompareForm, ReasonForm, VersionCreateForm
from ..models import VersionState
from ..views import comparison_html
from .common import WORKSPACE, _context, _flash, _strategy, _version, _version_url


@permission_required(WORKSPACE)
def home(request):
    strategy = _strategy()
    versions = list(selectors.all_versions(strategy))
    working = next((v for v in versions if v.state == VersionState.WORKING), None)
    frozen = [v for v in versions if v.state != VersionState.WORKING]
    context = {
        "strategy": strategy,
        "versions": versions,
        "working": working,
        "can_create": working is None and request.user.has_perm("strategy.create_version", strategy),
        "create_form": VersionCreateForm(versions=selectors.all_versions(strategy).exclude(state=VersionState.WORKING)),
        "frozen": frozen,
        "can_manage_team": request.user.has_perm("strategy.manage_team", strategy),
        "compare_form": CompareForm(versions=versions),
    }
    return render(request, "strategy/ws/home.html", context)


@require_POST
@permission_required("strategy.create_version")
def version_create(request):
    strategy = _strategy()
    form = VersionCreateForm(
        request.POST, versions=selectors.all_versions(strategy).exclude(state=VersionState.WORKING)
    )
    if not form.is_valid():
        messages.error(request, _("Choose the version the new one starts from."))
        return redirect("strategy:ws_home")
    try:
        version = services.version_create(
            actor=request.user,
            strategy=strategy,
            based_on=form.cleaned_data["based_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _flash(request, error)
        return redirect("strategy:ws_home")
    messages.success(request, _("Version %(number)d is the new working draft.") % {"number": version.number})
    return redirect(_version_url(version))


@permission_required(WORKSPACE)
def version_page(request, number):
    version = _version(request, number)
    document = selectors.document(version, with_source=False, public_attachments=False)
    context = _context(
        request,
        version,
        doc=document,
        open_comments=selectors.open_comment_counts(version),
        chapter_form=ChapterForm(),
        reason_form=ReasonForm(),
        history=list(selectors.state_changes(version)),
        can_submit=version.state in (VersionState.WORKING, VersionState.INTERNAL_REVIEW)
        and request.user.has_perm("strategy.submit_version", version),
        can_publish=version.state == VersionState.INTERNAL_REVIEW
        and request.user.has_perm("strategy.publish_version", version),
    )
    if context["can_submit"] and version.state == VersionState.WORKING:
        context["uncovered"] = list(selectors.uncovered_recommendations(version))
    if context["can_publish"]:
        context["publication_problems"] = services.publication_problems(version)
    if version.is_public:
        context["pdf"] = selectors.version_pdf(version)
        context["can_request_pdf"] = request.user.has_perm("strategy.publish_version", version)
    return render(request, "strategy/ws/version.html", context)


@require_POST
@permission_required(WORKSPACE)
def version_state(request, number):
    version = _version(request, number)
    action = request.POST.get("action")
    try:
        if action == "submit":
            services.version_submit_for_review(actor=request.user, version=version)
            messages.success(request, _("Version %(number)d is now in internal review.") % {"number": version.number})
        elif action == "return":
            services.version_return_to_drafting(
                actor=request.user, version=version, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Version %(number)d is the working draft again.") % {"number": version.number})
        elif action == "pdf":
            if services.version_pdf_request(actor=request.user, version=version) is None:
                messages.info(request, _("The PDF of this version is ready or being made."))
            else:
                messages.success(request, _("The PDF of this version is being made."))
        elif action == "publish":
            services.version_publish(actor=request.user, version=version)
            messages.success(
                request, _("Version %(number)d is public now as the consultation draft.") % {"number": version.number}
            )
        else:
            raise Http404
    except ValidationError as error:
        _flash(request, error)
    return redirect(_version_url(version))


@permission_required(WORKSPACE)
def compare(request):
    strategy = _strategy()
    versions = list(selectors.all_versions(strategy))
    form = CompareForm(request.GET or None, versions=versions)
    context = {"strategy": strategy, "compare_form": form, "comparison_html": None}
    if form.is_bound and form.is_valid():
        by_number = {version.number: version for version in versions}
        numbers = sorted({form.cleaned_data["od"], form.cleaned_data["do"]})
        if len(numbers) == 2:
            context.update(
                old=by_number[numbers[0]],
                new=by_number[numbers[1]],
                comparison_html=comparison_html(by_number[numbers[0]], by_number[numbers[1]], public=False),
            )
        else:
            context["same"] = True
    return render(request, "strategy/ws/compare.html", context)
