"""Import and export in the Django admin (django-import-export), role by role.

The reference data (areas, districts, channels, events) and the working groups' members: a dry run
shows every row and its errors, the import is all or nothing, members go through the service that
keeps the groups' rules. Rights follow `RoleAdmin.rights` (docs/permissions.md).
"""

import csv
import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from openpyxl import load_workbook

from participation.models import Area, Channel, District, Event
from tests.accounts.factories import UserFactory, coordinator
from tests.test_admin_rights import ROLES
from workgroups.models import MemberCategory, Membership, WorkingGroup

pytestmark = pytest.mark.django_db

MODELS = {
    "participation/area": Area,
    "participation/district": District,
    "participation/channel": Channel,
    "participation/event": Event,
    "workgroups/membership": Membership,
}
# Who may import and export, by model: the same people who may add and change (import) or view (export).
MAY = {"coordinator", "admin", "superuser"}
CSV_FORMAT = "0"  # the first of the admin's formats: CSV, XLSX


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_import_and_export_rights_follow_the_admin_rights(reference_data, role, model):
    model_admin = admin.site._registry[MODELS[model]]
    request = RequestFactory().get("/admin/")
    request.user = ROLES[role]()
    expected = role in MAY
    assert model_admin.has_import_permission(request) is expected
    assert model_admin.has_export_permission(request) is expected


@pytest.mark.parametrize("role", ["moderator", "coordinator", "admin"])
def test_the_import_and_export_pages_answer_by_role(client, reference_data, role):
    client.force_login(ROLES[role](is_staff=True))
    expected = 200 if role in MAY else 403
    for model in MODELS:
        assert client.get(f"/admin/{model}/import/").status_code == expected, model
        assert client.get(f"/admin/{model}/export/").status_code == expected, model
    changelist = client.get("/admin/participation/area/")
    if role in MAY:
        assert "href='/admin/participation/area/import/'" in changelist.content.decode()


def upload(client, model, content: str, name="plik.csv"):
    return client.post(
        f"/admin/{model}/import/",
        {"import_file": SimpleUploadedFile(name, content.encode()), "format": CSV_FORMAT, "resource": "0"},
    )


def export(client, model, fmt, ids):
    """The export form as the admin shows it (every column ticked), for the rows `ids`."""
    form = client.get(f"/admin/{model}/export/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data.update({"format": fmt, "resource": "0", "export_items": list(ids)})
    response = client.post(f"/admin/{model}/export/", data)
    assert response.status_code == 200
    assert not response.get("Content-Type", "").startswith("text/html"), response.context["form"].errors
    return response.content


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(f"/admin/{model}/process_import/", {name: form[name].value() for name in form.fields})


def test_areas_import_with_a_dry_run_then_all_at_once(client, reference_data):
    client.force_login(coordinator(is_staff=True))
    content = (
        "slug,name_pl,name_en,description_pl,description_en,position\n"
        "zielony-lublin,Zielony Lublin,Green Lublin,,,30\n"
        "edukacja,Edukacja i nauka,Education,,,1\n"
    )
    preview = upload(client, "participation/area", content)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert not Area.objects.filter(slug="zielony-lublin").exists()  # a dry run writes nothing
    confirm(client, "participation/area", preview)
    assert Area.objects.get(slug="zielony-lublin").name_en == "Green Lublin"
    assert Area.objects.get(slug="edukacja").name_pl == "Edukacja i nauka"


def test_a_row_with_an_error_stops_the_whole_file(client, reference_data):
    client.force_login(coordinator(is_staff=True))
    content = (
        "slug,name_pl,name_en,description_pl,description_en,position\n"
        "zielony-lublin,Zielony Lublin,Green Lublin,,,30\n"
        "bez-nazwy,,No name,,,31\n"
    )
    preview = upload(client, "participation/area", content)
    result = preview.context["result"]
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "name_pl" in invalid.field_specific_errors
    assert "confirm_form" not in preview.context
    assert not Area.objects.filter(slug__in=["zielony-lublin", "bez-nazwy"]).exists()


def test_events_export_and_import_back_by_stage_number_channel_code_and_district_slug(client, reference_data):
    from tests.participation.factories import EventFactory

    event = EventFactory(title="Kafejka na Czubach", district=District.objects.get(slug="czuby-polnocne"))
    client.force_login(coordinator(is_staff=True))
    exported = export(client, "participation/event", "1", [event.pk])
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    header, values = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert (values["stage"], values["channel"], values["district"]) == (2, "kafejka", "czuby-polnocne")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(
        [
            "",
            "Kawiarnia obywatelska",
            "",
            2,
            "kafejka",
            "czuby-polnocne",
            "Dom Kultury",
            "2026-05-01 17:00:00",
            "2026-04-01 19:00:00",
        ]
    )
    preview = upload(client, "participation/event", buffer.getvalue())
    [invalid] = preview.context["result"].invalid_rows  # the model's rule: it cannot end before it starts
    assert "ends_at" in invalid.field_specific_errors


# --- members ----------------------------------------------------------------------------------


@pytest.fixture
def group(reference_data):
    from tests.workgroups.factories import WorkingGroupFactory

    return WorkingGroupFactory()


def members_file(group, *rows):
    return "group,email,category\n" + "".join(f"{group.slug},{email},{category}\n" for email, category in rows)


def test_members_are_added_through_the_service(client, group):
    actor = coordinator(is_staff=True)
    client.force_login(actor)
    first, second = UserFactory(), UserFactory()
    preview = upload(
        client,
        "workgroups/membership",
        members_file(group, (first.email.upper(), "leader"), (second.email, "Mieszkaniec / mieszkanka")),
    )
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert not Membership.objects.exists()
    confirm(client, "workgroups/membership", preview)
    members = {m.user_id: m for m in Membership.objects.all()}
    assert members[first.pk].category == MemberCategory.LEADER
    assert members[second.pk].category == MemberCategory.RESIDENT
    assert {m.added_by_id for m in members.values()} == {actor.pk}


def test_the_groups_rules_are_row_errors_and_nothing_is_added(client, group):
    from tests.workgroups.factories import member

    leader = member(group, category=MemberCategory.LEADER)  # a user
    for _ in range(WorkingGroup.MAX_MEMBERS - 2):
        member(group)
    client.force_login(coordinator(is_staff=True))
    newcomers = [UserFactory() for _ in range(3)]
    content = members_file(
        group,
        (newcomers[0].email, "leader"),  # a second leader
        (newcomers[1].email, "ngo"),  # the tenth member: fits
        (newcomers[2].email, "business"),  # the eleventh
        (leader.email, "resident"),  # already a member (another category)
        ("nikt@example.org", "resident"),  # no account
    )
    preview = upload(client, "workgroups/membership", content)
    result = preview.context["result"]
    messages = {row.number: " ".join(row.error.messages) for row in result.invalid_rows}
    assert messages[1] == "Grupa ma już lidera."
    assert 2 not in messages
    assert "10" in messages[3]
    assert leader.email in messages[4]
    errors = {number: " ".join(str(error.error) for error in row) for number, row in result.row_errors()}
    assert "nikt@example.org" in errors[5]  # no account: the person signs up first
    assert "confirm_form" not in preview.context
    assert Membership.objects.filter(group=group).count() == WorkingGroup.MAX_MEMBERS - 1


def test_members_export_reads_back_as_already_there(client, group):
    from tests.workgroups.factories import member

    member(group, category=MemberCategory.LEADER)
    member(group)
    client.force_login(coordinator(is_staff=True))
    content = export(client, "workgroups/membership", "0", Membership.objects.values_list("pk", flat=True))
    content = content.decode("utf-8-sig")
    assert content.splitlines()[0] == "group,email,category,joined_at"
    preview = upload(client, "workgroups/membership", content)
    result = preview.context["result"]
    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip", "skip"]
