"""The text of a version: chapters (each holding an element of art. 10e), sections, blocks and the
history of every block."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .versions import StrategyVersion, VersionedElement


class ChapterElement(models.TextChoices):
    """What art. 10e ust. 1–3 u.s.g. requires a municipal development strategy to contain."""

    DIAGNOSIS = "diagnosis", _("Conclusions of the diagnosis")
    GOALS = "goals", _("Strategic goals")
    DIRECTIONS = "directions", _("Directions of action")
    RESULTS = "results", _("Expected results and indicators")
    SPATIAL_MODEL = "spatial_model", _("Model of the functional-spatial structure")
    SPATIAL_POLICY = "spatial_policy", _("Settings and recommendations for spatial policy")
    INTERVENTION_AREAS = "intervention_areas", _("Areas of strategic intervention")
    IMPLEMENTATION = "implementation", _("Implementation system")
    FINANCING = "financing", _("Financial framework and sources of financing")
    OTHER = "other", _("Other content")


# Art. 10e ust. 3: areas of strategic intervention only "if defined"; "other" is never required.
REQUIRED_ELEMENTS = tuple(
    element for element in ChapterElement if element not in (ChapterElement.INTERVENTION_AREAS, ChapterElement.OTHER)
)


class Chapter(VersionedElement):
    TITLE_MAX_LENGTH = 300

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    element = models.CharField(
        _("element of the strategy (art. 10e)"), max_length=24, choices=ChapterElement.choices, default="other"
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="chapter_key_unique")]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Section(VersionedElement):
    TITLE_MAX_LENGTH = 300

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="sections")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)

    class Meta:
        ordering = ["version", "chapter__position", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="section_key_unique")]

    def __str__(self):
        return self.title


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("Paragraph")
    LIST = "list", _("List")
    TABLE = "table", _("Table")
    MIXED = "mixed", _("Text")


class Block(VersionedElement):
    """An ordered text block of a chapter (its introduction) or of a section, in a small Markdown subset.

    `text` is what the editor wrote; `html` is its rendering through strategy.markup (parsed, then
    sanitised with an allow-list) stored at save, so a page of 400 blocks renders no Markdown;
    `plain` is the text without markup, for searching.
    """

    TEXT_MAX_LENGTH = 20000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="blocks")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="blocks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True, related_name="blocks")
    kind = models.CharField(_("kind"), max_length=12, choices=BlockKind.choices, default=BlockKind.PARAGRAPH)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    html = models.TextField(_("rendered text"), blank=True, editable=False)
    plain = models.TextField(_("plain text"), blank=True, editable=False)

    class Meta:
        ordering = ["version", "chapter__position", "section__position", "position", "id"]
        verbose_name = _("text block")
        verbose_name_plural = _("text blocks")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="block_key_unique")]
        indexes = [models.Index(fields=["version", "chapter", "section", "position"], name="block_order")]

    def __str__(self):
        return f"{self.key}: {self.plain[:60]}"

    @property
    def anchor(self) -> str:
        return f"b-{self.key}"


class BlockRevision(models.Model):
    """Every saved text of a block: its history. Follow a key across versions with `block__key`."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    text = models.TextField(_("text"), max_length=Block.TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["block", "-number"]
        verbose_name = _("block revision")
        verbose_name_plural = _("block revisions")
        constraints = [models.UniqueConstraint(fields=["block", "number"], name="block_revision_unique")]

    def __str__(self):
        return f"{self.block_id} r{self.number}"
