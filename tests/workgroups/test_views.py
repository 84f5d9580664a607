"""Working-group pages: composition, warnings, applying, the coordinators' queue, import, the workspace."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.recommendations.factories import RecommendationFactory
from tests.workgroups.factories import ApplicationFactory, MembershipFactory, WorkingGroupFactory, leader, member
from workgroups.models import Application, ApplicationStatus, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(reference_data):
    from workgroups.services import groups_ensure_for_areas

    groups_ensure_for_areas()
    from workgroups.models import WorkingGroup

    result = list(WorkingGroup.objects.select_related("area"))
    for group in result:
        for category in ("leader", "resident", "ngo"):
            MembershipFactory(group=group, category=category)
    return result


def test_group_list_shows_every_group_with_its_size(client, groups, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get(reverse("workgroups:group_list"))
    content = response.content.decode()
    for group in groups:
        assert group.area.name_pl in content
    assert "3 członków z 10" in content
    assert "Ostrzeżenie dla koordynatorów" not in content


def test_coordinators_see_composition_warnings(client, groups, django_assert_num_queries):
    client.force_login(coordinator())
    with django_assert_num_queries(7):
        content = client.get(reverse("workgroups:group_list")).content.decode()
    assert "Ostrzeżenie dla koordynatorów" in content
    assert "Brak członków z kategorii:" in content


def test_group_detail_shows_composition_without_emails(client, groups, django_assert_num_queries):
    group = groups[0]
    named = member(group, user=UserFactory(display_name="Ewa z Czechowa"))
    RecommendationFactory(group=group, status="submitted", title="Publiczna rekomendacja")
    RecommendationFactory(group=group, title="Tajny szkic")
    with django_assert_num_queries(6):
        content = client.get(group.get_absolute_url()).content.decode()
    assert "Ewa z Czechowa" in content
    assert named.email not in content
    assert "Publiczna rekomendacja" in content
    assert "Tajny szkic" not in content


def test_resident_applies_through_the_form(client, groups, open_window):
    open_window("recruitment")
    group = groups[0]
    resident = UserFactory()
    client.force_login(resident)
    url = reverse("workgroups:apply", kwargs={"slug": group.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": "ngo", "motivation": "za krótko"})
    assert response.status_code == 400
    response = client.post(url, {"category": "ngo", "motivation": "Prowadzę stowarzyszenie od dziesięciu lat."})
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.applicant, application.category) == (resident, "ngo")
    assert "Oczekuje" in client.get(group.get_absolute_url()).content.decode()


def test_after_applying_the_group_page_says_so_and_a_second_application_is_refused_before_the_form(
    client, groups, open_window
):
    open_window("recruitment")
    group = groups[0]
    client.force_login(UserFactory())
    url = reverse("workgroups:apply", kwargs={"slug": group.slug})
    content = client.get(group.get_absolute_url()).content.decode()
    assert "Zgłoś się do tej grupy" in content
    client.post(url, {"category": "ngo", "motivation": "Prowadzę stowarzyszenie od dziesięciu lat."})
    content = client.get(group.get_absolute_url()).content.decode()
    assert "Zgłoś się do tej grupy" not in content
    assert "Twoje zgłoszenie do tej grupy wpłynęło" in content
    response = client.get(url)
    content = response.content.decode()
    assert "Twoje zgłoszenie do tej grupy wpłynęło" in content
    assert 'name="motivation"' not in content  # no form to fill in vain
    response = client.post(url, {"category": "resident", "motivation": "Jeszcze raz, na wszelki wypadek."})
    assert response.status_code == 403
    assert Application.objects.count() == 1


def test_the_application_form_offers_no_category_that_needs_the_citys_word(client, groups, open_window):
    open_window("recruitment")
    group = groups[1]
    client.force_login(UserFactory())
    url = reverse("workgroups:apply", kwargs={"slug": group.slug})
    content = client.get(url).content.decode()
    assert 'value="leader"' not in content
    assert 'value="city_staff"' not in content
    for category in ("leader", "city_staff"):
        response = client.post(url, {"category": category, "motivation": "Prowadzę stowarzyszenie od dziesięciu lat."})
        assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_coordinator_accepts_an_applicant_as_city_staff(client, groups, monkeypatch):
    from workgroups import tasks

    monkeypatch.setattr(tasks.send_application_decision, "delay", lambda *args: None)
    application = ApplicationFactory(group=groups[0], category="resident")
    client.force_login(coordinator())
    url = reverse("workgroups:application_decide", args=[application.pk])
    assert 'value="city_staff"' in client.get(url).content.decode()
    response = client.post(url, {"decision": "accept", "category": "city_staff", "reason": ""})
    assert response.status_code == 302
    assert Membership.objects.get(user=application.applicant).category == "city_staff"


def test_applying_outside_recruitment_is_refused(client, groups, close_all_windows):
    client.force_login(UserFactory())
    url = reverse("workgroups:apply", kwargs={"slug": groups[0].slug})
    response = client.post(url, {"category": "ngo", "motivation": "Prowadzę stowarzyszenie od dziesięciu lat."})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_applications_queue_and_decision(client, groups, django_assert_num_queries, monkeypatch):
    from workgroups import tasks

    monkeypatch.setattr(tasks.send_application_decision, "delay", lambda *args: None)
    for group in groups[:6]:
        ApplicationFactory(group=group)
        ApplicationFactory(group=group, category="business")
    city = coordinator()
    client.force_login(city)
    with django_assert_num_queries(6):
        response = client.get(reverse("workgroups:applications"))
    assert response.status_code == 200
    application = Application.objects.order_by("id").first()
    url = reverse("workgroups:application_decide", args=[application.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "reject", "reason": ""}).status_code == 400
    assert client.post(url, {"decision": "accept", "reason": ""}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert Membership.objects.filter(user=application.applicant, group=application.group).exists()


def test_applications_are_for_coordinators_only(client, groups):
    for user in (moderator(), leader(WorkingGroupFactory()), UserFactory()):
        client.force_login(user)
        assert client.get(reverse("workgroups:applications")).status_code == 403
        assert client.get(reverse("workgroups:member_import")).status_code == 403


def test_member_import_page_lists_row_errors_and_imports_nothing(client, groups):
    group = groups[1]
    known = UserFactory()
    client.force_login(coordinator())
    url = reverse("workgroups:member_import")
    bad = f"email,category,group\n{known.email},university,{group.slug}\nkto@example.org,resident,{group.slug}\n"
    response = client.post(url, {"file": SimpleUploadedFile("lista.csv", bad.encode())})
    assert response.status_code == 400
    content = response.content.decode()
    assert "kto@example.org" in content
    assert "Nic nie zaimportowano: 1 wiersz zawiera błędy." in content
    assert not Membership.objects.filter(user=known).exists()
    good = f"email,category,group\n{known.email},university,{group.slug}\n"
    response = client.post(url, {"file": SimpleUploadedFile("lista.csv", good.encode())})
    assert response.status_code == 302
    assert Membership.objects.get(user=known).group == group


def test_workspace_is_for_members_and_coordinators(client, groups, django_assert_num_queries):
    group_a, group_b = groups[0], groups[1]
    for _ in range(8):
        RecommendationFactory(group=group_a)
    url = reverse("workgroups:workspace", kwargs={"slug": group_a.slug})
    assert client.get(url).status_code == 302  # to the login page
    for outsider in (member(group_b), group_b.memberships.get(category="leader").user, UserFactory(), moderator()):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    client.force_login(member(group_a))
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert "Kto co zmienił" in response.content.decode()
    client.force_login(coordinator())
    assert client.get(url).status_code == 200


def test_coordinator_removes_a_member(client, groups):
    membership = Membership.objects.filter(group=groups[0]).first()
    client.force_login(leader(WorkingGroupFactory()))
    assert client.post(reverse("workgroups:membership_remove", args=[membership.pk])).status_code == 403
    client.force_login(coordinator())
    assert client.post(reverse("workgroups:membership_remove", args=[membership.pk])).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
