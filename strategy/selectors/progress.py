"""Progress, for the stage pages: counts only, no text of an unpublished version."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from ..models import (
    REQUIRED_ELEMENTS,
    Block,
    Chapter,
    ChapterElement,
    ChecklistItem,
    ItemStatus,
    Strategy,
    StrategyVersion,
    VersionState,
)
from .recommendations import included_recommendations, uncovered_recommendations


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
