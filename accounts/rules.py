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


# The vocabulary of roles every app's rules.py combines; no app defines its own combination.
is_staff_member = is_moderator | is_coordinator | is_admin  # any staff duty: moderation included
is_city_coordinator = is_coordinator | is_admin  # the city's decisions: the process, verdicts, reports

# Who must sign in with a second factor before a staff page or the Django admin opens: every staff
# role, and any account Django itself treats as staff.
needs_second_factor = is_staff_member | rules.predicate(
    lambda user: bool(user and (user.is_staff or user.is_superuser))
)

rules.add_perm("accounts.enter_staff_area", is_staff_member)
rules.add_perm("accounts.use_admin", is_city_coordinator)
# The admin role: users, roles and every model in the Django admin (lublin2030.admin_permissions).
rules.add_perm("accounts.administer", is_admin)
