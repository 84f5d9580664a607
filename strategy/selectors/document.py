"""A version's whole document in a fixed number of queries, search within it, and the history of
a block (its saved texts, across versions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import (
    Attachment,
    Block,
    BlockRevision,
    Chapter,
    Citation,
    Direction,
    Indicator,
    Section,
    StrategicGoal,
    Strategy,
    StrategyVersion,
)


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
