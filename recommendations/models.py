"""Recommendations of the working groups: a fixed structure, versions, evidence, verification, comments."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from participation.models import ModerationStatus


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("recommendation status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("recommendation status", "Submitted")
    IN_VERIFICATION = "in_verification", pgettext_lazy("recommendation status", "In verification")
    RETURNED = "returned", pgettext_lazy("recommendation status", "Returned for changes")
    VERIFIED = "verified", pgettext_lazy("recommendation status", "Verified")
    INCLUDED = "included", pgettext_lazy("recommendation status", "Included in the strategy")


# The group works on these; nobody outside it sees them.
EDITABLE_STATUSES = (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED)
# Everyone sees these, with their structure, evidence and (once verified) the verdicts.
PUBLIC_STATUSES = (
    RecommendationStatus.SUBMITTED,
    RecommendationStatus.IN_VERIFICATION,
    RecommendationStatus.VERIFIED,
    RecommendationStatus.INCLUDED,
)
# The city's verdicts become public with these; before, only the city sees them.
VERDICTS_PUBLIC_STATUSES = (RecommendationStatus.VERIFIED, RecommendationStatus.INCLUDED)
# The coordinators' queue.
VERIFIABLE_STATUSES = (RecommendationStatus.SUBMITTED, RecommendationStatus.IN_VERIFICATION)


def public_recommendation_q(prefix: str = "") -> models.Q:
    """The one definition of "anyone may read this recommendation"; `prefix` reaches it through a relation."""
    path = f"{prefix}__" if prefix else ""
    return models.Q(**{f"{path}status__in": PUBLIC_STATUSES})


class RecommendationQuerySet(models.QuerySet):
    def public(self):
        """Submitted and later: what everyone may read, with the structure and the evidence."""
        return self.filter(public_recommendation_q())


class Recommendation(models.Model):
    """One strategic recommendation of a working group: vision, diagnosis, goals, directions."""

    TITLE_MAX_LENGTH = 200
    TEXT_MAX_LENGTH = 20000

    group = models.ForeignKey(
        "workgroups.WorkingGroup",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("working group"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    vision = models.TextField(_("vision"), max_length=TEXT_MAX_LENGTH, blank=True)
    diagnosis = models.TextField(_("diagnosis"), max_length=TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT
    )
    # Optimistic locking: the number of the latest version; a save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=0)
    # Each submission starts a new round of verification; assessments of older rounds stay as history.
    verification_round = models.PositiveSmallIntegerField(_("verification round"), default=0)
    stage = models.ForeignKey(
        "stages.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stage")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["group__area__position", "title", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["status", "group"], name="recommendation_status_group")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recommendations:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def verdicts_are_public(self) -> bool:
        return self.status in VERDICTS_PUBLIC_STATUSES


class Goal(models.Model):
    """A goal of a recommendation; the order is the recommendation's."""

    TEXT_MAX_LENGTH = 1000

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="goals", verbose_name=_("recommendation")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("goal"), max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["recommendation", "position"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["recommendation", "position"], name="goal_position_unique")]

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


class Direction(models.Model):
    """A recommended direction of action, serving some of the recommendation's goals."""

    TITLE_MAX_LENGTH = 200
    TEXT_MAX_LENGTH = 5000

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="directions", verbose_name=_("recommendation")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="directions", verbose_name=_("goals it serves"))

    class Meta:
        ordering = ["recommendation", "position"]
        verbose_name = _("direction of action")
        verbose_name_plural = _("directions of action")
        constraints = [models.UniqueConstraint(fields=["recommendation", "position"], name="direction_position_unique")]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Evidence(models.Model):
    """A published opinion the recommendation is based on: the first link of the traceability chain."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("recommendation")
    )
    opinion = models.ForeignKey(
        "participation.Opinion", on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("opinion")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "added_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["recommendation", "opinion"], name="evidence_opinion_once")]

    def __str__(self):
        return f"{self.recommendation_id} ← opinion {self.opinion_id}"


class RecommendationVersion(models.Model):
    """Every save: who, when, and a full snapshot of the structure as JSON."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="versions", verbose_name=_("recommendation")
    )
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    # A code ("created", "edited", "attached:65", "removed:65"), put into words in the reader's
    # language by `summary_text`; anything else is shown as written.
    summary = models.CharField(_("what changed"), max_length=200, blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["recommendation", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="recommendation_version_unique")
        ]

    def __str__(self):
        return f"{self.recommendation_id} v{self.number}"

    @property
    def summary_text(self) -> str:
        """What changed, in the active language."""
        code, _sep, number = self.summary.partition(":")
        if code == "created":
            return gettext("Created")
        if code == "edited":
            return gettext("Edited")
        if code == "attached" and number.isdigit():
            return gettext("Attached opinion #%(id)d") % {"id": int(number)}
        if code == "removed" and number.isdigit():
            return gettext("Removed opinion #%(id)d") % {"id": int(number)}
        return self.summary


class StatusChange(models.Model):
    """A step of the workflow: who moved the recommendation from where to where, and why."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("recommendation")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=RecommendationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=RecommendationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.recommendation_id}: {self.from_status} → {self.to_status}"


class AssessmentKind(models.TextChoices):
    LEGALITY = "legality", _("Legality")
    FEASIBILITY = "feasibility", _("Feasibility")
    FINANCING = "financing", _("Financing")


class Verdict(models.TextChoices):
    POSITIVE = "positive", pgettext_lazy("verdict", "Positive")
    CONDITIONAL = "conditional", pgettext_lazy("verdict", "Conditional")
    NEGATIVE = "negative", pgettext_lazy("verdict", "Negative")


class Assessment(models.Model):
    """One of the three verification assessments, in one round of verification."""

    JUSTIFICATION_MAX_LENGTH = 5000

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("recommendation")
    )
    round = models.PositiveSmallIntegerField(_("verification round"))
    kind = models.CharField(_("assessment"), max_length=20, choices=AssessmentKind.choices)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    justification = models.TextField(_("justification"), max_length=JUSTIFICATION_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "round", "kind"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "round", "kind"], name="one_assessment_per_kind_round")
        ]

    def __str__(self):
        return f"{self.recommendation_id} r{self.round} {self.kind}: {self.verdict}"


class InternalComment(models.Model):
    """A remark inside the group's workspace; never public."""

    TEXT_MAX_LENGTH = 3000

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="internal_comments", verbose_name=_("recommendation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "created_at", "id"]
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")

    def __str__(self):
        return f"{self.recommendation_id}: {self.text[:60]}"


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Published by a moderator: what everyone may read."""
        return self.filter(status=ModerationStatus.PUBLISHED)


class Comment(models.Model):
    """A resident's public comment on a recommendation, moderated before it is shown."""

    TEXT_MIN_LENGTH = 10
    TEXT_MAX_LENGTH = 2000

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="comments", verbose_name=_("recommendation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendation_comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    stage = models.ForeignKey(
        "stages.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stage")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment on a recommendation")
        verbose_name_plural = _("comments on recommendations")
        indexes = [models.Index(fields=["status", "created_at"], name="rec_comment_status_created")]

    def __str__(self):
        return f"{self.recommendation_id}: {self.text[:60]}"

    @property
    def is_public(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED

    # The moderation log names the recommendation a comment belongs to and links to it.
    MODERATION_LOG_RELATED = ("recommendation",)

    @property
    def moderation_log_label(self) -> str:
        return _("comment on the recommendation “%(title)s”") % {"title": self.recommendation.title}

    @property
    def moderation_log_url(self) -> str:
        return self.recommendation.get_absolute_url()
