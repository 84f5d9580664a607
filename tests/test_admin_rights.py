"""The Django admin, role by role: which models each role sees, can add, change and delete.

Rights come from `lublin2030.admin_permissions.RoleAdmin` on every ModelAdmin; docs/permissions.md
has the same table. Django's model permissions never grant anything to staff roles, because no
action permission of ours is named like one.
"""

import pytest
import rules
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from lublin2030.admin_permissions import RoleAdmin
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.accounts.factories import admin as admin_role

pytestmark = pytest.mark.django_db

V, A, C, D = "view", "add", "change", "delete"
ALL = {V, A, C, D}
REFERENCE = ("participation.Area", "participation.District", "participation.Channel", "participation.Event")
CALENDAR = ("stages.Stage",)
GROUPS = ("workgroups.Membership",)

# model -> {role: rights}; a role not named has none. The admin role (and a superuser) has what
# "admin" says; it is never more than the model allows anyone.
EXPECTED = {
    **{model: {"coordinator": ALL, "admin": ALL} for model in REFERENCE + CALENDAR + GROUPS},
    "workgroups.WorkingGroup": {"coordinator": {V, C}, "admin": {V, C}},
    "workgroups.Application": {"coordinator": {V}, "admin": {V}},
    "stages.ProcessState": {"coordinator": {V}, "admin": {V}},
    "participation.Opinion": {"admin": {V, C, D}},
    "participation.OpinionFlag": {"admin": {V}},
    "participation.ModerationLogEntry": {"admin": {V}},
    "participation.ImportJob": {"admin": {V}},
    "recommendations.Recommendation": {"admin": {V}},
    "recommendations.Comment": {"admin": {V}},
    "reports.Report": {"admin": {V}},
    "lublin2030.OutboxMessage": {"admin": {V, D}},
    "strategy.Strategy": {"coordinator": {V, C}, "admin": {V, C}},
    "strategy.ChecklistTemplateItem": {"coordinator": ALL, "admin": ALL},
    "strategy.StrategyVersion": {"admin": {V}},
    "strategy.TeamMembership": {"admin": {V}},
    "strategy.Attachment": {"admin": {V}},
    "consultation.Consultation": {"coordinator": {V}, "admin": {V}},
    "consultation.Comment": {"admin": {V, C}},
    "consultation.CommentGroup": {"admin": {V}},
    "consultation.ChangeCitation": {"admin": {V}},
    "strategy.Resolution": {"coordinator": {V}, "admin": {V}},
    "strategy.AdoptionStep": {"coordinator": {V}, "admin": {V}},
    **{
        f"implementation.{model}": {"coordinator": {V}, "admin": {V}}
        for model in ("SectorStrategy", "Action", "Measurement", "EducationalEvent")
    },
    "implementation.Follow": {"admin": {V}},
    "accounts.User": {"admin": ALL},
    "auth.Group": {"admin": ALL},
    "account.EmailAddress": {"admin": ALL},
    "mfa.Authenticator": {"admin": {V, D}},  # remove a lost second factor; nobody writes secrets here
}

ROLES = {
    "anonymous": AnonymousUser,
    "resident": UserFactory,
    "moderator": moderator,
    "coordinator": coordinator,
    "admin": admin_role,
    "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
}


def _rights(model_admin, user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    checks = {
        V: model_admin.has_view_permission,
        A: model_admin.has_add_permission,
        C: model_admin.has_change_permission,
        D: model_admin.has_delete_permission,
    }
    return {action for action, check in checks.items() if check(request)}


def test_every_model_in_the_admin_says_who_may_do_what():
    registered = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
    assert set(registered) == set(EXPECTED)
    assert all(isinstance(model_admin, RoleAdmin) for model_admin in registered.values())


def test_no_action_permission_is_named_like_a_django_model_permission():
    clashing = [
        name
        for name in rules.permissions.permissions
        if name.split(".")[1].startswith(("add_", "change_", "delete_", "view_"))
    ]
    assert clashing == []


@pytest.mark.parametrize("role", list(ROLES))
def test_admin_rights_role_by_role(role):
    user = ROLES[role]()
    same_as = "admin" if role == "superuser" else role
    for model, model_admin in admin.site._registry.items():
        expected = EXPECTED[model._meta.label].get(same_as, set())
        assert _rights(model_admin, user) == expected, f"{role} on {model._meta.label}"


def test_a_coordinator_cannot_reach_opinions_in_the_admin(client, reference_data):
    client.force_login(coordinator())
    assert client.get("/admin/").status_code == 200
    for url in ("/admin/participation/opinion/", "/admin/participation/opinion/add/", "/admin/accounts/user/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/participation/area/").status_code == 200


def test_the_admin_role_without_superuser_status_manages_users_and_reads_opinions(client, reference_data):
    client.force_login(admin_role())
    for url in ("/admin/accounts/user/", "/admin/participation/opinion/", "/admin/reports/report/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/participation/opinion/add/").status_code == 403  # nobody adds opinions here


@pytest.mark.parametrize("role", ["moderator", "resident"])
def test_moderators_and_residents_do_not_enter_the_admin(client, role):
    client.force_login(ROLES[role]())
    assert client.get("/admin/").status_code == 302  # to the admin's login page
