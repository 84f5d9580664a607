from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lublin2030 import search
from stages.models import pick_language


class Area(models.Model):
    """A strategic (thematic) area; one working group per area."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["position", "name_pl"]
        verbose_name = _("strategic area")
        verbose_name_plural = _("strategic areas")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_pl, self.name_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_pl, self.description_en)


class District(models.Model):
    """One of Lublin's 27 districts, or the whole city."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    # District names are the same in both languages; only "Cały Lublin" needs an English one.
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    is_whole_city = models.BooleanField(_("whole city"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name to show in the active language."""
        return pick_language(self.name, self.name_en)


class Channel(models.Model):
    """How an opinion reached the city: the online form, a café, a mobile point, paper..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    ONLINE_FORM = "online-form"

    class Meta:
        ordering = ["position", "name_pl"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_pl, self.name_en)


class Event(models.Model):
    """A meeting where residents give opinions offline: a café, a mobile point, a workshop..."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    stage = models.ForeignKey("stages.Stage", on_delete=models.PROTECT, related_name="events", verbose_name=_("stage"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="events", verbose_name=_("channel"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="events", verbose_name=_("district"))
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})

    @property
    def is_past(self) -> bool:
        return (self.ends_at or self.starts_at) < timezone.now()


class ModerationStatus(models.TextChoices):
    # A context: Polish agrees the adjective with "opinia", other apps' "Published" may differ.
    PENDING = "pending", pgettext_lazy("opinion status", "Pending moderation")
    PUBLISHED = "published", pgettext_lazy("opinion status", "Published")
    REJECTED = "rejected", pgettext_lazy("opinion status", "Rejected")


class AgeBracket(models.TextChoices):
    UNDER_18 = "under-18", _("under 18")
    FROM_18_TO_24 = "18-24", "18–24"
    FROM_25_TO_34 = "25-34", "25–34"
    FROM_35_TO_44 = "35-44", "35–44"
    FROM_45_TO_54 = "45-54", "45–54"
    FROM_55_TO_64 = "55-64", "55–64"
    FROM_65 = "65-plus", _("65 and over")


def public_opinion_q(prefix: str = "") -> models.Q:
    """The one definition of "anyone may read this opinion": published and not hidden by flags.

    `prefix` reaches opinions through a relation, e.g. `public_opinion_q("evidence__opinion")`.
    """
    path = f"{prefix}__" if prefix else ""
    return models.Q(**{f"{path}status": ModerationStatus.PUBLISHED, f"{path}hidden_by_flags": False})


class OpinionQuerySet(models.QuerySet):
    def public(self):
        """What anyone may read (like Wagtail's `live()`): use it for every public list, count and export."""
        return self.filter(public_opinion_q())

    def search(self, q: str):
        """Opinions whose text matches `q`, ignoring Polish letters and inflection (`lublin2030.search`)."""
        return search.filter_search(self, q)

    # The search text follows the text whichever way it is written: the services and the admin
    # save(), imports and demo data bulk_create(), scripts update().
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for opinion in objs:
            opinion.search_text = search.search_text(opinion.text)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        if isinstance(kwargs.get("text"), str):
            kwargs["search_text"] = search.search_text(kwargs["text"])
        elif "text" in kwargs:
            raise ValueError("Opinion text can only be updated to a string: its search text follows it.")
        return super().update(**kwargs)


class Opinion(models.Model):
    """A resident's opinion, given online or collected offline and imported."""

    TEXT_MIN_LENGTH = 10
    TEXT_MAX_LENGTH = 2000  # the online form; imported paper forms may be longer
    IMPORTED_TEXT_MAX_LENGTH = 10000

    text = models.TextField(_("text"), max_length=IMPORTED_TEXT_MAX_LENGTH)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("area"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("district")
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("channel"))
    stage = models.ForeignKey(
        "stages.Stage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("stage"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="opinions", verbose_name=_("event")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    collected_on = models.DateField(_("collected on"), default=timezone.localdate)
    age_bracket = models.CharField(_("age bracket"), max_length=10, choices=AgeBracket.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    hidden_by_flags = models.BooleanField(_("hidden after flags"), default=False)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Imports: the id the source gave the row, or a fingerprint of its content, so that importing
    # the same file twice creates nothing new.
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True, unique=True)
    # The text's words as folded lemmas (`lublin2030.search`), kept in step with `text` by save(),
    # bulk_create() and update(); PostgreSQL indexes it (migration 0007).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    import_fingerprint = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="opinion_status_published"),
            models.Index(fields=["status", "area"], name="opinion_status_area"),
            models.Index(fields=["status", "district"], name="opinion_status_district"),
            models.Index(fields=["status", "channel"], name="opinion_status_channel"),
            models.Index(fields=["status", "stage"], name="opinion_status_stage"),
            models.Index(fields=["status", "created_at"], name="opinion_status_created"),
            # The public list: newest published first, without the hidden ones.
            models.Index(
                fields=["-published_at", "-id"],
                condition=public_opinion_q(),
                name="opinion_public_recent",
            ),
            # The list filtered by area or district (the filters with many values): a deep page reads
            # a range from its boundary (`public_list.page_boundaries`), not the other areas' rows.
            models.Index(
                fields=["area", "-published_at", "-id"],
                condition=public_opinion_q(),
                name="opinion_public_area_recent",
            ),
            models.Index(
                fields=["district", "-published_at", "-id"],
                condition=public_opinion_q(),
                name="opinion_public_district_recent",
            ),
            # Facet counts and statistics: an index-only scan instead of reading the table.
            models.Index(
                fields=["area", "district", "channel", "stage"],
                condition=public_opinion_q(),
                name="opinion_public_facets",
            ),
        ]
        # PostgreSQL also has a GIN index on to_tsvector('simple', search_text): see migration 0007.

    def __str__(self):
        return f"#{self.pk}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "text" in update_fields:
            self.search_text = search.search_text(self.text)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("participation:opinion_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED and not self.hidden_by_flags

    # What the moderation log shows of an entry about an opinion (every logged model has the two).
    @property
    def moderation_log_label(self) -> str:
        return _("opinion no. %(number)s") % {"number": self.pk}

    @property
    def moderation_log_url(self) -> str:
        from django.urls import reverse

        return reverse("participation:moderation_detail", kwargs={"pk": self.pk})

    @property
    def is_imported(self) -> bool:
        """Every imported row keeps the source's id or a fingerprint of its content; the web form sets neither."""
        return bool(self.external_id or self.import_fingerprint)


class PublicOpinionCount(models.Model):
    """How many public opinions each (area, district, channel, stage) has: the source of the facets.

    Written only by PostgreSQL triggers on the opinion table (migration 0005), never by Python, so it
    stays exact whatever changes an opinion: the moderation services, flags, imports and demo data
    (`bulk_create`), the admin, a deletion, raw SQL. Each statement appends rows of +n/−n; the count
    of a combination is the SUM of its rows, read by `selectors.facet_counts`. Appending never waits
    for another transaction (no counter row is locked), and `public_counts.public_counts_compact()` folds
    the rows of each combination into one after every publication commits.

    SQLite (development without configuration) has no triggers here: the selectors count the
    opinions directly there.
    """

    # No database constraints or indexes: a counter table, written by triggers, read whole.
    area = models.ForeignKey(Area, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    district = models.ForeignKey(
        District, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    stage = models.ForeignKey(
        "stages.Stage",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    count = models.IntegerField()  # a delta until compacted: may be negative

    class Meta:
        verbose_name = _("public opinion count")
        verbose_name_plural = _("public opinion counts")

    def __str__(self):
        return f"{self.area_id}/{self.district_id}/{self.channel_id}/{self.stage_id}: {self.count:+d}"


class PublicOpinionMonthCount(models.Model):
    """How many public opinions were collected in each month: the source of the monthly chart.

    Kept like `PublicOpinionCount`, by PostgreSQL triggers appending +n/−n rows per statement
    (migration 0010), so the statistics never scan the opinion table; `month` is the first day of the
    month of `collected_on`. SQLite has no triggers here: the statistics count the opinions directly.
    """

    month = models.DateField()
    count = models.IntegerField()  # a delta until compacted: may be negative

    class Meta:
        verbose_name = _("public opinion count per month")
        verbose_name_plural = _("public opinion counts per month")

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.count:+d}"


class FlagReason(models.TextChoices):
    OFFENSIVE = "offensive", _("Offensive or hateful")
    PERSONAL_DATA = "personal_data", _("Reveals someone's personal data")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Not about the city's strategy")
    OTHER = "other", _("Other")


class OpinionFlag(models.Model):
    """A resident's report that a published opinion breaks the rules. One per resident and opinion."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="flags", verbose_name=_("opinion"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opinion_flags", verbose_name=_("user")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set when a moderator decides on the flagged opinion; only open flags count towards hiding it.
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [models.UniqueConstraint(fields=["opinion", "user"], name="one_flag_per_user_and_opinion")]

    def __str__(self):
        return f"{self.opinion_id}: {self.get_reason_display()}"


class ModerationAction(models.TextChoices):
    PUBLISH = "publish", _("published")
    REJECT = "reject", _("rejected")
    FLAG_HIDE = "flag_hide", _("hidden after flags")
    RESTORE = "restore", _("restored after flags")
    IMPORT = "import", _("imported")


class ModerationLogEntry(models.Model):
    """Who did what to which contribution, when and why. Opinions and comments alike."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_log_target")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.content_type_id}:{self.object_id}"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """A confirmed import of offline opinions, run by a worker.

    Its state lives here, not in the cache, so a cache flush or a Redis restart never loses what a
    running import did or how it ended.
    """

    public_id = models.CharField(_("identifier"), max_length=32, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    upload_token = models.CharField(_("upload"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20)
    publish = models.BooleanField(_("publish at once"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=ImportJobStatus, default=ImportJobStatus.QUEUED)
    created = models.PositiveIntegerField(_("opinions created"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    # Progress of a running import: opinions written so far of those the file will create. Written
    # from outside the import's transaction (see imports.jobs), so the job page sees it grow.
    rows_total = models.PositiveIntegerField(_("opinions to write"), default=0)
    rows_done = models.PositiveIntegerField(_("opinions written"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    created_at = models.DateTimeField(_("confirmed"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def progress(self) -> int:
        """Per cent of the opinions written (0 while the file is still being checked)."""
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
