"""Role predicates that every app combines into its own permissions."""

import rules
from allauth.account.models import EmailAddress

from .roles import ADMIN, COORDINATOR, MODERATOR


@rules.predicate
def is_admin(user):
    return bool(user and user.is_authenticated and (user.is_superuser or _in_group(user, ADMIN)))


@rules.predicate
def is_coordinator(user):
    return _in_group(user, COORDINATOR)


@rules.predicate
def is_moderator(user):
    return _in_group(user, MODERATOR)


@rules.predicate
def has_verified_email(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._has_verified_email = cached
    return cached


def _in_group(user, name: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    names = getattr(user, "_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._group_names = names
    return name in names


is_staff_member = is_moderator | is_coordinator | is_admin
is_coordinator_or_admin = is_coordinator | is_admin
is_moderator_or_coordinator = is_moderator | is_coordinator | is_admin

rules.add_perm("accounts.view_staff_area", is_staff_member)
rules.add_perm("accounts.use_admin", is_coordinator_or_admin)
