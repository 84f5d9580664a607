"""From recommendations to the strategy: citations by a goal, a direction or a block, and the
team's written reasons for an included recommendation not taken up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .elements import Direction, StrategicGoal
from .text import Block
from .versions import StrategyVersion, VersionedQuerySet


class Citation(models.Model):
    """An included recommendation that a goal, a direction or a block of one version draws on.

    One target per row. The opinion → recommendation → strategy chain follows these both ways:
    `recommendation.strategy_citations` and `goal.citations` / `direction.citations` / `block.citations`.
    """

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="citations")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.PROTECT,
        related_name="strategy_citations",
        verbose_name=_("recommendation"),
    )
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("cited at"), auto_now_add=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("citation of a recommendation")
        verbose_name_plural = _("citations of recommendations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=False, direction__isnull=True, block__isnull=True)
                    | Q(goal__isnull=True, direction__isnull=False, block__isnull=True)
                    | Q(goal__isnull=True, direction__isnull=True, block__isnull=False)
                ),
                name="citation_one_target",
            ),
            models.UniqueConstraint(
                fields=["goal", "recommendation"], condition=Q(goal__isnull=False), name="citation_goal_once"
            ),
            models.UniqueConstraint(
                fields=["direction", "recommendation"],
                condition=Q(direction__isnull=False),
                name="citation_direction_once",
            ),
            models.UniqueConstraint(
                fields=["block", "recommendation"], condition=Q(block__isnull=False), name="citation_block_once"
            ),
        ]
        indexes = [models.Index(fields=["recommendation", "version"], name="citation_recommendation")]

    def __str__(self):
        return f"v{self.version_id}: recommendation {self.recommendation_id}"


class RecommendationExplanation(models.Model):
    """The editorial team's written reason for not taking up an included recommendation in a version."""

    REASON_MIN_LENGTH = 20
    REASON_MAX_LENGTH = 3000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="explanations")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.PROTECT,
        related_name="strategy_explanations",
        verbose_name=_("recommendation"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("written at"), auto_now=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "recommendation_id"]
        verbose_name = _("reason a recommendation was not taken up")
        verbose_name_plural = _("reasons recommendations were not taken up")
        constraints = [
            models.UniqueConstraint(fields=["version", "recommendation"], name="explanation_once_per_version")
        ]

    def __str__(self):
        return f"v{self.version_id}: recommendation {self.recommendation_id}"
