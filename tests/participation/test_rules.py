"""Participation permissions, role by role (docs/permissions.md lists the same table)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from participation.models import ModerationStatus
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": lambda: AnonymousUser(),
    "unverified": lambda: UserFactory(verified=False),
    "resident": lambda: UserFactory(),
    "moderator": moderator,
    "coordinator": coordinator,
    "admin": admin,
}

# permission without an object: who has it
GLOBAL = {
    "participation.read_opinion_list": {"anonymous", "unverified", "resident", "moderator", "coordinator", "admin"},
    "participation.read_statistics": {"anonymous", "unverified", "resident", "moderator", "coordinator", "admin"},
    "participation.read_events": {"anonymous", "unverified", "resident", "moderator", "coordinator", "admin"},
    "participation.read_my_opinions": {"unverified", "resident", "moderator", "coordinator", "admin"},
    "participation.submit_opinion": {"resident", "moderator", "coordinator", "admin"},
    "participation.moderate_opinion": {"moderator", "coordinator", "admin"},
    "participation.read_moderation_log": {"moderator", "coordinator", "admin"},
    "participation.import_opinions": {"moderator", "coordinator", "admin"},
    "participation.export_opinions": {"moderator", "coordinator", "admin"},
    "participation.manage_reference": {"coordinator", "admin"},
    "participation.manage_events": {"coordinator", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", GLOBAL)
def test_global_permissions(db, role, perm):
    user = ROLES[role]()
    assert user.has_perm(perm) is (role in GLOBAL[perm])


@pytest.mark.parametrize(
    ("role", "view_pending", "view_published", "flag_published"),
    [
        ("anonymous", False, True, False),
        ("unverified", False, True, False),
        ("resident", False, True, True),
        ("author", True, True, False),
        ("moderator", True, True, True),
        ("coordinator", True, True, True),
        ("admin", True, True, True),
    ],
)
def test_object_permissions(reference_data, role, view_pending, view_published, flag_published):
    author = UserFactory()
    pending = OpinionFactory(author=author)
    public = OpinionFactory(author=author, published=True)
    user = author if role == "author" else ROLES[role]()
    assert user.has_perm("participation.read_opinion", pending) is view_pending
    assert user.has_perm("participation.read_opinion", public) is view_published
    assert user.has_perm("participation.flag_opinion", public) is flag_published
    assert user.has_perm("participation.flag_opinion", pending) is False


def test_nobody_but_author_and_staff_sees_a_rejected_or_hidden_opinion(reference_data):
    rejected = OpinionFactory(status=ModerationStatus.REJECTED)
    hidden = OpinionFactory(published=True, hidden_by_flags=True)
    for opinion in (rejected, hidden):
        assert not UserFactory().has_perm("participation.read_opinion", opinion)
        assert opinion.author.has_perm("participation.read_opinion", opinion)
        assert moderator().has_perm("participation.read_opinion", opinion)
        assert not UserFactory().has_perm("participation.flag_opinion", opinion)


def test_inactive_moderator_cannot_moderate(reference_data):
    user = moderator()
    user.is_active = False
    user.save()
    assert not user.has_perm("participation.moderate_opinion")
