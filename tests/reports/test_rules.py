"""Reports permissions, role by role (docs/permissions.md, section Reports)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reports.models import ReportStatus
from stages.models import Stage
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": lambda: AnonymousUser(),
    "resident": lambda: UserFactory(),
    "moderator": moderator,
    "coordinator": coordinator,
    "admin": admin,
}

TABLE = {
    "reports.read_report": {"moderator", "coordinator", "admin"},
    "reports.request_report": {"coordinator", "admin"},
    "reports.publish_report": {"coordinator", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", TABLE)
def test_staff_permissions(reference_data, role, permission):
    assert ROLES[role]().has_perm(permission) is (role in TABLE[permission])


@pytest.mark.parametrize("role", ROLES)
def test_anyone_downloads_a_published_report_and_nobody_an_unpublished_one(reference_data, role):
    user = ROLES[role]()
    published = ReportFactory(
        status=ReportStatus.DONE, file="reports/1.pdf", published_stage=Stage.objects.get(number=2)
    )
    private = ReportFactory(status=ReportStatus.DONE, file="reports/2.pdf")
    assert user.has_perm("reports.download_published_report", published)
    assert not user.has_perm("reports.download_published_report", private)
