"""Reads about the strategy document: versions, the document tree in a fixed number of queries,
coverage of the included recommendations, where a recommendation landed, history, progress."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from recommendations.models import Recommendation, RecommendationStatus

from .models import (
    REQUIRED_ELEMENTS,
    Attachment,
    Block,
    BlockRevision,
    Chapter,
    ChapterElement,
    ChecklistItem,
    Citation,
    CommentStatus,
    Direction,
    Indicator,
    InternalComment,
    ItemStatus,
    RecommendationExplanation,
    Section,
    StrategicGoal,
    Strategy,
    StrategyVersion,
    TeamMembership,
    VersionState,
    VersionStateChange,
)

# Versions -------------------------------------------------------------------------------------


def current_strategy() -> Strategy | None:
    """The strategy the portal is about (the most recent one, if a city ever keeps more)."""
    return Strategy.objects.order_by("-starts_year", "id").first()


def latest_public_version(strategy: Strategy | None) -> StrategyVersion | None:
    if strategy is None:
        return None
    return (
        StrategyVersion.objects.public()
        .filter(strategy=strategy)
        .select_related("strategy")
        .order_by("-number")
        .first()
    )


def public_versions(strategy: Strategy | None):
    if strategy is None:
        return StrategyVersion.objects.none()
    return StrategyVersion.objects.public().filter(strategy=strategy).order_by("-number")


def all_versions(strategy: Strategy):
    return (
        StrategyVersion.objects.filter(strategy=strategy).select_related("created_by", "based_on").order_by("-number")
    )


def version_by_number(strategy: Strategy | None, number: int, *, public_only: bool = False) -> StrategyVersion | None:
    if strategy is None:
        return None
    versions = StrategyVersion.objects.public() if public_only else StrategyVersion.objects.all()
    return versions.select_related("strategy").filter(strategy=strategy, number=number).first()


def working_version(strategy: Strategy | None) -> StrategyVersion | None:
    if strategy is None:
        return None
    return StrategyVersion.objects.filter(strategy=strategy, state=VersionState.WORKING).first()


def state_changes(version: StrategyVersion):
    return VersionStateChange.objects.filter(version=version).select_related("actor").order_by("created_at", "id")


def version_pdf(version: StrategyVersion):
    """The newest finished PDF report of a version, or None."""
    from reports.models import Report, ReportKind, ReportStatus

    return (
        Report.objects.filter(kind=ReportKind.STRATEGY, subject_id=version.pk, status=ReportStatus.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-id")
        .first()
    )


# The document ---------------------------------------------------------------------------------


@dataclass
class Document:
    """A version's whole tree, read in eight queries. Each object carries its children as attributes:
    chapter.intro_blocks, chapter.section_list, section.block_list, goal.direction_list,
    goal.indicator_list, direction.indicator_list, and `.cited` (the recommendations it draws on)."""

    version: StrategyVersion
    chapters: list[Chapter]
    goals: list[StrategicGoal]
    attachments: list[Attachment]
    block_count: int = 0
    indicator_count: int = 0
    blocks_by_key: dict[str, Block] = field(default_factory=dict)

    @property
    def indicators(self) -> list[Indicator]:
        result = []
        for goal in self.goals:
            result.extend(goal.indicator_list)
            for direction in goal.direction_list:
                result.extend(direction.indicator_list)
        return result


def document(
    version: StrategyVersion,
    *,
    with_source: bool = False,
    with_html: bool = True,
    with_extras: bool = True,
    public_attachments: bool = True,
) -> Document:
    """The tree of one version. `with_source` also reads the blocks' Markdown (editors and diffs need it);
    `with_html=False` leaves out their rendering and `with_extras=False` the citations and attachments
    (diffs compare the text only: six queries instead of eight)."""
    chapters = list(Chapter.objects.filter(version=version).order_by("position", "id"))
    sections = list(Section.objects.filter(version=version).order_by("position", "id"))
    blocks = Block.objects.filter(version=version).order_by("position", "id").defer("plain")
    if not with_source:
        blocks = blocks.defer("text")
    if not with_html:
        blocks = blocks.defer("html")
    blocks = list(blocks)
    goals = list(StrategicGoal.objects.filter(version=version).order_by("position", "id"))
    directions = list(Direction.objects.filter(version=version).order_by("position", "id"))
    indicators = list(Indicator.objects.filter(version=version).order_by("position", "id"))
    citations, attachments = [], []
    if with_extras:
        citations = list(
            Citation.objects.filter(version=version)
            .select_related("recommendation__group__area")
            .order_by("recommendation__title", "id")
        )
        attachments = Attachment.objects.filter(version=version, checklist_item__isnull=True)
        if public_attachments:
            attachments = attachments.filter(listed_publicly=True)
        attachments = list(attachments.order_by("kind", "title", "id"))

    cited: dict[tuple[str, int], list] = {}
    for citation in citations:
        target = ("goal", citation.goal_id) if citation.goal_id else None
        target = target or (
            ("direction", citation.direction_id) if citation.direction_id else ("block", citation.block_id)
        )
        cited.setdefault(target, []).append(citation.recommendation)

    by_chapter = {chapter.pk: chapter for chapter in chapters}
    by_section = {section.pk: section for section in sections}
    for chapter in chapters:
        chapter.intro_blocks, chapter.section_list, chapter.cited = [], [], []
    for section in sections:
        section.block_list = []
        section.chapter = by_chapter[section.chapter_id]
        section.chapter.section_list.append(section)
    for block in blocks:
        block.cited = cited.get(("block", block.pk), [])
        block.chapter = by_chapter[block.chapter_id]
        if block.section_id:
            block.section = by_section[block.section_id]
            block.section.block_list.append(block)
        else:
            block.section = None
            block.chapter.intro_blocks.append(block)
    for chapter in chapters:
        for index, block in enumerate(chapter.intro_blocks, start=1):
            block.number = f"{chapter.position}–{index}"
        for section in chapter.section_list:
            for index, block in enumerate(section.block_list, start=1):
                block.number = f"{chapter.position}.{section.position}–{index}"
    by_goal = {goal.pk: goal for goal in goals}
    by_direction = {direction.pk: direction for direction in directions}
    for goal in goals:
        goal.direction_list, goal.indicator_list = [], []
        goal.cited = cited.get(("goal", goal.pk), [])
    for direction in directions:
        direction.indicator_list = []
        direction.cited = cited.get(("direction", direction.pk), [])
        direction.goal = by_goal[direction.goal_id]
        direction.goal.direction_list.append(direction)
    for indicator in indicators:
        if indicator.direction_id:
            indicator.direction = by_direction[indicator.direction_id]
            indicator.direction.indicator_list.append(indicator)
        else:
            indicator.goal = by_goal[indicator.goal_id]
            indicator.goal.indicator_list.append(indicator)
    for goal in goals:
        goal.all_indicators = goal.indicator_list + [i for d in goal.direction_list for i in d.indicator_list]
    return Document(
        version=version,
        chapters=chapters,
        goals=goals,
        attachments=attachments,
        block_count=len(blocks),
        indicator_count=len(indicators),
        blocks_by_key={block.key: block for block in blocks},
    )


def block_place(block: Block) -> str:
    """Where a block is, as a reader would cite it: "rozdział 4.2" or "rozdział 4"."""
    if block.section_id:
        return _("chapter %(number)s") % {"number": f"{block.chapter.position}.{block.section.position}"}
    return _("chapter %(number)s") % {"number": block.chapter.position}


def search(version: StrategyVersion, query: str, *, limit: int = 50) -> list[Block]:
    """Blocks of one version containing every word of the query (one query)."""
    words = [word for word in query.split() if len(word) > 1][:8]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(plain__icontains=word)
    blocks = list(
        Block.objects.filter(condition, version=version)
        .select_related("chapter", "section")
        .only("key", "plain", "position", "chapter__position", "chapter__title", "section__position", "section__title")
        .order_by("chapter__position", "section__position", "position", "id")[:limit]
    )
    for block in blocks:
        block.snippet = snippet(block.plain, words[0])
    return blocks


def snippet(text: str, word: str, *, width: int = 220) -> str:
    """About `width` characters of `text` around the first occurrence of `word`."""
    at = text.lower().find(word.lower())
    start = max(0, at - width // 3) if at >= 0 else 0
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


# Recommendations in the strategy --------------------------------------------------------------


def included_recommendations():
    return Recommendation.objects.filter(status=RecommendationStatus.INCLUDED).select_related("group__area")


def uncovered_recommendations(version: StrategyVersion):
    """Included recommendations neither cited anywhere in the version nor explained in it."""
    return (
        included_recommendations()
        .exclude(strategy_citations__version=version)
        .exclude(strategy_explanations__version=version)
        .order_by("group__area__position", "title", "id")
    )


@dataclass
class Landing:
    """Where one recommendation landed in one version."""

    version: StrategyVersion
    places: list[tuple[str, str]]  # (label, anchor) e.g. ("cel 2", "g-…"), ("kierunek 2.3", "d-…")
    explanation: RecommendationExplanation | None


def landing(recommendation: Recommendation, version: StrategyVersion | None) -> Landing | None:
    """ "ujęta w: cel 2, kierunek 2.3, rozdział 4.2", or the team's reason, in one version (two queries)."""
    if version is None:
        return None
    citations = (
        Citation.objects.filter(version=version, recommendation=recommendation)
        .select_related("goal", "direction__goal", "block__chapter", "block__section")
        .order_by("id")
    )
    goals, directions, blocks = [], [], []
    for citation in citations:
        if citation.goal_id:
            goals.append(citation.goal)
        elif citation.direction_id:
            directions.append(citation.direction)
        else:
            blocks.append(citation.block)
    places = [(_("goal %(number)s") % {"number": goal.number}, goal.anchor) for goal in sorted(goals, key=_goal_order)]
    places += [
        (_("direction %(number)s") % {"number": direction.number}, direction.anchor)
        for direction in sorted(directions, key=lambda d: (d.goal.position, d.position))
    ]
    seen = set()
    for block in sorted(
        blocks, key=lambda b: (b.chapter.position, b.section.position if b.section_id else 0, b.position)
    ):
        label = block_place(block)
        if label not in seen:
            seen.add(label)
            places.append((label, block.anchor))
    explanation = None
    if not places:
        explanation = RecommendationExplanation.objects.filter(version=version, recommendation=recommendation).first()
    return Landing(version=version, places=places, explanation=explanation)


def _goal_order(goal):
    return goal.position


@dataclass
class CoverageRow:
    recommendation: Recommendation
    places: list[str]
    explanation: RecommendationExplanation | None

    @property
    def covered(self) -> bool:
        return bool(self.places or self.explanation)


def coverage(version: StrategyVersion) -> list[CoverageRow]:
    """Every included recommendation with where the version cites it, or its explanation (three queries)."""
    recommendations = list(included_recommendations().order_by("group__area__position", "title", "id"))
    places: dict[int, list[str]] = {}
    for citation in (
        Citation.objects.filter(version=version)
        .select_related("goal", "direction__goal", "block__chapter", "block__section")
        .order_by("id")
    ):
        if citation.goal_id:
            label = _("goal %(number)s") % {"number": citation.goal.number}
        elif citation.direction_id:
            label = _("direction %(number)s") % {"number": citation.direction.number}
        else:
            label = block_place(citation.block)
        labels = places.setdefault(citation.recommendation_id, [])
        if label not in labels:
            labels.append(label)
    explanations = {
        explanation.recommendation_id: explanation
        for explanation in RecommendationExplanation.objects.filter(version=version).select_related("author")
    }
    rows = [CoverageRow(r, places.get(r.pk, []), explanations.get(r.pk)) for r in recommendations]
    return sorted(rows, key=lambda row: row.covered)


def citable_recommendations():
    return included_recommendations().order_by("group__area__position", "title", "id")


def citations_of(target) -> list[Citation]:
    field_name = {StrategicGoal: "goal", Direction: "direction", Block: "block"}[type(target)]
    return list(
        Citation.objects.filter(**{field_name: target}).select_related("recommendation__group__area").order_by("id")
    )


# History --------------------------------------------------------------------------------------


def block_by_key(version: StrategyVersion, key: str) -> Block | None:
    return (
        Block.objects.filter(version=version, key=key)
        .select_related("chapter", "section", "updated_by", "version__strategy")
        .first()
    )


def block_history(block: Block) -> list[BlockRevision]:
    """Every saved text of this paragraph, across the versions up to this one, newest first (one query)."""
    return list(
        BlockRevision.objects.filter(
            block__key=block.key,
            block__version__strategy_id=block.version.strategy_id,
            block__version__number__lte=block.version.number,
        )
        .select_related("author", "block__version")
        .order_by("-block__version__number", "-number")
    )


def latest_public_block(strategy: Strategy, key: str) -> Block | None:
    """The paragraph with this key in the newest public version that has it: what a permalink opens."""
    return (
        Block.objects.public()
        .filter(version__strategy=strategy, key=key)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


# Team, checklist, internal comments -----------------------------------------------------------


def team(strategy: Strategy):
    return (
        TeamMembership.objects.filter(strategy=strategy, withdrawn_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("role", "user__email")
    )


def former_team(strategy: Strategy, *, limit: int = 50):
    return (
        TeamMembership.objects.filter(strategy=strategy, withdrawn_at__isnull=False)
        .select_related("user", "withdrawn_by")
        .order_by("-withdrawn_at")[:limit]
    )


def checklist(version: StrategyVersion) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(version=version)
        .select_related("responsible", "updated_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")))
        .order_by("phase", "position", "id")
    )


def internal_comments(version: StrategyVersion, *, block_key: str | None = None, status: str | None = None):
    comments = InternalComment.objects.filter(version=version)
    if block_key:
        comments = comments.filter(block_key=block_key)
    if status:
        comments = comments.filter(status=status)
    return comments.select_related("author", "resolved_by", "block__chapter", "block__section").order_by(
        "created_at", "id"
    )


def open_comment_counts(version: StrategyVersion) -> dict[str, int]:
    """{block key: open internal comments}, for the editor's view (one query)."""
    rows = (
        InternalComment.objects.filter(version=version, status=CommentStatus.OPEN)
        .values("block_key")
        .annotate(count=Count("id"))
    )
    return {row["block_key"]: row["count"] for row in rows}


def staff_attachments(version: StrategyVersion):
    return Attachment.objects.filter(version=version, checklist_item__isnull=True).select_related("uploaded_by")


# Progress, for the stage pages (no text of an unpublished version) ---------------------------------


@dataclass
class Progress:
    version: StrategyVersion
    chapters: int
    blocks: int
    goals: int
    directions: int
    indicators: int
    elements_present: list[str]
    elements_missing: list[str]
    included: int
    covered: int
    checklist_total: int
    checklist_settled: int
    checklist_open_items: list[str]

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.covered / self.included) if self.included else 100


def progress(version: StrategyVersion) -> Progress:
    """Counts only: how far the drafting and the formal evaluation are (six queries)."""
    chapter_rows = list(
        Chapter.objects.filter(version=version).annotate(block_total=Count("blocks")).values("element", "block_total")
    )
    present = {row["element"] for row in chapter_rows if row["block_total"]}
    counts = StrategyVersion.objects.filter(pk=version.pk).aggregate(
        goals=Count("goals", distinct=True),
        directions=Count("directions", distinct=True),
        indicators=Count("indicators", distinct=True),
    )
    included = included_recommendations().count()
    uncovered = uncovered_recommendations(version).count()
    items = list(ChecklistItem.objects.filter(version=version).order_by("phase", "position", "id"))
    settled = [item for item in items if item.status in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)]
    return Progress(
        version=version,
        chapters=len(chapter_rows),
        blocks=Block.objects.filter(version=version).count(),
        goals=counts["goals"],
        directions=counts["directions"],
        indicators=counts["indicators"],
        elements_present=[ChapterElement(e).label for e in REQUIRED_ELEMENTS if e in present],
        elements_missing=[ChapterElement(e).label for e in REQUIRED_ELEMENTS if e not in present],
        included=included,
        covered=included - uncovered,
        checklist_total=len(items),
        checklist_settled=len(settled),
        checklist_open_items=[item.display_title for item in items if item not in settled and item.mandatory],
    )


def version_in_progress(strategy: Strategy | None) -> StrategyVersion | None:
    """The newest version not yet public: the one the stage V and VI pages report on."""
    if strategy is None:
        return None
    return (
        StrategyVersion.objects.filter(
            strategy=strategy, state__in=(VersionState.WORKING, VersionState.INTERNAL_REVIEW)
        )
        .order_by("-number")
        .first()
    )
