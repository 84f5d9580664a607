"""Every role against every recommendation action, on a draft and on a public recommendation of group A."""

import pytest
from django.contrib.auth.models import AnonymousUser

from recommendations.models import RecommendationStatus
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.recommendations.factories import RecommendationFactory
from tests.workgroups.factories import WorkingGroupFactory, leader, member

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unverified",
    "resident",
    "member_a",
    "leader_a",
    "member_b",
    "leader_b",
    "moderator",
    "coordinator",
    "admin",
    "coordinator_in_a",
]


@pytest.fixture
def world(db):
    group_a, group_b = WorkingGroupFactory(), WorkingGroupFactory()
    staff_in_a = coordinator()
    member(group_a, "city_staff", user=staff_in_a)
    users = {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(verified=False),
        "resident": UserFactory(),
        "member_a": member(group_a),
        "leader_a": leader(group_a),
        "member_b": member(group_b),
        "leader_b": leader(group_b),
        "moderator": moderator(),
        "coordinator": coordinator(),
        "admin": admin(),
        "coordinator_in_a": staff_in_a,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    draft = RecommendationFactory(group=group_a, status=RecommendationStatus.DRAFT)
    public = RecommendationFactory(group=group_a, status=RecommendationStatus.SUBMITTED)
    return {"users": users, "group_a": group_a, "draft": draft, "public": public}


def allowed(world, perm, obj) -> set[str]:
    """The roles allowed; a superuser is allowed exactly what the admin role is (docs/permissions.md)."""
    superuser = world["users"]["superuser"].has_perm(perm, obj)
    roles = {role for role in ROLES if world["users"][role].has_perm(perm, obj)}
    assert superuser == ("admin" in roles), f"a superuser {'may' if superuser else 'may not'} {perm}"
    return roles


def test_draft_is_visible_only_to_its_group_and_the_city(world):
    assert allowed(world, "recommendations.read_recommendation", world["draft"]) == {
        "member_a", "leader_a", "coordinator", "admin", "coordinator_in_a",
    }  # fmt: skip


def test_public_recommendation_is_visible_to_everyone(world):
    assert allowed(world, "recommendations.read_recommendation", world["public"]) == set(ROLES)


def test_workspace_items_history_and_internal_comments_are_not_public(world):
    expected = {"member_a", "leader_a", "coordinator", "admin", "coordinator_in_a"}
    assert allowed(world, "recommendations.read_workspace_items", world["draft"]) == expected
    assert allowed(world, "recommendations.read_workspace_items", world["public"]) == expected


def test_only_members_of_the_group_edit_its_draft(world):
    assert allowed(world, "recommendations.edit_recommendation", world["draft"]) == {
        "member_a", "leader_a", "coordinator_in_a",
    }  # fmt: skip


def test_nobody_edits_a_submitted_recommendation(world):
    assert allowed(world, "recommendations.edit_recommendation", world["public"]) == set()


def test_returned_recommendation_is_editable_again_by_the_group(world):
    world["draft"].status = RecommendationStatus.RETURNED
    assert allowed(world, "recommendations.edit_recommendation", world["draft"]) == {
        "member_a", "leader_a", "coordinator_in_a",
    }  # fmt: skip


def test_only_members_start_a_recommendation_in_their_group(world):
    assert allowed(world, "recommendations.create_recommendation", world["group_a"]) == {
        "member_a", "leader_a", "coordinator_in_a",
    }  # fmt: skip


def test_only_the_leader_submits(world):
    assert allowed(world, "recommendations.submit_recommendation", world["draft"]) == {"leader_a"}
    assert allowed(world, "recommendations.submit_recommendation", world["public"]) == set()


def test_internal_comments_by_members_only(world):
    assert allowed(world, "recommendations.write_internal_comment", world["draft"]) == {
        "member_a", "leader_a", "coordinator_in_a",
    }  # fmt: skip


def test_city_coordinators_verify_but_not_their_own_group_and_never_a_leader(world):
    assert allowed(world, "recommendations.verify_recommendation", world["public"]) == {"coordinator", "admin"}
    # The queue (no object): every coordinator.
    assert allowed(world, "recommendations.verify_recommendation", None) == {"coordinator", "admin", "coordinator_in_a"}


def test_include_in_strategy_is_for_coordinators(world):
    assert allowed(world, "recommendations.include_recommendation", world["public"]) == {
        "coordinator", "admin", "coordinator_in_a",
    }  # fmt: skip


def test_public_comments_need_a_verified_email_and_a_public_recommendation(world):
    verified = set(ROLES) - {"anonymous", "unverified"}
    assert allowed(world, "recommendations.comment_recommendation", world["public"]) == verified
    assert allowed(world, "recommendations.comment_recommendation", world["draft"]) == set()


def test_comment_moderation_is_for_moderation_staff(world):
    assert allowed(world, "recommendations.moderate_comment", None) == {
        "moderator", "coordinator", "admin", "coordinator_in_a",
    }  # fmt: skip


def test_export_is_for_coordinators(world):
    assert allowed(world, "recommendations.export_recommendations", None) == {
        "coordinator",
        "admin",
        "coordinator_in_a",
    }


def test_workgroup_permissions(world):
    group_a = world["group_a"]
    assert allowed(world, "workgroups.read_group", group_a) == set(ROLES)
    assert allowed(world, "workgroups.apply", group_a) == {
        "resident", "member_b", "leader_b", "moderator", "coordinator", "admin",
    }  # fmt: skip
    city = {"coordinator", "admin", "coordinator_in_a"}
    assert allowed(world, "workgroups.review_application", None) == city
    assert allowed(world, "workgroups.manage_members", None) == city
    assert allowed(world, "workgroups.read_composition_warnings", None) == city
    assert allowed(world, "workgroups.read_workspace", group_a) == {
        "member_a", "leader_a", "coordinator", "admin", "coordinator_in_a",
    }  # fmt: skip
