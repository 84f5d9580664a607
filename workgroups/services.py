"""Writes about working groups: groups, recruitment, memberships, import of member lists."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.rules import has_verified_email
from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from stages.models import WindowKind
from stages.selectors import open_window
from stages.services import require_open_window

from .models import CITY_ASSIGNED_CATEGORIES, Application, ApplicationStatus, MemberCategory, Membership, WorkingGroup
from .rules import forget_memberships

logger = logging.getLogger(__name__)


# Groups ---------------------------------------------------------------------------------------


@transaction.atomic
def group_create(*, area, description_pl: str = "", description_en: str = "") -> WorkingGroup:
    group = WorkingGroup(area=area, slug=area.slug, description_pl=description_pl, description_en=description_en)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def groups_ensure_for_areas() -> list[WorkingGroup]:
    """One group per strategic area: creates the missing ones, returns the new ones."""
    from participation.models import Area

    created = []
    for area in Area.objects.filter(working_group__isnull=True).order_by("position", "name_pl"):
        created.append(group_create(area=area))
    return created


# Memberships ----------------------------------------------------------------------------------


def _check_room(*, group: WorkingGroup, user, category: str, pending_rows: list[tuple[int, str]] = ()) -> None:
    """The limits every new membership meets: ten members, one leader, one membership per person."""
    rows = list(Membership.objects.filter(group=group).values_list("user_id", "category")) + list(pending_rows)
    if any(user_id == user.pk for user_id, _category in rows):
        raise ValidationError(
            _("%(person)s is already a member of this group.") % {"person": user.email}, code="member"
        )
    if len(rows) >= WorkingGroup.MAX_MEMBERS:
        raise ValidationError(
            _("The group is full: it already has %(count)d members.") % {"count": WorkingGroup.MAX_MEMBERS},
            code="full",
        )
    if category == MemberCategory.LEADER and any(c == MemberCategory.LEADER for _user, c in rows):
        raise ValidationError(_("The group already has a leader."), code="leader")


def _lock_group(group: WorkingGroup) -> WorkingGroup:
    """Serialises membership changes of one group, so two acceptances cannot make an eleventh member."""
    return WorkingGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def membership_add(*, actor, group: WorkingGroup, user, category: str) -> Membership:
    """A coordinator adds a member directly."""
    require_permission(actor, "workgroups.manage_members")
    return _add_membership(group=group, user=user, category=category, added_by=actor)


def _add_membership(*, group: WorkingGroup, user, category: str, added_by) -> Membership:
    group = _lock_group(group)
    _check_room(group=group, user=user, category=category)
    membership = Membership(group=group, user=user, category=category, added_by=added_by)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:  # a race the lock did not cover (another process without the lock)
        raise ValidationError(_("This membership would break the group's limits."), code="integrity") from error
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    require_permission(actor, "workgroups.manage_members")
    _lock_group(membership.group)
    user = membership.user
    membership.delete()
    forget_memberships(user)


# Recruitment ----------------------------------------------------------------------------------


@transaction.atomic
def application_submit(*, actor, group: WorkingGroup, category: str, motivation: str) -> Application:
    """A resident with a verified e-mail applies to a group while recruitment is open."""
    require_open_window(WindowKind.RECRUITMENT)
    if not has_verified_email(actor):
        raise PermissionDenied(_("Verify your e-mail address before applying."))
    if category in CITY_ASSIGNED_CATEGORIES:
        raise ValidationError(
            {"category": _("The leader and the city staff are appointed by the coordinators: choose another category.")}
        )
    group = _lock_group(group)
    if Membership.objects.filter(group=group, user=actor).exists():
        raise ValidationError(_("You are already a member of this group."), code="member")
    if Application.objects.filter(group=group, applicant=actor, status=ApplicationStatus.PENDING).exists():
        raise ValidationError(_("You have already applied to this group; wait for the decision."), code="duplicate")
    if Membership.objects.filter(group=group).count() >= WorkingGroup.MAX_MEMBERS:
        raise ValidationError(_("This group is full: it has no place left."), code="full")
    window = open_window(WindowKind.RECRUITMENT)
    application = Application(
        group=group,
        applicant=actor,
        category=category,
        motivation=motivation.strip(),
        stage=window.stage if window else None,
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_decide(
    *, actor, application: Application, accept: bool, reason: str = "", category: str = ""
) -> Application:
    """A coordinator accepts (the applicant becomes a member) or rejects with a reason.

    On accepting, `category` is the one the city assigns (the leader, the city staff); empty keeps the
    category the applicant asked for.
    """
    require_permission(actor, "workgroups.review_application")
    if category and category not in MemberCategory.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    application = Application.objects.select_for_update().select_related("group", "applicant").get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."), code="decided")
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the application is rejected: the applicant will read it.")})
    if accept:
        _add_membership(
            group=application.group,
            user=application.applicant,
            category=category or application.category,
            added_by=actor,
        )
        application.status = ApplicationStatus.ACCEPTED
    else:
        application.status = ApplicationStatus.REJECTED
    application.decision_reason = reason
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.full_clean(validate_constraints=False)
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    from .tasks import send_application_decision

    enqueue(send_application_decision, application.pk)
    return application


def application_send_decision_email(*, application_id: int) -> bool:
    """Tell the applicant what was decided. Called by the Celery task; returns False when nothing to send."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    application = Application.objects.select_related("group__area", "applicant").filter(pk=application_id).first()
    if application is None or application.status == ApplicationStatus.PENDING:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "group_url": settings.SITE_URL
            + reverse("workgroups:group_detail", kwargs={"slug": application.group.slug}),
        }
        subject = render_to_string("workgroups/email/decision_subject.txt", context).strip()
        body = render_to_string("workgroups/email/decision_body.txt", context)
    send_mail(subject, body, None, [application.applicant.email])
    return True


# Import of member lists -----------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    created: list[Membership] = field(default_factory=list)


class MemberImportError(ValidationError):
    """The file was refused as a whole; `row_errors` say which rows and why."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        count = len(row_errors)
        super().__init__(
            ngettext(
                "Nothing was imported: %(count)d row has errors.",
                "Nothing was imported: %(count)d rows have errors.",
                count,
            )
            % {"count": count}
        )


@transaction.atomic(durable=True)
def members_import(*, actor, rows: list[dict]) -> ImportResult:
    """Add members from a spreadsheet, all or nothing.

    Each row is {"row": n, "email": ..., "category": ..., "group": ...}; the group is an area slug or
    name. Only existing accounts are added: the city does not create accounts for people who have not
    agreed to have one (they sign up first, then the import is run again).
    """
    from accounts.models import User

    require_permission(actor, "workgroups.manage_members")
    groups = {}
    for group in WorkingGroup.objects.select_related("area"):
        for key in (group.slug, group.area.slug, group.area.name_pl, group.area.name_en):
            if key:
                groups[key.strip().casefold()] = group
    emails = {row["email"].strip().lower() for row in rows if row.get("email")}
    users = {user.email.lower(): user for user in User.objects.filter(email__in=emails, is_active=True)}
    category_values = {value.casefold(): value for value in MemberCategory.values}
    category_values.update({str(label).casefold(): value for value, label in MemberCategory.choices})

    errors: list[RowError] = []
    planned: dict[int, list[tuple[int, str]]] = {}
    to_create: list[tuple[WorkingGroup, object, str]] = []
    locked = set()
    for row in rows:
        number = row["row"]
        email = (row.get("email") or "").strip().lower()
        group = groups.get((row.get("group") or "").strip().casefold())
        category = category_values.get((row.get("category") or "").strip().casefold())
        problems = []
        if not email:
            problems.append(_("the e-mail address is missing"))
        elif email not in users:
            problems.append(_("no account uses %(email)s: ask the person to sign up first") % {"email": email})
        if group is None:
            problems.append(_("unknown group “%(group)s”") % {"group": row.get("group") or ""})
        if category is None:
            problems.append(
                _("unknown category “%(category)s” (use one of: %(choices)s)")
                % {"category": row.get("category") or "", "choices": ", ".join(MemberCategory.values)}
            )
        if not problems:
            if group.pk not in locked:
                _lock_group(group)
                locked.add(group.pk)
            user = users[email]
            try:
                _check_room(group=group, user=user, category=category, pending_rows=planned.get(group.pk, []))
            except ValidationError as error:
                problems.extend(error.messages)
            else:
                planned.setdefault(group.pk, []).append((user.pk, category))
                to_create.append((group, user, category))
        if problems:
            errors.append(RowError(row=number, message="; ".join(str(p) for p in problems)))
    if not rows:
        errors.append(RowError(row=0, message=_("The file has no rows.")))
    if errors:
        raise MemberImportError(errors)
    result = ImportResult()
    for group, user, category in to_create:
        membership = Membership(group=group, user=user, category=category, added_by=actor)
        membership.full_clean(validate_constraints=False)
        membership.save()
        forget_memberships(user)
        result.created.append(membership)
    return result
