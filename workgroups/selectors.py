"""Reads about working groups: lists with their composition, applications, warnings."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from .models import Application, ApplicationStatus, MemberCategory, Membership, WorkingGroup


def _memberships():
    return Membership.objects.select_related("user").order_by("joined_at", "id")


def group_list():
    """Every group with its area and members, in three queries whatever the number of groups."""
    return WorkingGroup.objects.select_related("area").prefetch_related(
        Prefetch("memberships", queryset=_memberships())
    )


def group_by_slug(slug: str) -> WorkingGroup | None:
    return group_list().filter(slug=slug).first()


@dataclass
class Composition:
    """Who the group has, by category, and what a coordinator should look at."""

    counts: dict[str, int]
    member_count: int
    has_leader: bool
    is_full: bool
    missing: list[str] = field(default_factory=list)

    @property
    def has_warnings(self) -> bool:
        return bool(self.missing) or not self.has_leader or self.is_full

    @property
    def places_left(self) -> int:
        return max(WorkingGroup.MAX_MEMBERS - self.member_count, 0)


def composition(group: WorkingGroup) -> Composition:
    """From the prefetched memberships: no query when the group came from `group_list()`."""
    counts = dict.fromkeys(MemberCategory.values, 0)
    members = list(group.memberships.all())
    for membership in members:
        counts[membership.category] += 1
    missing = [label for value, label in MemberCategory.choices if value != MemberCategory.LEADER and not counts[value]]
    return Composition(
        counts=counts,
        member_count=len(members),
        has_leader=counts[MemberCategory.LEADER] > 0,
        is_full=len(members) >= WorkingGroup.MAX_MEMBERS,
        missing=missing,
    )


def groups_with_composition():
    groups = list(group_list())
    for group in groups:
        group.composition = composition(group)
    return groups


def application_list(*, status: str | None = ApplicationStatus.PENDING, group: WorkingGroup | None = None):
    applications = Application.objects.select_related("group__area", "applicant", "decided_by")
    if status:
        applications = applications.filter(status=status)
    if group is not None:
        applications = applications.filter(group=group)
    return applications.order_by("created_at", "id") if status == ApplicationStatus.PENDING else applications


def application_counts() -> dict[str, int]:
    return dict(Application.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def applications_of(user, *, group: WorkingGroup | None = None):
    if not user.is_authenticated:
        return Application.objects.none()
    applications = Application.objects.filter(applicant=user).select_related("group__area")
    if group is not None:
        applications = applications.filter(group=group)
    return applications


def group_leader(group: WorkingGroup):
    """The leader's account, or None while the group has no leader (one query)."""
    membership = Membership.objects.filter(group=group, category=MemberCategory.LEADER).select_related("user").first()
    return membership.user if membership else None


def groups_of(user):
    """The groups the user is a member of, with the membership's category."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("group__area").order_by("group__area__position")


def pending_count_by_group() -> dict[int, int]:
    return dict(
        WorkingGroup.objects.annotate(
            pending=Count("applications", filter=Q(applications__status=ApplicationStatus.PENDING))
        ).values_list("id", "pending")
    )


def personal_data(user) -> dict:
    """The person's memberships and applications, for the download of their own data (GDPR access)."""
    memberships = user.workgroup_memberships.select_related("group__area").order_by("pk")
    applications = user.workgroup_applications.select_related("group__area").order_by("pk")
    return {
        "working_group_memberships": [
            {"group": str(membership.group), "category": membership.category} for membership in memberships
        ],
        "working_group_applications": [
            {
                "group": str(application.group),
                "category": application.category,
                "motivation": application.motivation,
                "status": application.status,
                "decision_reason": application.decision_reason,
                "submitted_at": application.created_at.isoformat(),
            }
            for application in applications
        ],
    }
