"""Likely duplicates of a comment among the others of its consultation, by text similarity (rapidfuzz).

Token sort ratio compares the words whatever their order, after lower-casing and dropping punctuation, so a
comment copied from a campaign leaflet with a line added or the sentences swapped scores high, and two short
comments that only share a few words do not. Comments on the same fragment come first among equal scores.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from .models import Answer, Comment

SCORE_CUTOFF = 70
LIMIT = 8


@dataclass
class Similar:
    pk: int
    number: int
    score: int
    same_fragment: bool
    text: str
    group_id: int | None
    answer: str

    @property
    def answer_label(self) -> str:
        return Answer(self.answer).label if self.answer else ""


def similar_comments(comment: Comment, *, limit: int = LIMIT, cutoff: int = SCORE_CUTOFF) -> list[Similar]:
    """The comments most like this one (one query over the consultation's texts)."""
    rows = list(
        Comment.objects.in_report()
        .filter(consultation_id=comment.consultation_id)
        .exclude(pk=comment.pk)
        .values_list("pk", "number", "text", "block_key", "section_key", "group_id", "answer")
    )
    if not rows:
        return []
    choices = {index: row[2] for index, row in enumerate(rows)}
    matches = process.extract(
        comment.text,
        choices,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=cutoff,
        limit=limit * 3,
    )
    fragment = (comment.block_key, comment.section_key)
    found = []
    for _text, score, index in matches:
        pk, number, text, block_key, section_key, group_id, answer = rows[index]
        found.append(Similar(pk, number, round(score), (block_key, section_key) == fragment, text, group_id, answer))
    found.sort(key=lambda item: (-item.score, not item.same_fragment, item.number))
    return found[:limit]
