"""Recruitment, the group limits, the decision e-mail and the all-or-nothing member import."""

import io

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lublin2030.versions import AfterCommitBump
from stages.services import WindowClosed
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.workgroups.factories import ApplicationFactory, MembershipFactory, WorkingGroupFactory, leader, member
from workgroups import services
from workgroups.imports import read_member_file
from workgroups.models import Application, ApplicationStatus, MemberCategory, Membership, WorkingGroup
from workgroups.selectors import composition, group_by_slug

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(reference_data):
    return WorkingGroupFactory()


@pytest.fixture
def recruitment(open_window):
    return open_window("recruitment")


def fill(group, count, category=MemberCategory.RESIDENT):
    for _ in range(count):
        MembershipFactory(group=group, category=category)


def test_groups_are_created_for_every_area(reference_data):
    from participation.models import Area

    created = services.groups_ensure_for_areas()
    assert len(created) == Area.objects.count()
    assert services.groups_ensure_for_areas() == []
    assert WorkingGroup.objects.get(area__slug="edukacja").slug == "edukacja"


# Applications ------------------------------------------------------------------------------------


def test_verified_resident_applies_during_recruitment(group, recruitment):
    resident = UserFactory()
    application = services.application_submit(
        actor=resident, group=group, category=MemberCategory.NGO, motivation="  Działam w stowarzyszeniu.  "
    )
    assert application.status == ApplicationStatus.PENDING
    assert application.motivation == "Działam w stowarzyszeniu."
    assert application.stage == recruitment.stage


def test_applying_needs_the_recruitment_window(group, close_all_windows):
    with pytest.raises(WindowClosed):
        services.application_submit(actor=UserFactory(), group=group, category="resident", motivation="Chcę pomóc.")


def test_unverified_account_cannot_apply(group, recruitment):
    with pytest.raises(PermissionDenied):
        services.application_submit(
            actor=UserFactory(verified=False), group=group, category="resident", motivation="Chcę pomóc."
        )


def test_no_duplicate_pending_application_and_no_application_from_a_member(group, recruitment):
    resident = UserFactory()
    services.application_submit(actor=resident, group=group, category="resident", motivation="Chcę pomóc.")
    with pytest.raises(ValidationError):
        services.application_submit(actor=resident, group=group, category="ngo", motivation="Jeszcze raz.")
    with pytest.raises(ValidationError):
        services.application_submit(actor=member(group), group=group, category="resident", motivation="Już jestem.")
    # Another group is fine.
    services.application_submit(actor=resident, group=WorkingGroupFactory(), category="resident", motivation="Inna.")


@pytest.mark.parametrize("category", [MemberCategory.LEADER, MemberCategory.CITY_STAFF])
def test_the_leader_and_the_city_staff_cannot_be_self_declared(group, recruitment, category):
    """Even in a group without a leader: the city's word is needed, so only a coordinator assigns them."""
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=UserFactory(), group=group, category=category, motivation="Poprowadzę.")
    assert "koordynatorzy" in caught.value.message_dict["category"][0]
    assert not Application.objects.exists()


def test_a_coordinator_assigns_the_leader_when_accepting(group):
    application = ApplicationFactory(group=group, category=MemberCategory.NGO)
    services.application_decide(actor=coordinator(), application=application, accept=True, category="leader")
    assert Membership.objects.get(user=application.applicant).category == MemberCategory.LEADER
    second = ApplicationFactory(group=group, category=MemberCategory.NGO)
    with pytest.raises(ValidationError):  # one leader per group
        services.application_decide(actor=coordinator(), application=second, accept=True, category="leader")


def test_no_application_to_a_full_group(group, recruitment):
    fill(group, 10)
    with pytest.raises(ValidationError):
        services.application_submit(actor=UserFactory(), group=group, category="resident", motivation="Chcę pomóc.")


def test_accepting_makes_a_membership_and_emails_the_applicant_after_commit(group, django_capture_on_commit_callbacks):
    application = ApplicationFactory(group=group, category=MemberCategory.UNIVERSITY)
    city = coordinator()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_decide(actor=city, application=application, accept=True)
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    # The e-mail; the working groups' version is bumped again after the commit too (lublin2030.versions).
    assert len([callback for callback in callbacks if not isinstance(callback, AfterCommitBump)]) == 1
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (ApplicationStatus.ACCEPTED, city)
    membership = Membership.objects.get(group=group, user=application.applicant)
    assert (membership.category, membership.added_by) == (MemberCategory.UNIVERSITY, city)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.applicant.email]
    assert group.area.name_pl in mail.outbox[0].subject


def test_rejecting_needs_a_reason_which_the_email_carries(group, django_capture_on_commit_callbacks):
    application = ApplicationFactory(group=group)
    with pytest.raises(ValidationError):
        services.application_decide(actor=coordinator(), application=application, accept=False, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=coordinator(), application=application, accept=False, reason="Komplet mieszkańców."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not Membership.objects.exists()
    assert "Komplet mieszkańców." in mail.outbox[0].body


def test_a_decided_application_cannot_be_decided_again(group):
    application = ApplicationFactory(group=group)
    services.application_decide(actor=coordinator(), application=application, accept=True)
    with pytest.raises(ValidationError):
        services.application_decide(actor=coordinator(), application=application, accept=False, reason="Zmiana zdania.")


def test_accepting_into_a_full_group_is_refused_and_stays_pending(group):
    fill(group, 10)
    application = ApplicationFactory(group=group)
    with pytest.raises(ValidationError):
        services.application_decide(actor=coordinator(), application=application, accept=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert group.memberships.count() == 10


def test_only_coordinators_decide(group):
    application = ApplicationFactory(group=group)
    for user in (moderator(), leader(group), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.application_decide(actor=user, application=application, accept=True)


def test_a_broker_outage_keeps_the_decision_and_its_email(group, broker_down, django_capture_on_commit_callbacks):
    from lublin2030.models import OutboxMessage

    application = ApplicationFactory(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(actor=coordinator(), application=application, accept=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    [message] = OutboxMessage.objects.all()
    assert (message.task_name, message.args) == ("workgroups.tasks.send_application_decision", [application.pk])


# Limits --------------------------------------------------------------------------------------------


def test_membership_limits(group):
    city = coordinator()
    person = UserFactory()
    services.membership_add(actor=city, group=group, user=person, category="leader")
    with pytest.raises(ValidationError):
        services.membership_add(actor=city, group=group, user=person, category="resident")
    with pytest.raises(ValidationError):
        services.membership_add(actor=city, group=group, user=UserFactory(), category="leader")
    fill(group, 9)
    with pytest.raises(ValidationError):
        services.membership_add(actor=city, group=group, user=UserFactory(), category="resident")
    assert group.memberships.count() == 10


def test_composition_warnings(group):
    fresh = group_by_slug(group.slug)
    warnings = composition(fresh)
    assert not warnings.has_leader
    assert len(warnings.missing) == 5
    assert warnings.has_warnings
    leader(group)
    for category in ("city_staff", "resident", "ngo", "business", "university"):
        member(group, category)
    complete = composition(group_by_slug(group.slug))
    assert complete.has_leader
    assert not complete.missing
    assert not complete.is_full
    assert not complete.has_warnings
    fill(group, 4)
    full = composition(group_by_slug(group.slug))
    assert full.is_full
    assert full.has_warnings
    assert full.places_left == 0


def test_removing_a_member(group):
    membership = MembershipFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=leader(group), membership=membership)
    services.membership_remove(actor=coordinator(), membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


# Import ----------------------------------------------------------------------------------------


def test_import_adds_members_all_or_nothing(group):
    other = WorkingGroupFactory()
    alice, bob = UserFactory(), UserFactory()
    rows = [
        {"row": 2, "email": alice.email.upper(), "category": "leader", "group": group.slug},
        {"row": 3, "email": bob.email, "category": "ngo", "group": other.area.name_pl},
        {"row": 4, "email": "nobody@example.org", "category": "resident", "group": group.slug},
        {"row": 5, "email": bob.email, "category": "chief", "group": "no-such-group"},
    ]
    with pytest.raises(services.MemberImportError) as caught:
        services.members_import(actor=coordinator(), rows=rows)
    assert [error.row for error in caught.value.row_errors] == [4, 5]
    assert "nobody@example.org" in caught.value.row_errors[0].message
    assert not Membership.objects.exists()
    result = services.members_import(actor=coordinator(), rows=rows[:2])
    assert len(result.created) == 2
    assert Membership.objects.get(user=alice).category == MemberCategory.LEADER


def test_import_applies_the_limits_within_the_file(group):
    users = [UserFactory() for _ in range(12)]
    rows = [{"row": n + 2, "email": u.email, "category": "resident", "group": group.slug} for n, u in enumerate(users)]
    rows[0]["category"] = rows[1]["category"] = "leader"
    with pytest.raises(services.MemberImportError) as caught:
        services.members_import(actor=coordinator(), rows=rows)
    assert [error.row for error in caught.value.row_errors] == [3, 13]  # second leader, eleventh member
    assert not Membership.objects.exists()


def test_import_is_for_coordinators(group):
    with pytest.raises(PermissionDenied):
        services.members_import(actor=moderator(), rows=[])


def test_member_file_reader_reads_csv_with_semicolons_and_xlsx(group):
    csv_file = SimpleUploadedFile("lista.csv", b"E-mail;Kategoria;Grupa\nanna@example.org;ngo;edukacja\n;;\n")
    assert read_member_file(csv_file) == [
        {"row": 2, "email": "anna@example.org", "category": "ngo", "group": "edukacja"}
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["email", "category", "group"])
    sheet.append(["jan@example.org", "leader", "akademickosc"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = SimpleUploadedFile("lista.xlsx", buffer.getvalue())
    assert read_member_file(xlsx) == [
        {"row": 2, "email": "jan@example.org", "category": "leader", "group": "akademickosc"}
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("lista.txt", b"email,category,group\n"), ("lista.csv", b"mail,kto\nx,y\n"), ("lista.xlsx", b"not a zip")],
)
def test_member_file_reader_explains_bad_files(name, content):
    with pytest.raises(ValidationError):
        read_member_file(SimpleUploadedFile(name, content))


def test_application_model_forbids_two_pending_applications_in_the_database(group):
    application = ApplicationFactory(group=group)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(group=group, applicant=application.applicant, category="ngo", motivation="x")
