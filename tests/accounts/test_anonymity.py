"""A person without a display name is anonymous everywhere others look: nothing derived from her e-mail."""

import pytest
from django.urls import reverse

from recommendations.models import Evidence, RecommendationStatus
from recommendations.services import EditConflict
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import CommentFactory, RecommendationFactory
from tests.workgroups.factories import WorkingGroupFactory, member

pytestmark = pytest.mark.django_db

LOCAL_PART = "nowa.mieszkanka"
EMAIL = f"{LOCAL_PART}@example.org"


def name_from_email_in(page: str) -> bool:
    """The local part shown as a name. (Coordinators managing members see the whole address, on purpose.)"""
    return LOCAL_PART in page.replace(EMAIL, "")


@pytest.fixture
def anonymous_member(reference_data):
    group = WorkingGroupFactory()
    resident = member(group, user=UserFactory(email=EMAIL, display_name=""))
    recommendation = RecommendationFactory(group=group, status=RecommendationStatus.DRAFT)
    Evidence.objects.create(
        recommendation=recommendation, opinion=OpinionFactory(published=True, area=group.area), added_by=resident
    )
    return group, resident, recommendation


def test_the_group_and_its_workspace_show_an_anonymous_label(client, anonymous_member):
    group, resident, recommendation = anonymous_member
    for viewer in (None, resident, coordinator()):
        if viewer:
            client.force_login(viewer)
        pages = [client.get(reverse("workgroups:group_detail", args=[group.slug])).content.decode()]
        if viewer:
            pages.append(client.get(reverse("workgroups:workspace", args=[group.slug])).content.decode())
        for page in pages:
            assert not name_from_email_in(page)
            assert "osoba anonimowa" in page


def test_the_evidence_list_shows_an_anonymous_label(client, anonymous_member):
    _group, resident, recommendation = anonymous_member
    client.force_login(resident)
    page = client.get(reverse("recommendations:evidence", args=[recommendation.pk])).content.decode()
    assert "osoba anonimowa" in page
    assert not name_from_email_in(page)


def test_moderators_see_an_anonymous_label_on_comments(client, reference_data):
    author = UserFactory(email=EMAIL, display_name="")
    CommentFactory(author=author)
    client.force_login(moderator())
    page = client.get(reverse("recommendations:comment_moderation")).content.decode()
    assert "osoba anonimowa" in page
    assert not name_from_email_in(page)


def test_an_edit_conflict_names_no_one_by_e_mail(anonymous_member):
    _group, _resident, recommendation = anonymous_member
    latest = recommendation.versions.order_by("-number").first()
    latest.author = _resident
    assert LOCAL_PART not in str(EditConflict(latest=latest, base_version=0).messages)
