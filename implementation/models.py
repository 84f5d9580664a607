"""Stage IX: the strategy's implementation and its monitoring, and residents following their opinions.

Everything here points at the strategy's goals, directions and indicators by their **stable keys**, never
by a row: rows belong to one version, keys live across versions (docs/strategy.md). A measurement of an
indicator, an action serving a direction, a sector strategy developing a goal all stay attached when the
strategy is amended; the version in force (strategy.adoption) says what the keys mean today.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from strategy.models import KEY_LENGTH

# The cached public pages of monitoring key on this data version (lublin2030.versions).
DATA_VERSION = "implementation"


class PublicQuerySet(models.QuerySet):
    def public(self):
        """What the monitoring page, the API and the chain show: entries staff did not keep as drafts."""
        return self.filter(is_public=True)


class ProgrammeKind(models.TextChoices):
    SECTOR_STRATEGY = "sector_strategy", _("Sector strategy")
    PROGRAMME = "programme", _("Programme")
    PLAN = "plan", _("Plan")


class SectorStrategy(models.Model):
    """A sector strategy or programme that develops the main document (stage IX of the seed)."""

    NAME_MAX_LENGTH = 300

    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="sector_strategies")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.PROGRAMME)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    owner_department = models.CharField(_("owner department"), max_length=200)
    starts_year = models.PositiveSmallIntegerField(_("first year"))
    ends_year = models.PositiveSmallIntegerField(_("last year"))
    document_url = models.URLField(_("address of the document"), max_length=500, blank=True)
    adopted_by = models.CharField(_("adopted by"), max_length=300, blank=True, help_text=_("E.g. the resolution."))
    description = models.TextField(_("description"), max_length=5000, blank=True)
    is_public = models.BooleanField(_("shown on the monitoring page"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "name", "id"]
        verbose_name = _("sector strategy or programme")
        verbose_name_plural = _("sector strategies and programmes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_year__gte=models.F("starts_year")), name="sector_strategy_period")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("implementation:sector_strategy", kwargs={"pk": self.pk})


class ElementKind(models.TextChoices):
    GOAL = "goal", _("Strategic goal")
    DIRECTION = "direction", _("Direction of action")


class DevelopedElement(models.Model):
    """A goal or a direction of the strategy that a sector strategy develops, by its stable key."""

    sector_strategy = models.ForeignKey(SectorStrategy, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("kind"), max_length=10, choices=ElementKind.choices)
    key = models.CharField(_("stable key"), max_length=KEY_LENGTH)

    class Meta:
        ordering = ["sector_strategy", "kind", "id"]
        verbose_name = _("developed goal or direction")
        verbose_name_plural = _("developed goals and directions")
        constraints = [
            models.UniqueConstraint(fields=["sector_strategy", "kind", "key"], name="developed_element_once")
        ]
        indexes = [models.Index(fields=["kind", "key"], name="developed_element_key")]

    def __str__(self):
        return f"{self.sector_strategy_id}: {self.kind} {self.key}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("action", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action", "In progress")
    COMPLETED = "completed", pgettext_lazy("action", "Completed")
    SUSPENDED = "suspended", pgettext_lazy("action", "Suspended")
    CANCELLED = "cancelled", pgettext_lazy("action", "Cancelled")


# An action in one of these has started: residents following an opinion that reached it are told.
STARTED_STATUSES = (ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED)


class Action(models.Model):
    """An action or project of the implementation: who does it, where, with what money, serving which directions."""

    TITLE_MAX_LENGTH = 300
    BUDGET_DIGITS = 14

    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="actions")
    sector_strategy = models.ForeignKey(
        SectorStrategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("sector strategy or programme"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)
    district = models.ForeignKey(
        "participation.District", on_delete=models.PROTECT, related_name="actions", verbose_name=_("district")
    )
    planned_budget = models.DecimalField(_("planned budget (PLN)"), max_digits=BUDGET_DIGITS, decimal_places=2)
    spent_budget = models.DecimalField(_("spent (PLN)"), max_digits=BUDGET_DIGITS, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the monitoring page"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "title", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="action_period_order",
            ),
            models.CheckConstraint(
                condition=Q(planned_budget__gte=0) & Q(spent_budget__gte=0), name="action_budget_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["strategy", "is_public", "status"], name="action_public_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("implementation:action", kwargs={"pk": self.pk})

    @property
    def has_started(self) -> bool:
        return self.status in STARTED_STATUSES


class ActionDirection(models.Model):
    """A direction of action (by its stable key) that an action serves."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="served")
    direction_key = models.CharField(_("direction key"), max_length=KEY_LENGTH)

    class Meta:
        ordering = ["action", "id"]
        verbose_name = _("direction served by an action")
        verbose_name_plural = _("directions served by actions")
        constraints = [models.UniqueConstraint(fields=["action", "direction_key"], name="action_direction_once")]
        indexes = [models.Index(fields=["direction_key"], name="action_direction_key")]

    def __str__(self):
        return f"{self.action_id} → {self.direction_key}"


class Measurement(models.Model):
    """A value of an indicator (by its stable key) on a date: entered by staff or imported."""

    SOURCE_MAX_LENGTH = 300
    NOTE_MAX_LENGTH = 1000

    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="measurements")
    indicator_key = models.CharField(_("indicator key"), max_length=KEY_LENGTH)
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=SOURCE_MAX_LENGTH, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["strategy", "indicator_key", "measured_on"]
        verbose_name = _("measurement of an indicator")
        verbose_name_plural = _("measurements of indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "indicator_key", "measured_on"], name="measurement_once_per_date"
            )
        ]

    def __str__(self):
        return f"{self.indicator_key} {self.measured_on}: {self.value}"


class EducationKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    LECTURE = "lecture", _("Lecture or debate")
    SCHOOL = "school", _("Lesson in a school")
    EXHIBITION = "exhibition", _("Exhibition")
    WALK = "walk", _("City walk")
    OTHER = "other", _("Other")


class EducationalEvent(models.Model):
    """An event of the portal that belongs to the educational programme of the implementation, with its kind."""

    event = models.OneToOneField(
        "participation.Event", on_delete=models.CASCADE, related_name="education", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EducationKind.choices)
    audience = models.CharField(_("for whom"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)

    class Meta:
        ordering = ["event__starts_at", "id"]
        verbose_name = _("event of the educational programme")
        verbose_name_plural = _("events of the educational programme")

    def __str__(self):
        return str(self.event)


# Following an opinion ---------------------------------------------------------------------------


class Follow(models.Model):
    """A person asked to be told when an opinion moves along the chain (cited, included, adopted, an action).

    `seen` holds the steps already told (strings like "recommendation:12"), so a digest tells only news.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opinion_follows")
    opinion = models.ForeignKey("participation.Opinion", on_delete=models.CASCADE, related_name="follows")
    seen = models.JSONField(_("steps already told"), default=list, blank=True)
    created_at = models.DateTimeField(_("following since"), auto_now_add=True)

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = _("followed opinion")
        verbose_name_plural = _("followed opinions")
        constraints = [models.UniqueConstraint(fields=["user", "opinion"], name="follow_once")]

    def __str__(self):
        return f"{self.user_id} → opinion {self.opinion_id}"


class FollowDigest(models.Model):
    """When a person last got the daily digest: at most one a day, whatever the worker does twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_digest")
    last_sent_on = models.DateField(_("last sent on"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest of followed opinions")
        verbose_name_plural = _("digests of followed opinions")

    def __str__(self):
        return f"{self.user_id}: {self.last_sent_on}"
