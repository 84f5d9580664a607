from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_POST

from lublin2030 import versions
from lublin2030.page_cache import cache_page
from lublin2030.permissions import permission_required
from stages.models import WindowKind
from stages.selectors import window_status

from . import selectors, services
from .forms import ApplicationForm, DecisionForm, MemberImportForm
from .imports import read_member_file
from .models import Application, ApplicationStatus, Membership


def _group_or_404(slug):
    group = selectors.group_by_slug(slug)
    if group is None:
        raise Http404
    return group


def _pending(applications) -> Application | None:
    return next((a for a in applications if a.status == ApplicationStatus.PENDING), None)


def _first_message(error: ValidationError) -> str:
    return error.messages[0] if error.messages else str(error)


def group_list(request):
    groups = selectors.groups_with_composition()
    context = {
        "groups": groups,
        "recruitment": window_status(WindowKind.RECRUITMENT),
        "show_warnings": request.user.has_perm("workgroups.read_composition_warnings"),
        "my_memberships": {m.group_id: m for m in selectors.groups_of(request.user)},
    }
    return render(request, "workgroups/group_list.html", context)


# The group page lists the group's recommendations, which have no version of their own: at most this old.
GROUP_PAGE_SECONDS = 60


# Signed-in visitors see their applications, and managers the members' addresses: rendered for them.
@cache_page(
    "group",
    depends_on=[versions.GROUPS, versions.CALENDAR, versions.PUBLICATION],
    by_day=True,
    signed_in=False,
    seconds=GROUP_PAGE_SECONDS,
)
def group_detail(request, slug):
    group = _group_or_404(slug)
    group.composition = selectors.composition(group)
    user = request.user
    my_applications = list(selectors.applications_of(user, group=group))
    context = {
        "group": group,
        "members": list(group.memberships.all()),
        "recruitment": window_status(WindowKind.RECRUITMENT),
        "show_warnings": user.has_perm("workgroups.read_composition_warnings"),
        "can_apply": user.has_perm("workgroups.apply", group),
        "can_manage": user.has_perm("workgroups.manage_members"),
        "can_view_workspace": user.has_perm("workgroups.read_workspace", group),
        "my_applications": my_applications,
        "pending_application": _pending(my_applications),
    }
    return render(request, "workgroups/group_detail.html", context)


@method_decorator(login_required, name="dispatch")
class ApplyView(View):
    template_name = "workgroups/apply.html"

    def dispatch(self, request, *args, **kwargs):
        self.group = _group_or_404(kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, slug):
        return self._render(ApplicationForm())

    def post(self, request, slug):
        form = ApplicationForm(request.POST)
        if not request.user.has_perm("workgroups.apply", self.group):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.application_submit(
                    actor=request.user,
                    group=self.group,
                    category=form.cleaned_data["category"],
                    motivation=form.cleaned_data["motivation"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(
                    request, _("Thank you: your application has been sent. We will e-mail you the decision.")
                )
                return redirect(self.group)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        user = self.request.user
        context = {
            "group": self.group,
            "form": form,
            "recruitment": window_status(WindowKind.RECRUITMENT),
            "can_apply": user.has_perm("workgroups.apply", self.group),
            # Said before the form is filled: a second application or a member's would be refused anyway.
            "pending_application": _pending(selectors.applications_of(user, group=self.group)),
            "is_member": any(m.user_id == user.pk for m in self.group.memberships.all()),
        }
        return render(self.request, self.template_name, context, status=status)


@login_required
def workspace(request, slug):
    group = _group_or_404(slug)
    if not request.user.has_perm("workgroups.read_workspace", group):
        raise PermissionDenied
    group.composition = selectors.composition(group)
    context = {
        "group": group,
        "members": list(group.memberships.all()),
        "can_add": request.user.has_perm("recommendations.create_recommendation", group),
        "leader": next((m.user for m in group.memberships.all() if m.is_leader), None),
        "drafting": window_status(WindowKind.DRAFTING),
        "show_warnings": request.user.has_perm("workgroups.read_composition_warnings"),
    }
    return render(request, "workgroups/workspace.html", context)


@method_decorator(permission_required("workgroups.review_application"), name="dispatch")
class ApplicationListView(View):
    def get(self, request):
        status = request.GET.get("status", ApplicationStatus.PENDING)
        if status not in ApplicationStatus.values and status != "all":
            status = ApplicationStatus.PENDING
        groups = selectors.group_list()
        group = None
        if request.GET.get("group"):
            group = next((g for g in groups if g.slug == request.GET["group"]), None)
        applications = selectors.application_list(status=None if status == "all" else status, group=group)
        page = Paginator(applications, 50).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "groups": groups,
            "group": group,
            "counts": selectors.application_counts(),
        }
        return render(request, "workgroups/applications.html", context)


@method_decorator(permission_required("workgroups.review_application"), name="dispatch")
class ApplicationDecideView(View):
    template_name = "workgroups/application_decide.html"

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(
            Application.objects.select_related("group__area", "applicant", "decided_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(DecisionForm(initial={"category": self.application.category}))

    def post(self, request, pk):
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.application_decide(
                    actor=request.user,
                    application=self.application,
                    accept=form.cleaned_data["decision"] == DecisionForm.ACCEPT,
                    reason=form.cleaned_data["reason"],
                    category=form.cleaned_data["category"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if form.cleaned_data["decision"] == DecisionForm.ACCEPT:
                    messages.success(request, _("Accepted: the applicant is now a member and will be told by e-mail."))
                else:
                    messages.success(request, _("Rejected: the applicant will be told by e-mail."))
                return redirect("workgroups:applications")
        return self._render(form, status=400)

    def _render(self, form, status=200):
        group = selectors.group_by_slug(self.application.group.slug)
        group.composition = selectors.composition(group)
        context = {"application": self.application, "form": form, "group": group}
        return render(self.request, self.template_name, context, status=status)


@method_decorator(permission_required("workgroups.manage_members"), name="dispatch")
class MemberImportView(View):
    template_name = "workgroups/member_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": MemberImportForm()})

    def post(self, request):
        form = MemberImportForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            try:
                rows = read_member_file(form.cleaned_data["file"])
                result = services.members_import(actor=request.user, rows=rows)
            except services.MemberImportError as error:
                row_errors = error.row_errors
                form.add_error(None, error.messages)
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                count = len(result.created)
                messages.success(
                    request,
                    ngettext("Imported %(count)d member.", "Imported %(count)d members.", count) % {"count": count},
                )
                return redirect("workgroups:group_list")
        return render(request, self.template_name, {"form": form, "row_errors": row_errors}, status=400)


@login_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("group", "user"), pk=pk)
    if not request.user.has_perm("workgroups.manage_members"):
        raise PermissionDenied
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("The member has been removed from the group."))
    return redirect(membership.group)
