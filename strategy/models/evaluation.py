"""The formal evaluation (stage VI): the checklist of each version, and the internal consultation
(departments' comments on blocks)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stages.models import pick_language

from .text import Block
from .versions import KEY_LENGTH, StrategyVersion


class ChecklistPhase(models.TextChoices):
    FORMAL = "formal", _("Formal evaluation (stage VI)")
    ADOPTION = "adoption", _("Adoption (stage VIII)")


class ChecklistTemplateItem(models.Model):
    """The items every new version's checklist starts with; coordinators edit them in the admin."""

    phase = models.CharField(_("phase"), max_length=12, choices=ChecklistPhase.choices, default=ChecklistPhase.FORMAL)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title (Polish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        ordering = ["phase", "position", "id"]
        verbose_name = _("checklist item template")
        verbose_name_plural = _("checklist item templates")

    def __str__(self):
        return self.title


class ItemStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("checklist item", "Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# A mandatory item in one of these no longer holds a version back; "not applicable" needs a note saying why.
SETTLED_STATUSES = (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)


class ChecklistItem(models.Model):
    TITLE_MAX_LENGTH = 300
    NOTES_MAX_LENGTH = 5000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="checklist_items")
    phase = models.CharField(_("phase"), max_length=12, choices=ChecklistPhase.choices, default=ChecklistPhase.FORMAL)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title (Polish)"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX_LENGTH, blank=True)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.TODO)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["version", "phase", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        return pick_language(self.title, self.title_en)

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


# Internal consultation -------------------------------------------------------------------------


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", pgettext_lazy("internal comment", "Rejected")


class InternalComment(models.Model):
    """A city department's remark on a block, in a staff-only thread; the team resolves or rejects it.

    It stays when the block is removed (`block` becomes empty, `block_key` remains).
    """

    TEXT_MAX_LENGTH = 5000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="internal_comments")
    block = models.ForeignKey(Block, on_delete=models.SET_NULL, null=True, blank=True, related_name="internal_comments")
    block_key = models.CharField(_("block key"), max_length=KEY_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN)
    resolution = models.TextField(_("answer of the editorial team"), max_length=TEXT_MAX_LENGTH, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["version", "created_at", "id"]
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        indexes = [models.Index(fields=["version", "block_key"], name="internal_comment_block")]

    def __str__(self):
        return f"{self.block_key}: {self.text[:60]}"
