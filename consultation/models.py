"""The formal consultation of the draft strategy (stage VII; art. 6 ust. 3–6 u.z.p.p.r.).

A `Consultation` belongs to one consultation-draft version of the strategy. Its comments attach to that
version and to the stable keys of its blocks, sections and chapters (never to row ids alone): a comment
on a block that a later version removed stays attached to the version it was written on. The rows of a
consultation draft never change (strategy services refuse edits of a public version), so the foreign
keys to them beside the keys are only there for joins.

The life of a consultation: prepared by coordinators (not public) → announced (public; comments are
accepted from `starts_on` to `ends_on`, at least 35 days) → closed (answering; the report is due 30 days
after `ends_on`) → report generated (every comment answered) → report published (answers public, the
online commenters e-mailed).

`ChangeCitation` is "from comments to changes": a block of a later version (the post-consultation draft)
cites the comments that caused its change; adoption (stage VIII) shows them beside the diff.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participation.models import ModerationStatus
from strategy.models import KEY_LENGTH, PUBLIC_STATES


class Visibility(models.TextChoices):
    AFTER_MODERATION = "after_moderation", _("Public after moderation for abuse")
    IN_REPORT = "in_report", _("Public only in the report")


class Phase(models.TextChoices):
    """Derived from the dates and the steps taken, never stored."""

    PREPARED = "prepared", _("Being prepared")
    ANNOUNCED = "announced", _("Announced, not started yet")
    OPEN = "open", pgettext_lazy("consultation", "Open")
    CLOSED = "closed", _("Closed: the comments are being answered")
    REPORT_READY = "report_ready", _("Report generated, not published yet")
    FINISHED = "finished", _("Report published")


class Consultation(models.Model):
    """The consultation of one consultation-draft version, with its announcement (art. 6 ust. 4)."""

    PERIOD_MIN_DAYS = 35  # art. 6 ust. 5: at least 35 days from the announcement
    REPORT_DAYS = 30  # art. 6 ust. 6: the report within 30 days after the deadline
    TEXT_MAX_LENGTH = 5000

    version = models.OneToOneField(
        "strategy.StrategyVersion",
        on_delete=models.PROTECT,
        related_name="consultation",
        verbose_name=_("consulted version"),
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("first day of the consultation"))
    ends_on = models.DateField(_("last day for comments"))
    # The announcement (art. 6 ust. 4): the forms, the deadline and how comments are submitted.
    announcement = models.TextField(_("announcement"), max_length=TEXT_MAX_LENGTH)
    who_may_comment = models.TextField(_("who may comment"), max_length=TEXT_MAX_LENGTH)
    online_form = models.BooleanField(_("online form on the portal"), default=True)
    paper_forms = models.TextField(
        _("paper forms: where to get and leave them"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    email_address = models.EmailField(_("e-mail address for comments"), blank=True)
    postal_address = models.TextField(_("postal address for letters"), max_length=1000, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    published_where = models.TextField(
        _("where else the announcement is published"),
        max_length=2000,
        blank=True,
        help_text=_("For example the public information bulletin (BIP) with its address, notice boards."),
    )
    visibility = models.CharField(
        _("comments are"), max_length=20, choices=Visibility.choices, default=Visibility.AFTER_MODERATION
    )
    # The steps taken, each once.
    announced_at = models.DateTimeField(_("announced on the portal at"), null=True, blank=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_generated_at = models.DateTimeField(_("report generated at"), null=True, blank=True)
    report_generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)
    report_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Days before the report deadline for which the coordinators' reminder has been sent, e.g. [7, 2].
    reminders_sent = models.JSONField(_("reminders sent"), default=list, blank=True)
    # The last number given to a comment: comments are numbered 1, 2, 3… in the order they arrive.
    last_number = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="consultation_period_order")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:detail", kwargs={"pk": self.pk})

    @property
    def report_due_on(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=self.REPORT_DAYS)

    @property
    def is_announced(self) -> bool:
        return self.announced_at is not None

    def phase(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.report_published_at:
            return Phase.FINISHED
        if self.report_generated_at:
            return Phase.REPORT_READY
        if not self.announced_at:
            return Phase.PREPARED
        if today < self.starts_on:
            return Phase.ANNOUNCED
        if today <= self.ends_on:
            return Phase.OPEN
        return Phase.CLOSED

    def is_open(self, today: datetime.date | None = None) -> bool:
        return self.phase(today) == Phase.OPEN

    @property
    def phase_label(self) -> str:
        return Phase(self.phase()).label


class Meeting(models.Model):
    """A consultation meeting or debate: an event of the portal, with how many came."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="meetings")
    event = models.OneToOneField(
        "participation.Event", on_delete=models.PROTECT, related_name="consultation_meeting", verbose_name=_("event")
    )
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)

    class Meta:
        ordering = ["consultation", "event__starts_at", "id"]
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")

    def __str__(self):
        return str(self.event)


class CommentGroup(models.Model):
    """Similar comments the team answers together; each still appears on its own in the report."""

    TITLE_MAX_LENGTH = 200

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["consultation", "title", "id"]
        verbose_name = _("group of comments")
        verbose_name_plural = _("groups of comments")

    def __str__(self):
        return self.title


class Target(models.TextChoices):
    BLOCK = "block", _("A fragment of the text")
    SECTION = "section", _("A section")
    CHAPTER = "chapter", _("A chapter")
    DOCUMENT = "document", _("The whole document")
    NEW_PROVISION = "new_provision", _("A proposal of a new provision")


class SpeaksAs(models.TextChoices):
    PERSON = "person", _("In my own name")
    ORGANISATION = "organisation", _("On behalf of an organisation or institution")


class CommentChannel(models.TextChoices):
    """The forms of consultation a comment came through (art. 6 ust. 4: the ways of submitting)."""

    ONLINE = "online", _("Online form")
    MEETING = "meeting", _("Meeting or debate")
    PAPER = "paper", _("Paper form")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


OFFLINE_CHANNELS = (CommentChannel.MEETING, CommentChannel.PAPER, CommentChannel.EMAIL, CommentChannel.LETTER)


class Answer(models.TextChoices):
    """The city's position on a comment (art. 6 ust. 6), always with a justification."""

    TAKEN = "taken", _("Taken into account")
    PARTLY = "partly", _("Partly taken into account")
    NOT_TAKEN = "not_taken", _("Not taken into account")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the subject of the consultation")
    WITHDRAWN = "withdrawn", pgettext_lazy("consultation comment", "Withdrawn")


class CommentQuerySet(models.QuerySet):
    def public(self):
        """What anyone may read: published after moderation, and either the consultation publishes
        comments at once or its report is out."""
        return self.filter(
            Q(status=ModerationStatus.PUBLISHED)
            & (
                Q(consultation__visibility=Visibility.AFTER_MODERATION)
                | Q(consultation__report_published_at__isnull=False)
            )
        )

    def in_report(self):
        """Every comment the report lists and the city answers: all but those rejected as abuse."""
        return self.exclude(status=ModerationStatus.REJECTED)

    def unanswered(self):
        return self.in_report().filter(answer="")


class Comment(models.Model):
    """One comment on the consultation draft, given online or entered by staff from a meeting, a paper form,
    an e-mail or a letter. `number` is its place in the report (1, 2, 3… per consultation)."""

    TEXT_MAX_LENGTH = 10000
    TEXT_MIN_LENGTH = 10
    NAME_MAX_LENGTH = 300
    JUSTIFICATION_MIN_LENGTH = 20  # the city's answer: at least a sentence

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments", verbose_name=_("consultation")
    )
    version = models.ForeignKey(
        "strategy.StrategyVersion",
        on_delete=models.PROTECT,
        related_name="consultation_comments",
        verbose_name=_("version commented on"),
    )
    number = models.PositiveIntegerField(_("number"))
    # What it is about: the stable keys of the version's elements (the contract), the rows for joins.
    target = models.CharField(_("about"), max_length=16, choices=Target.choices)
    chapter_key = models.CharField(_("chapter key"), max_length=KEY_LENGTH, blank=True)
    section_key = models.CharField(_("section key"), max_length=KEY_LENGTH, blank=True)
    block_key = models.CharField(_("block key"), max_length=KEY_LENGTH, blank=True)
    chapter = models.ForeignKey(
        "strategy.Chapter", on_delete=models.SET_NULL, null=True, blank=True, related_name="consultation_comments"
    )
    section = models.ForeignKey(
        "strategy.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="consultation_comments"
    )
    block = models.ForeignKey(
        "strategy.Block", on_delete=models.SET_NULL, null=True, blank=True, related_name="consultation_comments"
    )
    # The comment itself.
    text = models.TextField(pgettext_lazy("consultation", "comment"), max_length=TEXT_MAX_LENGTH)
    proposed_wording = models.TextField(_("proposed wording"), max_length=TEXT_MAX_LENGTH, blank=True)
    justification = models.TextField(_("justification"), max_length=TEXT_MAX_LENGTH, blank=True)
    # Who: a verified account online (or nobody, offline) speaking as a person or for an organisation.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_comments",
        verbose_name=_("author's account"),
    )
    speaks_as = models.CharField(_("speaks"), max_length=16, choices=SpeaksAs.choices, default=SpeaksAs.PERSON)
    commenter_name = models.CharField(
        _("name shown"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("An organisation's or institution's name, or the name a person chose; empty: a private person."),
    )
    # How and when it came in.
    channel = models.CharField(_("channel"), max_length=10, choices=CommentChannel.choices)
    received_on = models.DateField(_("received on"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments", verbose_name=_("meeting")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    import_fingerprint = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # The token of the form that sent it: a double click sends the same token and creates nothing new.
    submission_token = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # Moderation for abuse (the same as opinions': reasons, the moderation log).
    status = models.CharField(
        _("moderation"), max_length=12, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Triage and the answer.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_consultation_comments",
        verbose_name=_("assigned to"),
    )
    group = models.ForeignKey(
        CommentGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("group"),
    )
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    answer_justification = models.TextField(_("justification of the answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the author was e-mailed the link to the answer (once, when the report is published).
    notified_at = models.DateTimeField(_("author told at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="consultation_comment_number"),
            models.UniqueConstraint(
                fields=["consultation", "external_id"],
                condition=Q(external_id__isnull=False),
                name="consultation_comment_external_id",
            ),
            models.UniqueConstraint(
                fields=["consultation", "import_fingerprint"],
                condition=Q(import_fingerprint__isnull=False),
                name="consultation_comment_fingerprint",
            ),
            models.UniqueConstraint(
                fields=["consultation", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="consultation_comment_submission",
            ),
            models.CheckConstraint(
                condition=Q(target="block", block_key__gt="") | ~Q(target="block"),
                name="consultation_comment_block_key",
            ),
            models.CheckConstraint(
                condition=Q(target="section", section_key__gt="") | ~Q(target="section"),
                name="consultation_comment_section_key",
            ),
            models.CheckConstraint(
                condition=Q(target="chapter", chapter_key__gt="") | ~Q(target="chapter"),
                name="consultation_comment_chapter_key",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "status", "block_key"], name="consultation_comment_block"),
            models.Index(fields=["consultation", "section_key", "number"], name="consultation_comment_section"),
            models.Index(fields=["consultation", "channel", "number"], name="consultation_comment_channel"),
            models.Index(fields=["consultation", "answer", "number"], name="consultation_comment_answer"),
            models.Index(fields=["consultation", "assignee", "number"], name="consultation_comment_assignee"),
            models.Index(fields=["version", "block_key"], name="consultation_comment_version"),
        ]

    def __str__(self):
        return f"{self.consultation_id}/{self.number}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("consultation:comment", kwargs={"pk": self.consultation_id, "number": self.number})

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)

    # What participation's moderation log shows of an entry about a consultation comment (one query a page).
    @property
    def moderation_log_label(self) -> str:
        return _("consultation comment no. %(number)s") % {"number": self.number}

    @property
    def moderation_log_url(self) -> str:
        return reverse("consultation:staff_comment", kwargs={"pk": self.consultation_id, "number": self.number})

    @property
    def is_offline(self) -> bool:
        return self.channel != CommentChannel.ONLINE


class ChangeCitationQuerySet(models.QuerySet):
    def public(self):
        """Citations anyone may read: the changed version is public and the comment is."""
        return self.filter(version__state__in=PUBLIC_STATES, comment__in=Comment.objects.public())


class ChangeCitation(models.Model):
    """A block of a later version (the post-consultation draft) changed because of a comment.

    Points at the block by version and stable key (the row may be deleted later in the working draft:
    then the key stays and the diff shows the block removed). The comment then shows "change in version N"
    with the diff of that block between the consulted version and version N.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="change_citations")
    version = models.ForeignKey(
        "strategy.StrategyVersion",
        on_delete=models.CASCADE,
        related_name="comment_citations",
        verbose_name=_("changed version"),
    )
    block_key = models.CharField(_("block key"), max_length=KEY_LENGTH)
    block = models.ForeignKey(
        "strategy.Block", on_delete=models.SET_NULL, null=True, blank=True, related_name="comment_citations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("cited at"), auto_now_add=True)

    objects = ChangeCitationQuerySet.as_manager()

    class Meta:
        ordering = ["version", "block_key", "comment"]
        verbose_name = _("change citing a comment")
        verbose_name_plural = _("changes citing comments")
        constraints = [models.UniqueConstraint(fields=["comment", "version", "block_key"], name="change_citation_once")]
        indexes = [models.Index(fields=["version", "block_key"], name="change_citation_block")]

    def __str__(self):
        return f"v{self.version_id}/{self.block_key} ← {self.comment_id}"
