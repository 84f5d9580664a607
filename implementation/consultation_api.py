"""Open data of the consultation: every public comment with the city's answer (mounted under /api/v1/).

The answer and its justification are published with the consultation report (before it, they are null).
Nothing personal: no account, no e-mail, and a private person's name never (only an organisation's or
institution's name, which speaks publicly on its behalf).
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from ninja import Query, Router, Schema
from pydantic import Field

from consultation.models import Comment, SpeaksAs
from lublin2030 import versions
from participation.api import MAX_OFFSET

router = Router(tags=["consultation"])
CACHE_SECONDS = 60


class CommentOut(Schema):
    consultation: int
    number: int = Field(description="The comment's number in the consultation report.")
    version: int = Field(description="The number of the strategy version commented on.")
    target: str = Field(description="block, section, chapter, document or new_provision.")
    block_key: str
    section_key: str
    chapter_key: str
    organisation: str | None = Field(
        description="The organisation or institution it speaks for; private persons stay unnamed."
    )
    channel: str
    received_on: datetime.date
    text: str
    proposed_wording: str
    justification: str
    answer: str | None = Field(description="taken, partly, not_taken, out_of_scope, withdrawn; null until the report.")
    answer_justification: str | None


class CommentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CommentOut]


class CommentFilters(Schema):
    consultation: int | None = None
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _out(comment: Comment) -> dict:
    answered = comment.consultation.report_published_at is not None
    return {
        "consultation": comment.consultation_id,
        "number": comment.number,
        "version": comment.version.number,
        "target": comment.target,
        "block_key": comment.block_key,
        "section_key": comment.section_key,
        "chapter_key": comment.chapter_key,
        "organisation": comment.commenter_name if comment.speaks_as == SpeaksAs.ORGANISATION else None,
        "channel": comment.channel,
        "received_on": comment.received_on,
        "text": comment.text,
        "proposed_wording": comment.proposed_wording,
        "justification": comment.justification,
        "answer": (comment.answer or None) if answered else None,
        "answer_justification": (comment.answer_justification or None) if answered else None,
    }


@router.get("/consultation/comments", response=CommentPage, summary="Public consultation comments with the answers")
def comments(request, filters: Query[CommentFilters]):
    params = f"{filters.consultation}:{filters.limit}:{filters.offset}"
    key = f"implementation:api:comments:{versions.publication_version()}:{params}"
    value = cache.get(key)
    if value is None:
        queryset = Comment.objects.public().select_related("consultation", "version")
        if filters.consultation is not None:
            queryset = queryset.filter(consultation_id=filters.consultation)
        page = queryset.order_by("consultation_id", "number")[filters.offset : filters.offset + filters.limit]
        value = (queryset.count(), [_out(comment) for comment in page])
        cache.set(key, value, CACHE_SECONDS)
    count, items = value
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}
