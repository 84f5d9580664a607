"""The difference between two versions, element by element, aligned by stable key, word by word.

Both versions are laid out as one sequence of entries in reading order (chapters, their blocks,
sections and theirs, then goals, directions and indicators). The keys are aligned with difflib, so
an element keeps its place whether it was changed, added, removed or moved; the words of a changed
element are compared with `recommendations.diff.word_diff` (<del>/<ins> with text alternatives).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from recommendations.diff import word_diff

from . import selectors
from .models import StrategyVersion

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"


@dataclass
class Entry:
    key: str  # "<kind>:<stable key>"
    label: str
    text: str


@dataclass
class Change:
    status: str
    label: str
    anchor: str
    html: SafeString


@dataclass
class Comparison:
    old: StrategyVersion
    new: StrategyVersion
    changes: list[Change]
    unchanged: int

    @property
    def counts(self) -> dict[str, int]:
        result = {ADDED: 0, REMOVED: 0, CHANGED: 0, MOVED: 0}
        for change in self.changes:
            result[change.status] += 1
        return result


def decimal_text(value) -> str:
    """12.5000 → "12,5" in Polish (the active language's separators), never "1E+2"."""
    if value is None:
        return ""
    return number_format(f"{value.normalize():f}", use_l10n=True, force_grouping=True)


def indicator_text(indicator, labels: dict | None = None) -> str:
    labels = labels or _labels()
    return "\n".join(
        [
            indicator.name,
            labels["unit"] % {"unit": indicator.unit},
            labels["baseline"] % {"value": decimal_text(indicator.baseline_value), "year": indicator.baseline_year},
            labels["target"] % {"value": decimal_text(indicator.target_value), "year": indicator.target_year},
            labels["source"] % {"source": indicator.source},
            labels["measured"] % {"frequency": indicator.get_frequency_display()},
            indicator.get_polarity_display(),
        ]
    )


def _labels() -> dict[str, str]:
    """Every label once per comparison, not once per element (gettext is not free at 400 blocks)."""
    return {
        "chapter": _("Chapter %(number)s"),
        "chapter_block": _("Chapter %(number)s, block %(index)d"),
        "section": _("Section %(number)s"),
        "section_block": _("Section %(number)s, block %(index)d"),
        "dimension": _("Dimension: %(dimension)s"),
        "goal": _("Goal %(number)s"),
        "goal_indicator": _("Indicator of goal %(number)s"),
        "direction": _("Direction %(number)s"),
        "direction_indicator": _("Indicator of direction %(number)s"),
        "unit": _("Unit: %(unit)s"),
        "baseline": _("Baseline: %(value)s (%(year)s)"),
        "target": _("Target: %(value)s (%(year)s)"),
        "source": _("Source: %(source)s"),
        "measured": _("Measured: %(frequency)s"),
    }


def entries(document: selectors.Document) -> list[Entry]:
    """The version in reading order, as (key, label, text) entries."""
    labels = _labels()
    result = []
    for chapter in document.chapters:
        number = str(chapter.position)
        result.append(Entry(f"c:{chapter.key}", labels["chapter"] % {"number": number}, chapter.title))
        for index, block in enumerate(chapter.intro_blocks, start=1):
            label = labels["chapter_block"] % {"number": number, "index": index}
            result.append(Entry(f"b:{block.key}", label, block.text))
        for section in chapter.section_list:
            section_number = f"{number}.{section.position}"
            result.append(Entry(f"s:{section.key}", labels["section"] % {"number": section_number}, section.title))
            for index, block in enumerate(section.block_list, start=1):
                label = labels["section_block"] % {"number": section_number, "index": index}
                result.append(Entry(f"b:{block.key}", label, block.text))
    for goal in document.goals:
        dimension = labels["dimension"] % {"dimension": goal.get_dimension_display()}
        result.append(
            Entry(
                f"g:{goal.key}",
                labels["goal"] % {"number": goal.number},
                f"{goal.title}\n{goal.description}\n{dimension}",
            )
        )
        for indicator in goal.indicator_list:
            label = labels["goal_indicator"] % {"number": goal.number}
            result.append(Entry(f"i:{indicator.key}", label, indicator_text(indicator, labels)))
        for direction in goal.direction_list:
            text = f"{direction.get_kind_display()}: {direction.title}\n{direction.description}"
            result.append(Entry(f"d:{direction.key}", labels["direction"] % {"number": direction.number}, text))
            for indicator in direction.indicator_list:
                label = labels["direction_indicator"] % {"number": direction.number}
                result.append(Entry(f"i:{indicator.key}", label, indicator_text(indicator, labels)))
    return result


def _anchor(entry_key: str) -> str:
    kind, key = entry_key.split(":", 1)
    return f"{kind}-{key}"


def compare(old: StrategyVersion, new: StrategyVersion) -> Comparison:
    """Every element that differs between two versions (twelve queries, however large they are)."""
    before = entries(selectors.document(old, with_source=True, with_html=False, with_extras=False))
    after = entries(selectors.document(new, with_source=True, with_html=False, with_extras=False))
    old_by_key = {entry.key: entry for entry in before}
    new_keys = {entry.key for entry in after}
    old_keys = set(old_by_key)
    changes, unchanged = [], 0
    matcher = difflib.SequenceMatcher(None, [e.key for e in before], [e.key for e in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for entry in after[j1:j2]:
                previous = old_by_key[entry.key]
                if previous.text == entry.text:
                    unchanged += 1
                else:
                    changes.append(
                        Change(CHANGED, entry.label, _anchor(entry.key), word_diff(previous.text, entry.text))
                    )
            continue
        for entry in before[i1:i2]:
            if entry.key not in new_keys:
                changes.append(Change(REMOVED, entry.label, _anchor(entry.key), word_diff(entry.text, "")))
        for entry in after[j1:j2]:
            if entry.key in old_keys:
                previous = old_by_key[entry.key]
                status = MOVED if previous.text == entry.text else CHANGED
                changes.append(Change(status, entry.label, _anchor(entry.key), word_diff(previous.text, entry.text)))
            else:
                changes.append(Change(ADDED, entry.label, _anchor(entry.key), word_diff("", entry.text)))
    return Comparison(old=old, new=new, changes=changes, unchanged=unchanged)
