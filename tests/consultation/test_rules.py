"""Who may do what in the consultation, role by role (docs/permissions.md has the same table), and the staff
pages answering each role as the table says."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from strategy.models import TeamRole
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.consultation.factories import draft, make_comment, make_consultation
from tests.strategy.factories import team_member

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": AnonymousUser,
    "unverified": lambda: UserFactory(verified=False),
    "resident": UserFactory,
    "moderator": moderator,
    "editor": lambda: team_member(TeamRole.EDITOR),
    "expert": lambda: team_member(TeamRole.EXPERT),
    "department": lambda: team_member(TeamRole.DEPARTMENT),
    "coordinator": coordinator,
    "admin": admin,
}
EVERYONE = set(ROLES)
VERIFIED = EVERYONE - {"anonymous", "unverified"}
STAFF = {"moderator", "coordinator", "admin"}
TEAM = {"editor", "expert"}
CITY = {"coordinator", "admin"}

# permission -> roles allowed (on an announced consultation whose report is not published)
EXPECTED = {
    "consultation.read_consultation": EVERYONE,
    "consultation.manage_consultation": CITY,
    "consultation.submit_comment": VERIFIED,
    "consultation.moderate_comment": STAFF,
    "consultation.enter_comments": STAFF,
    "consultation.read_triage": STAFF | TEAM,
    "consultation.answer_comment": CITY | TEAM,
    "consultation.cite_comment": TEAM,
    "consultation.generate_report": CITY,
    "consultation.publish_report": CITY,
    "consultation.read_report": STAFF | TEAM,
}


@pytest.fixture
def consultation(reference_data):
    return make_consultation(draft()["version"])


@pytest.mark.parametrize("role", list(ROLES))
def test_permissions_role_by_role(role, consultation):
    user = ROLES[role]()
    allowed = {permission for permission in EXPECTED if user.has_perm(permission, consultation)}
    expected = {permission for permission, roles in EXPECTED.items() if role in roles}
    assert allowed == expected


@pytest.mark.parametrize("role", list(ROLES))
def test_an_unannounced_consultation_is_staff_only_and_a_published_report_everyone_s(role, consultation):
    user = ROLES[role]()
    type(consultation).objects.filter(pk=consultation.pk).update(announced_at=None)
    consultation.refresh_from_db()
    assert user.has_perm("consultation.read_consultation", consultation) == (role in STAFF | TEAM)
    consultation.announced_at = consultation.report_generated_at = consultation.report_published_at = timezone.now()
    assert user.has_perm("consultation.read_report", consultation)


STAFF_PAGES = ["staff_dashboard", "triage", "groups", "staff_meetings", "changes", "staff_report"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("department", 403),
        ("moderator", 200),
        ("editor", 200),
        ("coordinator", 200),
    ],
)
def test_the_staff_pages_answer_each_role(client, consultation, role, status):
    user = ROLES[role]()
    if role != "anonymous":
        client.force_login(user)
    for name in STAFF_PAGES:
        response = client.get(reverse(f"consultation:{name}", kwargs={"pk": consultation.pk}))
        assert response.status_code == status, name


@pytest.mark.parametrize(
    ("role", "moderation", "entry", "edit"),
    [
        ("resident", 403, 403, 403),
        ("editor", 403, 403, 403),
        ("moderator", 200, 200, 403),
        ("coordinator", 200, 200, 200),
    ],
)
def test_moderation_entry_and_setup_pages_by_role(client, consultation, role, moderation, entry, edit):
    client.force_login(ROLES[role]())
    kwargs = {"pk": consultation.pk}
    assert client.get(reverse("consultation:moderation", kwargs=kwargs)).status_code == moderation
    assert client.get(reverse("consultation:enter", kwargs=kwargs)).status_code == entry
    assert client.get(reverse("consultation:import", kwargs=kwargs)).status_code == entry
    assert client.get(reverse("consultation:staff_edit", kwargs=kwargs)).status_code == edit


def test_an_editor_answers_from_the_comment_page_a_moderator_sees_no_answer_form(client, consultation):
    comment = make_comment(consultation)
    url = reverse("consultation:staff_comment", kwargs={"pk": consultation.pk, "number": comment.number})
    client.force_login(moderator())
    assert 'name="form" value="answer"' not in client.get(url).content.decode()
    client.force_login(team_member(TeamRole.EDITOR))
    assert 'name="form" value="answer"' in client.get(url).content.decode()
