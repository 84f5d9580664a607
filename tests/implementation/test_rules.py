"""Who may do what with the implementation and the adoption, role by role (docs/permissions.md has the table)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.participation.factories import OpinionFactory
from tests.strategy.factories import editor

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": AnonymousUser,
    "unverified": lambda: UserFactory(verified=False),
    "resident": UserFactory,
    "moderator": moderator,
    "editor": editor,
    "coordinator": coordinator,
    "admin": admin,
}
CITY = {"coordinator", "admin"}
EXPECTED = {
    "implementation.manage_implementation": CITY,
    "implementation.record_measurements": CITY,
    "implementation.read_coverage_details": {"moderator"} | CITY,
    "strategy.record_adoption": CITY,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_permissions_role_by_role(reference_data, role):
    user = ROLES[role]()
    for permission, allowed in EXPECTED.items():
        assert user.has_perm(permission) == (role in allowed), f"{role}: {permission}"


@pytest.mark.parametrize("role", list(ROLES))
def test_who_follows_an_opinion(reference_data, role):
    user = ROLES[role]()
    public, pending = OpinionFactory(published=True), OpinionFactory()
    assert user.has_perm("implementation.follow_opinion", public) == (role not in {"anonymous", "unverified"})
    assert not user.has_perm("implementation.follow_opinion", pending)
