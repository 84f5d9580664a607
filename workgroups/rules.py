"""Who may do what with working groups. Window checks (recruitment) live in the services."""

import rules

from accounts.rules import has_verified_email, is_city_coordinator


def memberships_of(user) -> dict[int, str]:
    """{group id: category} of the user's memberships, read once per request and cached on the user."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, "_workgroup_memberships", None)
    if cached is None:
        from .models import Membership

        cached = dict(Membership.objects.filter(user=user).values_list("group_id", "category"))
        user._workgroup_memberships = cached
    return cached


def forget_memberships(user) -> None:
    """After a membership changes, the next check reads the database again."""
    if user is not None and hasattr(user, "_workgroup_memberships"):
        del user._workgroup_memberships


def _group_id(obj) -> int | None:
    """A working group or anything that belongs to one (a recommendation, an application)."""
    if obj is None:
        return None
    if hasattr(obj, "group_id"):
        return obj.group_id
    return obj.pk


@rules.predicate
def is_group_member(user, obj):
    group_id = _group_id(obj)
    return group_id is not None and group_id in memberships_of(user)


@rules.predicate
def is_group_leader(user, obj):
    group_id = _group_id(obj)
    return group_id is not None and memberships_of(user).get(group_id) == "leader"


@rules.predicate
def is_not_group_member(user, obj):
    group_id = _group_id(obj)
    return group_id is None or group_id not in memberships_of(user)


@rules.predicate
def has_pending_application(user, group):
    if group is None or not (user and user.is_authenticated):
        return False
    from .models import Application, ApplicationStatus

    return Application.objects.filter(group_id=group.pk, applicant=user, status=ApplicationStatus.PENDING).exists()


rules.add_perm("workgroups.read_group", rules.always_allow)
# Applying needs a verified e-mail, no membership of that group and no application waiting for a decision;
# the window is the service's.
rules.add_perm("workgroups.apply", has_verified_email & is_not_group_member & ~has_pending_application)
rules.add_perm("workgroups.review_application", is_city_coordinator)
rules.add_perm("workgroups.manage_members", is_city_coordinator)
rules.add_perm("workgroups.read_composition_warnings", is_city_coordinator)
# The members-only workspace: the group's members; coordinators read it to follow the work.
rules.add_perm("workgroups.read_workspace", is_group_member | is_city_coordinator)
