"""Stage VIII: the adoption steps of a version (the voivodeship board's opinion, the mayor's submission,
the council session) and the council resolution that adopts or amends the strategy.

Both keep a document (the opinion, the signed resolution) checked and stored like the strategy's
attachments (`strategy.files`: the type read from the content, at most 25 MB, private storage by hash).
Adoption documents are public as soon as their version is public: they are what the city publishes in its
public information bulletin anyway.
"""

import re
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..models import Strategy, StrategyVersion, VersionState

# The versions in force: the newest of them is the strategy the city implements.
IN_FORCE_STATES = (VersionState.ADOPTED, VersionState.AMENDED)
# Art. 10f ust. 2 u.s.g.: the board gives its opinion within 30 days of receiving the draft.
BOARD_OPINION_DAYS = 30
# "Nr XXX/123/2021": the session (in Roman numerals), the resolution's number, the year.
RESOLUTION_NUMBER = re.compile(r"^(?:nr\.?\s*)?([IVXLCDM]+)\s*/\s*(\d{1,5})\s*/\s*(\d{4})$", re.IGNORECASE)


class StoredDocument(models.Model):
    """A document's bytes under PRIVATE_STORAGE_ROOT (`strategy.files.store`), served only by a view."""

    file = models.CharField(_("file"), max_length=300, blank=True, help_text=_("Relative to PRIVATE_STORAGE_ROOT."))
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    extension = models.CharField(_("extension"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def has_document(self) -> bool:
        return bool(self.file)

    @property
    def path(self) -> Path:
        return Path(settings.PRIVATE_STORAGE_ROOT) / self.file

    def document_stem(self) -> str:
        raise NotImplementedError

    @property
    def download_name(self) -> str:
        stem = slugify(self.document_stem().replace("ł", "l").replace("Ł", "L"))[:80] or "dokument"
        return f"{stem}.{self.extension}"


class AdoptionStepKind(models.TextChoices):
    BOARD_OPINION = "board_opinion", _("Opinion of the voivodeship board (art. 10f u.s.g.)")
    MAYOR_SUBMISSION = "mayor_submission", _("The mayor's submission of the draft to the city council")
    COUNCIL_SESSION = "council_session", _("Session of the city council")


class AdoptionStep(StoredDocument):
    """One step of the adoption checklist of a version, recorded once (and corrected until the adoption)."""

    REFERENCE_MAX_LENGTH = 300
    NOTES_MAX_LENGTH = 3000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="adoption_steps")
    kind = models.CharField(_("step"), max_length=20, choices=AdoptionStepKind.choices)
    happened_on = models.DateField(_("date"))
    requested_on = models.DateField(
        _("draft sent on"), null=True, blank=True, help_text=_("For the board's opinion: when the draft was sent.")
    )
    reference = models.CharField(_("reference"), max_length=REFERENCE_MAX_LENGTH, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["version", "happened_on", "id"]
        verbose_name = _("adoption step")
        verbose_name_plural = _("adoption steps")
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="adoption_step_once")]

    def __str__(self):
        return f"v{self.version_id}: {self.get_kind_display()} ({self.happened_on})"

    def document_stem(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%Y-%m-%d}"

    def get_document_url(self):
        return reverse("adoption:step_document", kwargs={"pk": self.pk, "name": self.download_name})


class ResolutionKind(models.TextChoices):
    ADOPTION = "adoption", _("Adoption of the strategy")
    AMENDMENT = "amendment", _("Amendment of the strategy")


class Resolution(StoredDocument):
    """The council resolution that adopted (or amended) the strategy: the version it names is in force."""

    TITLE_MAX_LENGTH = 300

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="resolutions")
    version = models.OneToOneField(StrategyVersion, on_delete=models.PROTECT, related_name="resolution")
    kind = models.CharField(_("kind"), max_length=12, choices=ResolutionKind.choices)
    number = models.CharField(_("number"), max_length=40, help_text=_("As in “Nr XXX/123/2021”."))
    adopted_on = models.DateField(_("adopted on"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    bip_url = models.URLField(_("address in the public information bulletin (BIP)"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The last correction of this record (its history is in ResolutionCorrection): the public page says so.
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        ordering = ["strategy", "adopted_on", "id"]
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="resolution_number_unique")]

    def __str__(self):
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"Nr {self.number}"

    def document_stem(self) -> str:
        return f"uchwala {self.number.replace('/', '-')}"

    def get_document_url(self):
        return reverse("adoption:resolution_document", kwargs={"pk": self.pk, "name": self.download_name})


class ResolutionCorrection(models.Model):
    """A mistake in the record of a resolution put right (a mistyped number, a wrong BIP address, the wrong file):
    the record as it was, who corrected it, when and why. The resolution itself never changes: the council's
    text is in the BIP; only our record of it is corrected."""

    REASON_MIN_LENGTH = 10

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(_("reason for the correction"), max_length=2000)
    before = models.JSONField(_("the record before the correction"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        ordering = ["resolution", "-corrected_at", "-id"]
        verbose_name = _("correction of a resolution's record")
        verbose_name_plural = _("corrections of resolutions' records")

    def __str__(self):
        return f"{self.resolution} ({self.corrected_at:%Y-%m-%d})"
