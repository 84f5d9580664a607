from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


def pick_language(polish: str, english: str) -> str:
    """The English text when English is active and there is one; Polish otherwise."""
    if (get_language() or "pl").startswith("en") and english:
        return english
    return polish


class Stage(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_pl = models.TextField(_("description (Polish)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    expected_result_pl = models.TextField(_("expected result (Polish)"), blank=True)
    expected_result_en = models.TextField(_("expected result (English)"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.roman}. {self.title}"

    def get_absolute_url(self):
        return reverse("stages:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A stage cannot end before it starts.")})

    @property
    def roman(self) -> str:
        return ROMAN.get(self.number, str(self.number))

    @property
    def title(self) -> str:
        return pick_language(self.title_pl, self.title_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_pl, self.description_en)

    @property
    def expected_result(self) -> str:
        return pick_language(self.expected_result_pl, self.expected_result_en)


class WindowKind(models.TextChoices):
    """What residents (or groups) may do while a window is open. Later issues add more."""

    OPINIONS = "opinions", _("Collecting opinions")
    RECRUITMENT = "recruitment", _("Recruitment to working groups")
    DRAFTING = "drafting", _("Drafting and submitting recommendations")
    RECOMMENDATION_COMMENTS = "recommendation_comments", _("Public comments on recommendations")
    VERIFICATION = "verification", _("Verification of recommendations")
    CONSULTATION = "consultation", _("Formal consultation of the draft strategy")


class ParticipationWindow(models.Model):
    """A kind of participation a stage opens. Dates narrow it inside the stage; empty means the whole stage."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="windows", verbose_name=_("stage"))
    kind = models.CharField(_("kind"), max_length=40, choices=WindowKind.choices)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)

    class Meta:
        ordering = ["stage__number", "kind"]
        verbose_name = _("participation window")
        verbose_name_plural = _("participation windows")
        constraints = [models.UniqueConstraint(fields=["stage", "kind"], name="one_window_kind_per_stage")]

    def __str__(self):
        return f"{self.stage.roman}: {self.get_kind_display()}"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A window cannot close before it opens.")})

    @property
    def first_day(self):
        return self.opens_on or self.stage.starts_on

    @property
    def last_day(self):
        return self.closes_on or self.stage.ends_on


class ProcessState(models.Model):
    """One row: the coordinator's override of the current stage, when the calendar is not enough."""

    current_stage_override = models.ForeignKey(
        Stage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current stage (override)"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("process state")
        verbose_name_plural = _("process state")

    def __str__(self):
        return str(self.current_stage_override or _("following the calendar"))
