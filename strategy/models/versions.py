"""The strategy, its numbered versions and their states, and what every keyed element of a version
has: its version, its stable key, its place, its revision."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stages.models import pick_language

KEY_LENGTH = 10
KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: keys are read aloud and typed


def new_key() -> str:
    """A fresh stable key: starts with a letter, so it is a valid HTML id and CSS selector as it is."""
    return secrets.choice(KEY_ALPHABET[:24]) + "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH - 1))


class Strategy(models.Model):
    """The document itself: "Strategia Rozwoju Lublina na lata 2021–2030"."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title (Polish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    starts_year = models.PositiveSmallIntegerField(_("first year"))
    ends_year = models.PositiveSmallIntegerField(_("last year"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_year", "id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(condition=Q(ends_year__gte=models.F("starts_year")), name="strategy_period_order")
        ]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        return pick_language(self.title, self.title_en)


class VersionState(models.TextChoices):
    WORKING = "working", pgettext_lazy("strategy version", "Working draft")
    INTERNAL_REVIEW = "internal_review", pgettext_lazy("strategy version", "Internal review")
    CONSULTATION_DRAFT = "consultation_draft", pgettext_lazy("strategy version", "Consultation draft")
    AFTER_CONSULTATION = "after_consultation", pgettext_lazy("strategy version", "Draft after consultation")
    ADOPTED = "adopted", pgettext_lazy("strategy version", "Adopted")
    AMENDED = "amended", pgettext_lazy("strategy version", "Amended")


EDITABLE_STATES = (VersionState.WORKING,)
# Everyone may read these; their text never changes again.
PUBLIC_STATES = (
    VersionState.CONSULTATION_DRAFT,
    VersionState.AFTER_CONSULTATION,
    VersionState.ADOPTED,
    VersionState.AMENDED,
)
# The city's own staff comment on the text while it is not public yet (stage VI, internal consultation).
INTERNAL_COMMENT_STATES = (VersionState.WORKING, VersionState.INTERNAL_REVIEW)


class VersionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state__in=PUBLIC_STATES)


class StrategyVersion(models.Model):
    """One numbered version of the whole document."""

    NOTE_MAX_LENGTH = 300

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=24, choices=VersionState.choices, default=VersionState.WORKING)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("created from version"),
    )
    note = models.CharField(_("what this version is"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("made public at"), null=True, blank=True)
    # Moves on every change of the text or structure of the working version: the workspace's caches
    # and the stage pages' progress read it.
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "-number"]
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="strategy_version_number_unique"),
            models.UniqueConstraint(
                fields=["strategy"], condition=Q(state="working"), name="strategy_one_working_version"
            ),
        ]
        indexes = [models.Index(fields=["strategy", "state", "-number"], name="strategy_version_state")]

    def __str__(self):
        return f"{self.strategy_id} v{self.number} ({self.state})"

    def get_absolute_url(self):
        return reverse("strategy:version", kwargs={"number": self.number})

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES


class VersionStateChange(models.Model):
    """A step of a version's life: who moved it from where to where, and why."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(_("from"), max_length=24, choices=VersionState.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=VersionState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at", "id"]
        verbose_name = _("version state change")
        verbose_name_plural = _("version state changes")

    def __str__(self):
        return f"v{self.version_id}: {self.from_state} → {self.to_state}"


class VersionedQuerySet(models.QuerySet):
    """Rows of one version: what the public may read is what belongs to a public version."""

    def public(self):
        return self.filter(version__state__in=PUBLIC_STATES)


class VersionedElement(models.Model):
    """What every keyed element of a version has: its version, its stable key, its place, its lock."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("stable key"), max_length=KEY_LENGTH, default=new_key, editable=False)
    position = models.PositiveIntegerField(_("position"), default=1)
    # Optimistic locking: an edit names the revision it started from; a newer one is a conflict.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True
