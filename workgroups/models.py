"""Thematic Working Groups (TGR): one per strategic area, at most ten members, open recruitment."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stages.models import pick_language


class MemberCategory(models.TextChoices):
    """Who a member represents. Every group should have each of them, and exactly one leader."""

    LEADER = "leader", pgettext_lazy("member category", "Leader")
    CITY_STAFF = "city_staff", pgettext_lazy("member category", "City staff")
    RESIDENT = "resident", pgettext_lazy("member category", "Resident")
    NGO = "ngo", pgettext_lazy("member category", "Non-governmental organisation")
    BUSINESS = "business", pgettext_lazy("member category", "Business")
    UNIVERSITY = "university", pgettext_lazy("member category", "University")


# Categories that need the city's word: a coordinator assigns them (on accepting an application, in the
# member import); nobody declares them in an application.
CITY_ASSIGNED_CATEGORIES = frozenset({MemberCategory.LEADER, MemberCategory.CITY_STAFF})


class WorkingGroup(models.Model):
    """A Thematic Working Group (Tematyczna Grupa Robocza) of one strategic area."""

    MAX_MEMBERS = 10

    area = models.OneToOneField(
        "participation.Area", on_delete=models.PROTECT, related_name="working_group", verbose_name=_("area")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["area__position", "area__name_pl"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workgroups:group_detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return str(_("Working group: %(area)s") % {"area": self.area.name})

    @property
    def description(self) -> str:
        return pick_language(self.description_pl, self.description_en)


class Membership(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("working group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workgroup_memberships",
        verbose_name=_("member"),
    )
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "joined_at", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_person_per_group"),
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(category="leader"), name="one_leader_per_group"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_category_display()}) — {self.group}"

    @property
    def is_leader(self) -> bool:
        return self.category == MemberCategory.LEADER


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("application status", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("application status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("application status", "Rejected")


class Application(models.Model):
    """A resident asks to join a group during the recruitment window."""

    MOTIVATION_MAX_LENGTH = 1000

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="applications", verbose_name=_("working group")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workgroup_applications",
        verbose_name=_("applicant"),
    )
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices)
    motivation = models.TextField(_("motivation"), max_length=MOTIVATION_MAX_LENGTH)
    stage = models.ForeignKey(
        "stages.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stage")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "applicant"],
                condition=models.Q(status="pending"),
                name="one_pending_application_per_person_per_group",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="application_status_created")]

    def __str__(self):
        return f"{self.applicant} → {self.group} ({self.get_status_display()})"
