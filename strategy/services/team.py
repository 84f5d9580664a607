"""The editorial team: coordinators grant and withdraw roles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from ..models import Strategy, TeamMembership, TeamRole


@transaction.atomic
def team_grant(*, actor, strategy: Strategy, user, role: str, department: str = "") -> TeamMembership:
    """A coordinator adds a person to the editorial team (staff or expert) or as a department's reviewer."""
    require_permission(actor, "strategy.manage_team", strategy)
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    current = TeamMembership.objects.select_for_update().filter(strategy=strategy, user=user, withdrawn_at__isnull=True)
    current = current.first()
    if current is not None:
        if current.role == role and current.department == department.strip():
            raise ValidationError(_("%(person)s already has this role.") % {"person": user}, code="duplicate")
        current.withdrawn_at, current.withdrawn_by = timezone.now(), actor
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    membership = TeamMembership(
        strategy=strategy, user=user, role=role, department=department.strip(), granted_by=actor
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def team_withdraw(*, actor, membership: TeamMembership) -> TeamMembership:
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    require_permission(actor, "strategy.manage_team", membership.strategy)
    if membership.withdrawn_at is not None:
        raise ValidationError(_("This role has already been withdrawn."), code="withdrawn")
    membership.withdrawn_at, membership.withdrawn_by = timezone.now(), actor
    membership.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return membership
