"""PDF reports made in the background: one row per request, one row per part rendered by a worker."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from stages.models import pick_language


class ReportKind(models.TextChoices):
    OPINIONS = "opinions", _("Thematic report of opinions")
    WORKGROUPS = "workgroups", _("Report of the working groups")
    VERIFICATION = "verification", _("Verification report")
    STRATEGY = "strategy", _("Strategy document")
    CONSULTATION = "consultation", _("Consultation report")
    MONITORING = "monitoring", _("Annual report on the implementation of the strategy")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportLanguage(models.TextChoices):
    POLISH = "pl", _("Polish")
    ENGLISH = "en", _("English")


ACTIVE_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class ReportError(models.TextChoices):
    """Why a report failed; shown translated in the language of the page, with the technical detail."""

    BROKER_UNAVAILABLE = (
        "broker",
        _("The report could not be queued: the background service is unavailable. Try again in a few minutes."),
    )
    TIMEOUT = "timeout", _("Generating the report took longer than allowed.")
    WORKER_LOST = "worker_lost", _("The worker generating the report stopped, and trying again did not help.")
    UNAVAILABLE = "unavailable", _("This kind of report is not available yet.")
    ERROR = "error", _("The report could not be generated because of an error.")


class Report(models.Model):
    """A report someone asked for, and what became of it.

    `run` numbers the attempts: every task carries the run it belongs to and does nothing when the
    report has moved on (asked again, swept after a worker died), so a late or duplicated message can
    never overwrite a newer file. `heartbeat_at` is touched by every task step; a running report whose
    heartbeat is older than REPORTS_STALE_SECONDS has lost its worker and is re-queued or failed by
    the sweeper.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    area = models.ForeignKey(
        "participation.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Empty: all areas."),
    )
    # Kinds that an app above reports prints (reports.kinds) print one object of that app: its id and
    # its name, stored in the report's language when the report is asked for.
    subject_id = models.PositiveBigIntegerField(_("printed object"), null=True, blank=True)
    subject_label = models.CharField(_("name of the printed object"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=ReportLanguage.choices, default="pl")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    run = models.PositiveIntegerField(_("run"), default=1)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.PositiveIntegerField(default=0)
    file = models.CharField(_("file"), max_length=300, blank=True, help_text=_("Relative to PRIVATE_STORAGE_ROOT."))
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error_code = models.CharField(_("error"), max_length=20, choices=ReportError.choices, blank=True)
    error_detail = models.TextField(_("technical detail"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Steps rendering right now (the run's first step, parts, the merge) and the process of the
    # run or merge step; a report with steps in progress and an old heartbeat lost its worker.
    active_steps = models.PositiveSmallIntegerField(_("steps in progress"), default=0)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    worker_lost_at = models.DateTimeField(_("worker found stopped at"), null=True, blank=True)
    published_stage = models.ForeignKey(
        "stages.Stage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_reports",
        verbose_name=_("published on the page of stage"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="report_status_heartbeat"),
            models.Index(fields=["published_stage", "-published_at"], name="report_published_stage"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:download", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        with override(self.language):
            return str(self.title_in_language())

    @property
    def display_title(self) -> str:
        """The title in the language of the page showing it."""
        return str(self.title_in_language())

    def title_in_language(self) -> str:
        """The title in the active language."""
        label = ReportKind(self.kind).label
        if self.kind == ReportKind.OPINIONS:
            if self.area_id:
                return _("%(kind)s: %(area)s") % {
                    "kind": label,
                    "area": pick_language(self.area.name_pl, self.area.name_en),
                }
            return _("%(kind)s: all areas") % {"kind": label}
        if self.subject_label:
            return self.subject_label
        return str(label)

    @property
    def error_message(self) -> str:
        """What went wrong, in the language of the page showing it."""
        if not self.error_code:
            return ""
        return str(ReportError(self.error_code).label)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE and bool(self.file)

    @property
    def is_published(self) -> bool:
        return self.is_done and self.published_stage_id is not None

    @property
    def path(self) -> Path | None:
        return Path(settings.PRIVATE_STORAGE_ROOT) / self.file if self.file else None

    @property
    def download_name(self) -> str:
        stamp = self.finished_at.strftime("%Y-%m-%d") if self.finished_at else ""
        return f"{slugify(self.title.replace('ł', 'l').replace('Ł', 'L'))[:80]}-{stamp}-{self.pk}.pdf".replace(
            "--", "-"
        )

    def get_public_url(self):
        return reverse("reports:public_download", kwargs={"pk": self.pk, "name": self.download_name})


class PartStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")


class ReportPart(models.Model):
    """One slice of a report rendered by one task; the merge task joins them in `index` order.

    Part 0 is the front matter (cover, contents, summary), rendered with provisional page numbers so
    that its length is known; the merge renders it again with the real ones.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="parts")
    run = models.PositiveIntegerField()
    index = models.PositiveIntegerField()
    spec = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=PartStatus.choices, default=PartStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    headings = models.JSONField(default=list, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # The process rendering it and its last heartbeat (services/liveness.py).
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # A hash of exactly what the part shows (services/part_cache.py); its PDF is kept beside the report
    # under this name, so a later report of the same kind takes it instead of rendering it again. Empty:
    # a part that is not cached (the front matter, kinds registered by other apps).
    key = models.CharField(_("content key"), max_length=64, blank=True)
    reused = models.BooleanField(_("taken from an earlier report"), default=False)

    class Meta:
        ordering = ["report", "run", "index"]
        verbose_name = _("report part")
        verbose_name_plural = _("report parts")
        constraints = [models.UniqueConstraint(fields=["report", "run", "index"], name="report_part_unique")]
        indexes = [models.Index(fields=["key"], name="report_part_key", condition=models.Q(key__gt=""))]

    def __str__(self):
        return f"{self.report_id} run {self.run} part {self.index}"
