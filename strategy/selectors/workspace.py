"""What the editorial workspace lists: the team, the checklist, internal comments, attachments."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from ..models import (
    Attachment,
    ChecklistItem,
    CommentStatus,
    InternalComment,
    Strategy,
    StrategyVersion,
    TeamMembership,
)


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


def personal_data(user) -> dict:
    """The person's places in the strategy's editorial team, withdrawn ones included (GDPR access)."""
    memberships = TeamMembership.objects.filter(user=user).select_related("strategy").order_by("granted_at", "id")
    return {
        "strategy_team": [
            {
                "strategy": str(membership.strategy),
                "role": membership.role,
                "department": membership.department,
                "granted_at": membership.granted_at.isoformat(),
                "withdrawn_at": membership.withdrawn_at.isoformat() if membership.withdrawn_at else None,
            }
            for membership in memberships
        ]
    }
