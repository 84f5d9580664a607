"""Who may do what with the strategy, role by role (docs/permissions.md has the same table)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from strategy.models import VersionState
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.strategy.factories import editor, expert, make_version, reviewer, the_strategy

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": AnonymousUser,
    "resident": UserFactory,
    "moderator": moderator,
    "department": reviewer,
    "editor": editor,
    "expert": expert,
    "coordinator": coordinator,
    "admin": admin,
}
EVERYONE = set(ROLES)
TEAM = {"department", "editor", "expert"}
EDITORIAL = {"editor", "expert"}
CITY = {"coordinator", "admin"}

EXPECTED = {
    "strategy.read_workspace": TEAM | CITY,
    "strategy.manage_team": CITY,
    "strategy.create_version": EDITORIAL | CITY,
    "strategy.edit_version": EDITORIAL,
    "strategy.submit_version": EDITORIAL | CITY,
    "strategy.publish_version": CITY,
    "strategy.manage_checklist": CITY,
    "strategy.comment_internally": TEAM | CITY,
    "strategy.resolve_comment": EDITORIAL,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_permissions_role_by_role(reference_data, role):
    user = ROLES[role]()
    version = make_version()
    for permission, allowed in EXPECTED.items():
        assert user.has_perm(permission, version) == (role in allowed), f"{role}: {permission}"
        assert user.has_perm(permission) == (role in allowed), f"{role}: {permission} without an object"


@pytest.mark.parametrize("role", list(ROLES))
def test_who_reads_which_version(reference_data, role):
    user = ROLES[role]()
    working, public = make_version(), make_version(VersionState.CONSULTATION_DRAFT)
    assert user.has_perm("strategy.read_version", public)
    assert user.has_perm("strategy.read_version", working) == (role in TEAM | CITY)


def test_a_withdrawn_member_loses_the_rights(reference_data):
    from strategy.models import TeamMembership

    person = editor()
    membership = TeamMembership.objects.get(user=person)
    membership.withdrawn_at = membership.granted_at
    membership.save()
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("strategy.edit_version", the_strategy())
    assert not person.has_perm("strategy.read_workspace")
