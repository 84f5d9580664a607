"""The team page: coordinators grant and withdraw roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lublin2030.permissions import permission_required, require_permission

from .. import selectors, services
from ..forms import TeamGrantForm
from ..models import TeamMembership
from .common import _flash, _form_errors, _strategy


@permission_required("strategy.manage_team")
def team(request):
    strategy = _strategy()
    form = TeamGrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("withdraw"):
            membership = get_object_or_404(TeamMembership, pk=request.POST["withdraw"], strategy=strategy)
            try:
                services.team_withdraw(actor=request.user, membership=membership)
            except ValidationError as error:
                _flash(request, error)
            else:
                messages.success(request, _("%(person)s no longer has this role.") % {"person": membership.user})
            return redirect("strategy:ws_team")
        if form.is_valid():
            try:
                membership = services.team_grant(
                    actor=request.user,
                    strategy=strategy,
                    user=form.user,
                    role=form.cleaned_data["role"],
                    department=form.cleaned_data["department"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(
                    request,
                    _("%(person)s: %(role)s.") % {"person": membership.user, "role": membership.get_role_display()},
                )
                return redirect("strategy:ws_team")
        status = 400
    require_permission(request.user, "strategy.manage_team", strategy)
    context = {
        "strategy": strategy,
        "members": list(selectors.team(strategy)),
        "former": list(selectors.former_team(strategy)),
        "form": form,
    }
    return render(request, "strategy/ws/team.html", context, status=status)
