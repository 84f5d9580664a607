"""What changed between the consultation draft and a later version (the final draft, the adopted text),
each changed block with the consultation comments that caused it.

The differences are `strategy.diff.compare` (element by element, by stable key). The comments come from the
consultation app: a block of the later version cites the comments that changed it (`ChangeCitation`); only
public citations of public comments are shown (`ChangeCitation.objects.public()`), in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consultation.models import ChangeCitation
from consultation.selectors import commenter_label
from strategy.diff import Comparison, compare
from strategy.models import StrategyVersion


@dataclass
class ChangesWithReasons:
    comparison: Comparison
    reasons: dict[str, list] = field(default_factory=dict)  # {block anchor "b-<key>": [comments]}

    @property
    def changes(self):
        for change in self.comparison.changes:
            yield change, self.reasons.get(change.anchor, [])

    @property
    def cited_comments(self) -> int:
        return len({comment.pk for comments in self.reasons.values() for comment in comments})


def reasons_for(version: StrategyVersion) -> dict[str, list]:
    """{block anchor: the public consultation comments a block of `version` cites as the cause of its change}."""
    citations = (
        ChangeCitation.objects.public()
        .filter(version=version)
        .select_related("comment__consultation")
        .order_by("block_key", "comment__number")
    )
    reasons: dict[str, list] = {}
    for citation in citations:
        comment = citation.comment
        comment.commenter = commenter_label(comment)
        reasons.setdefault(f"b-{citation.block_key}", []).append(comment)
    return reasons


def compare_with_reasons(old: StrategyVersion, new: StrategyVersion) -> ChangesWithReasons:
    return ChangesWithReasons(comparison=compare(old, new), reasons=reasons_for(new))
