"""Reads about recommendations: public lists, the workspace, verification, evidence search, tracing."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from participation.models import ModerationStatus, Opinion, public_opinion_q

from .models import (
    PUBLIC_STATUSES,
    VERIFIABLE_STATUSES,
    Assessment,
    AssessmentKind,
    Comment,
    Direction,
    Evidence,
    InternalComment,
    Recommendation,
    RecommendationStatus,
    RecommendationVersion,
    StatusChange,
    public_recommendation_q,
)


def with_evidence_count(recommendations):
    """`evidence_count`: the published opinions a recommendation is based on."""
    return recommendations.annotate(
        evidence_count=Count("evidence", filter=public_opinion_q("evidence__opinion"), distinct=True)
    )


def public_recommendation_list(*, area=None, status: str | None = None, query: str = ""):
    recommendations = Recommendation.objects.public().select_related("group__area")
    if area is not None:
        recommendations = recommendations.filter(group__area=area)
    if status in PUBLIC_STATUSES:
        recommendations = recommendations.filter(status=status)
    if query:
        recommendations = recommendations.filter(
            Q(title__icontains=query) | Q(vision__icontains=query) | Q(diagnosis__icontains=query)
        )
    return with_evidence_count(recommendations).order_by("group__area__position", "title", "id")


def group_recommendations(group):
    """Every recommendation of a group, drafts included: the workspace."""
    return with_evidence_count(
        Recommendation.objects.filter(group=group).select_related("group__area", "created_by")
    ).order_by("-updated_at", "id")


def recommendation_detail(pk: int) -> Recommendation | None:
    """One recommendation with its whole structure, in a fixed number of queries."""
    recommendation = (
        with_evidence_count(Recommendation.objects.filter(pk=pk))
        .select_related("group__area", "created_by")
        .prefetch_related(
            "goals",
            Prefetch("directions", queryset=Direction.objects.prefetch_related("goals")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(public_opinion_q("opinion"))
                .select_related("opinion__area", "opinion__district", "opinion__channel")
                .order_by("opinion__area__position", "opinion_id"),
                to_attr="public_evidence",
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("author").order_by("round", "kind"),
                to_attr="all_assessments",
            ),
        )
        .first()
    )
    if recommendation is not None:
        recommendation.current_assessments = current_assessments(recommendation)
    return recommendation


def current_assessments(recommendation: Recommendation) -> list[Assessment]:
    """The assessments of the current round, in the order legality, feasibility, financing."""
    assessments = getattr(recommendation, "all_assessments", None)
    if assessments is None:
        assessments = list(recommendation.assessments.select_related("author"))
    order = {kind: index for index, kind in enumerate(AssessmentKind.values)}
    current = [a for a in assessments if a.round == recommendation.verification_round]
    return sorted(current, key=lambda a: order[a.kind])


def public_assessments(recommendation: Recommendation) -> list[Assessment]:
    """The current round's assessments, once the verdicts are public (verified or included); none before."""
    return current_assessments(recommendation) if recommendation.verdicts_are_public else []


def published_comments(recommendation: Recommendation):
    return Comment.objects.public().filter(recommendation=recommendation).select_related("author")


def comments_of(user, recommendation: Recommendation):
    """The user's own comments that are not public (yet): they see their pending and rejected ones."""
    if not user.is_authenticated:
        return Comment.objects.none()
    return Comment.objects.filter(recommendation=recommendation, author=user).exclude(pk__in=Comment.objects.public())


def internal_comments(recommendation: Recommendation):
    return InternalComment.objects.filter(recommendation=recommendation).select_related("author")


def verification_queue():
    return (
        with_evidence_count(Recommendation.objects.filter(status__in=VERIFIABLE_STATUSES))
        .select_related("group__area")
        .prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.order_by("kind"), to_attr="all_assessments")
        )
        .order_by("submitted_at", "id")
    )


def comment_moderation_queue(*, status: str = ModerationStatus.PENDING):
    return (
        Comment.objects.filter(status=status)
        .select_related("recommendation__group__area", "author", "moderated_by")
        .order_by("created_at", "id")
    )


# Evidence ---------------------------------------------------------------------------------------


def evidence_candidates(*, recommendation: Recommendation, query: str = "", all_areas: bool = False, limit: int = 20):
    """Published opinions a member may attach: the group's area by default, matching the words typed."""
    opinions = Opinion.objects.public().exclude(evidence_links__recommendation=recommendation)
    if not all_areas:
        opinions = opinions.filter(area_id=recommendation.group.area_id)
    for word in query.split()[:8]:
        opinions = opinions.filter(text__icontains=word)
    return opinions.select_related("area", "district").order_by("-published_at", "-id")[:limit]


def attached_evidence(recommendation: Recommendation):
    """All the evidence of a recommendation, for its group (an opinion hidden later is shown as such)."""
    return Evidence.objects.filter(recommendation=recommendation).select_related(
        "opinion__area", "opinion__district", "added_by"
    )


# Tracing ----------------------------------------------------------------------------------------


def recommendations_citing(*, opinion_ids) -> dict[int, list[Recommendation]]:
    """{opinion id: [public recommendations citing it]}, in one query. Opinions not cited are absent."""
    opinion_ids = list(opinion_ids)
    if not opinion_ids:
        return {}
    links = (
        Evidence.objects.filter(public_recommendation_q("recommendation"), opinion_id__in=opinion_ids)
        .select_related("recommendation__group__area")
        .order_by("recommendation__group__area__position", "recommendation__title", "recommendation_id")
    )
    result: dict[int, list[Recommendation]] = {}
    for link in links:
        result.setdefault(link.opinion_id, []).append(link.recommendation)
    return result


# History ----------------------------------------------------------------------------------------


def versions_of(recommendation: Recommendation):
    return RecommendationVersion.objects.filter(recommendation=recommendation).select_related("author")


@dataclass
class ActivityItem:
    when: object
    kind: str  # "version" | "status" | "comment"
    who: object
    recommendation: Recommendation
    text: str
    obj: object


def group_activity(group, *, limit: int = 30) -> list[ActivityItem]:
    """Who changed what in the group's workspace: versions, workflow steps and internal comments (3 queries)."""
    items = []
    for version in (
        RecommendationVersion.objects.filter(recommendation__group=group)
        .select_related("author", "recommendation")
        .defer("snapshot")
        .order_by("-created_at")[:limit]
    ):
        items.append(
            ActivityItem(
                version.created_at, "version", version.author, version.recommendation, version.summary_text, version
            )
        )
    for change in (
        StatusChange.objects.filter(recommendation__group=group)
        .select_related("actor", "recommendation")
        .order_by("-created_at")[:limit]
    ):
        items.append(
            ActivityItem(
                change.created_at,
                "status",
                change.actor,
                change.recommendation,
                RecommendationStatus(change.to_status).label,
                change,
            )
        )
    for comment in (
        InternalComment.objects.filter(recommendation__group=group)
        .select_related("author", "recommendation")
        .order_by("-created_at")[:limit]
    ):
        items.append(
            ActivityItem(comment.created_at, "comment", comment.author, comment.recommendation, comment.text, comment)
        )
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def personal_data(user) -> dict:
    """The person's public comments on recommendations, for the download of their own data (GDPR access)."""
    comments = user.recommendation_comments.select_related("recommendation").order_by("created_at")
    return {
        "recommendation_comments": [
            {
                "recommendation": comment.recommendation.title,
                "text": comment.text,
                "status": comment.status,
                "rejection_reason": comment.rejection_reason,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ]
    }
