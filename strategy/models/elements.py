"""The structured elements beside the text: strategic goals, directions of action (or operational
goals) and indicators."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .versions import StrategyVersion, VersionedElement


class Dimension(models.TextChoices):
    """Art. 10e ust. 2 pkt 2: strategic goals in the social, economic and spatial dimension."""

    SOCIAL = "social", _("Social")
    ECONOMIC = "economic", _("Economic")
    SPATIAL = "spatial", _("Spatial")


class StrategicGoal(VersionedElement):
    TITLE_MAX_LENGTH = 300
    DESCRIPTION_MAX_LENGTH = 5000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="goal_key_unique")]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def number(self) -> str:
        return str(self.position)

    @property
    def anchor(self) -> str:
        return f"g-{self.key}"


class DirectionKind(models.TextChoices):
    DIRECTION = "direction", _("Direction of action")
    OPERATIONAL_GOAL = "operational_goal", _("Operational goal")


class Direction(VersionedElement):
    """An operational goal or a direction of action under a strategic goal; numbered "2.3"."""

    TITLE_MAX_LENGTH = 300
    DESCRIPTION_MAX_LENGTH = 5000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="directions")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, related_name="directions")
    kind = models.CharField(_("kind"), max_length=20, choices=DirectionKind.choices, default=DirectionKind.DIRECTION)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["version", "goal__position", "position", "id"]
        verbose_name = _("direction of action")
        verbose_name_plural = _("directions of action")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="direction_key_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def number(self) -> str:
        return f"{self.goal.position}.{self.position}"

    @property
    def anchor(self) -> str:
        return f"d-{self.key}"


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Every year")
    BIENNIAL = "biennial", _("Every two years")
    TRIENNIAL = "triennial", _("Every three years")
    END_OF_PERIOD = "end_of_period", _("At the end of the period")


class Polarity(models.TextChoices):
    MORE_IS_BETTER = "more", _("More is better")
    LESS_IS_BETTER = "less", _("Less is better")


class Indicator(VersionedElement):
    """An expected result with its measure (art. 10e ust. 2 pkt 4), tied to a goal or to a direction.

    Measurements over the years (stage IX) follow the indicator by its key, never by this row's id.
    """

    NAME_MAX_LENGTH = 300
    DECIMALS = 4

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    unit = models.CharField(_("unit"), max_length=60)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=18, decimal_places=DECIMALS)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=DECIMALS)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    source = models.CharField(_("source of data"), max_length=300)
    frequency = models.CharField(_("frequency of measurement"), max_length=16, choices=Frequency.choices)
    polarity = models.CharField(_("direction"), max_length=8, choices=Polarity.choices)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="indicator_key_unique"),
            models.CheckConstraint(
                condition=Q(goal__isnull=False, direction__isnull=True) | Q(goal__isnull=True, direction__isnull=False),
                name="indicator_goal_or_direction",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def anchor(self) -> str:
        return f"i-{self.key}"
