"""The editorial team (city staff and invited experts) and the departments' reviewers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .versions import Strategy


class TeamRole(models.TextChoices):
    EDITOR = "editor", _("Editorial team: city staff")
    EXPERT = "expert", _("Editorial team: external expert")
    DEPARTMENT = "department", _("City department: internal consultation")


EDITORIAL_ROLES = (TeamRole.EDITOR, TeamRole.EXPERT)


class TeamMembership(models.Model):
    """Who works on the document: granted and withdrawn by coordinators; the history stays."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="strategy_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=12, choices=TeamRole.choices)
    department = models.CharField(_("department or institution"), max_length=200, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["strategy", "role", "user__email"]
        verbose_name = _("strategy team membership")
        verbose_name_plural = _("strategy team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "user"], condition=Q(withdrawn_at__isnull=True), name="strategy_membership_active"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_editorial(self) -> bool:
        return self.role in EDITORIAL_ROLES
