import pytest
from django.contrib.auth.models import AnonymousUser

from tests.accounts.factories import UserFactory, admin, coordinator, moderator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make_user", "can_open_panel", "can_manage_process"),
    [
        (lambda: AnonymousUser(), False, False),
        (lambda: UserFactory(), False, False),
        (lambda: moderator(), True, False),
        (lambda: coordinator(), True, True),
        (lambda: admin(), True, True),
    ],
    ids=["anonymous", "resident", "moderator", "coordinator", "admin"],
)
def test_staff_permissions_by_role(make_user, can_open_panel, can_manage_process):
    user = make_user()
    assert user.has_perm("accounts.enter_staff_area") is can_open_panel
    assert user.has_perm("stages.manage_process") is can_manage_process
    assert user.has_perm("stages.read_stage") is True


def test_inactive_coordinator_has_no_staff_rights():
    user = coordinator()
    user.is_active = False
    user.save()
    assert not user.has_perm("stages.manage_process")
