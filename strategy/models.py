"""The strategy document (art. 10e u.s.g.): numbered versions of a tree of chapters, sections and text
blocks, beside its strategic goals, directions of action and indicators.

Stable keys. Every chapter, section, block, goal, direction, indicator and attachment has a `key`
(ten characters) that never changes while it is edited and is copied into the next version, so a
comment, a citation, a diff or a permalink points at "this paragraph" in every version. Rows are
per version: creating the next version copies every row with its key; a row id belongs to one
version only and must never be used to follow an element across versions (docs/strategy.md).

States. Only the version in the `working` state is editable (at most one per strategy); every other
version is frozen and the services refuse an edit of it. Public states (consultation draft, after
consultation, adopted, amended) are readable by everyone; their text never changes again.
"""

import secrets
from pathlib import Path

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


# Goals, directions, indicators ---------------------------------------------------------------


class Dimension(models.TextChoices):
    """Art. 10e ust. 2 pkt 2: strategic goals in the social, economic and spatial dimension."""

    SOCIAL = "social", _("Social")
    ECONOMIC = "economic", _("Economic")
    SPATIAL = "spatial", _("Spatial")


class StrategicGoal(VersionedElement):
    TITLE_MAX_LENGTH = 300
    DESCRIPTION_MAX_LENGTH = 5000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="goal_key_unique")]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def number(self) -> str:
        return str(self.position)

    @property
    def anchor(self) -> str:
        return f"g-{self.key}"


class DirectionKind(models.TextChoices):
    DIRECTION = "direction", _("Direction of action")
    OPERATIONAL_GOAL = "operational_goal", _("Operational goal")


class Direction(VersionedElement):
    """An operational goal or a direction of action under a strategic goal; numbered "2.3"."""

    TITLE_MAX_LENGTH = 300
    DESCRIPTION_MAX_LENGTH = 5000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="directions")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, related_name="directions")
    kind = models.CharField(_("kind"), max_length=20, choices=DirectionKind.choices, default=DirectionKind.DIRECTION)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["version", "goal__position", "position", "id"]
        verbose_name = _("direction of action")
        verbose_name_plural = _("directions of action")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="direction_key_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def number(self) -> str:
        return f"{self.goal.position}.{self.position}"

    @property
    def anchor(self) -> str:
        return f"d-{self.key}"


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Every year")
    BIENNIAL = "biennial", _("Every two years")
    TRIENNIAL = "triennial", _("Every three years")
    END_OF_PERIOD = "end_of_period", _("At the end of the period")


class Polarity(models.TextChoices):
    MORE_IS_BETTER = "more", _("More is better")
    LESS_IS_BETTER = "less", _("Less is better")


class Indicator(VersionedElement):
    """An expected result with its measure (art. 10e ust. 2 pkt 4), tied to a goal or to a direction.

    Measurements over the years (stage IX) follow the indicator by its key, never by this row's id.
    """

    NAME_MAX_LENGTH = 300
    DECIMALS = 4

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    unit = models.CharField(_("unit"), max_length=60)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=18, decimal_places=DECIMALS)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=DECIMALS)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    source = models.CharField(_("source of data"), max_length=300)
    frequency = models.CharField(_("frequency of measurement"), max_length=16, choices=Frequency.choices)
    polarity = models.CharField(_("direction"), max_length=8, choices=Polarity.choices)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="indicator_key_unique"),
            models.CheckConstraint(
                condition=Q(goal__isnull=False, direction__isnull=True) | Q(goal__isnull=True, direction__isnull=False),
                name="indicator_goal_or_direction",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def anchor(self) -> str:
        return f"i-{self.key}"


# From recommendations to the strategy ---------------------------------------------------------


class Citation(models.Model):
    """An included recommendation that a goal, a direction or a block of one version draws on.

    One target per row. The opinion → recommendation → strategy chain follows these both ways:
    `recommendation.strategy_citations` and `goal.citations` / `direction.citations` / `block.citations`.
    """

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="citations")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.PROTECT,
        related_name="strategy_citations",
        verbose_name=_("recommendation"),
    )
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("cited at"), auto_now_add=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("citation of a recommendation")
        verbose_name_plural = _("citations of recommendations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=False, direction__isnull=True, block__isnull=True)
                    | Q(goal__isnull=True, direction__isnull=False, block__isnull=True)
                    | Q(goal__isnull=True, direction__isnull=True, block__isnull=False)
                ),
                name="citation_one_target",
            ),
            models.UniqueConstraint(
                fields=["goal", "recommendation"], condition=Q(goal__isnull=False), name="citation_goal_once"
            ),
            models.UniqueConstraint(
                fields=["direction", "recommendation"],
                condition=Q(direction__isnull=False),
                name="citation_direction_once",
            ),
            models.UniqueConstraint(
                fields=["block", "recommendation"], condition=Q(block__isnull=False), name="citation_block_once"
            ),
        ]
        indexes = [models.Index(fields=["recommendation", "version"], name="citation_recommendation")]

    def __str__(self):
        return f"v{self.version_id}: recommendation {self.recommendation_id}"


class RecommendationExplanation(models.Model):
    """The editorial team's written reason for not taking up an included recommendation in a version."""

    REASON_MIN_LENGTH = 20
    REASON_MAX_LENGTH = 3000

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="explanations")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.PROTECT,
        related_name="strategy_explanations",
        verbose_name=_("recommendation"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("written at"), auto_now=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "recommendation_id"]
        verbose_name = _("reason a recommendation was not taken up")
        verbose_name_plural = _("reasons recommendations were not taken up")
        constraints = [
            models.UniqueConstraint(fields=["version", "recommendation"], name="explanation_once_per_version")
        ]

    def __str__(self):
        return f"v{self.version_id}: recommendation {self.recommendation_id}"


# The editorial team ---------------------------------------------------------------------------


class TeamRole(models.TextChoices):
    EDITOR = "editor", _("Editorial team: city staff")
    EXPERT = "expert", _("Editorial team: external expert")
    DEPARTMENT = "department", _("City department: internal consultation")


EDITORIAL_ROLES = (TeamRole.EDITOR, TeamRole.EXPERT)


class TeamMembership(models.Model):
    """Who works on the document: granted and withdrawn by coordinators; the history stays."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="strategy_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=12, choices=TeamRole.choices)
    department = models.CharField(_("department or institution"), max_length=200, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["strategy", "role", "user__email"]
        verbose_name = _("strategy team membership")
        verbose_name_plural = _("strategy team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "user"], condition=Q(withdrawn_at__isnull=True), name="strategy_membership_active"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_editorial(self) -> bool:
        return self.role in EDITORIAL_ROLES


# The formal evaluation (stage VI) ---------------------------------------------------------------


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


# Attachments -----------------------------------------------------------------------------------


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


# Stage VIII (adoption) keeps its models beside the package that uses them; Django finds them through here.
from .adoption.models import AdoptionStep, Resolution  # noqa: E402, F401
