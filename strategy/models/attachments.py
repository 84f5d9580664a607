"""Attachments of a version (forecasts, opinions, maps), private until the version is public."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .evaluation import ChecklistItem
from .versions import KEY_LENGTH, PUBLIC_STATES, StrategyVersion, new_key


class AttachmentKind(models.TextChoices):
    FORECAST = "forecast", _("Environmental forecast")
    OPINION = "opinion", _("Opinion or decision")
    MAP = "map", _("Map")
    SPATIAL_MODEL = "spatial_model", _("Model of the functional-spatial structure")
    ANNEX = "annex", _("Annex")
    OTHER = "other", _("Other document")


class AttachmentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(version__state__in=PUBLIC_STATES, listed_publicly=True)


class Attachment(models.Model):
    """A file of a version (or of one of its checklist items), private until the version is public.

    The bytes live under PRIVATE_STORAGE_ROOT, named by their SHA-256, and are never served by URL:
    a view checks the version first. Copies of the row in later versions share the file.
    """

    MAX_BYTES = 25 * 1024 * 1024
    TITLE_MAX_LENGTH = 300

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="attachments")
    key = models.CharField(_("stable key"), max_length=KEY_LENGTH, default=new_key, editable=False)
    checklist_item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.CharField(_("file"), max_length=300, help_text=_("Relative to PRIVATE_STORAGE_ROOT."))
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    listed_publicly = models.BooleanField(
        _("published with the version"),
        default=True,
        help_text=_("Shown on the public page once the version is public."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "kind", "title", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="attachment_key_unique")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy:attachment", kwargs={"pk": self.pk, "name": self.download_name})

    @property
    def path(self) -> Path:
        return Path(settings.PRIVATE_STORAGE_ROOT) / self.file

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        stem = slugify(self.title.replace("ł", "l").replace("Ł", "L"))[:80] or "zalacznik"
        return f"{stem}.{self.extension}"
