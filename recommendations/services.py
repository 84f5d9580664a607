"""Writes about recommendations: drafting with versions and locking, evidence, workflow, comments.

The workflow, and the only transitions the services allow:

    draft ──submit (leader, DRAFTING)──▶ submitted ──first assessment / start (coordinator, VERIFICATION)──▶ in verification
    returned ──submit──▶ submitted           in verification ──third assessment──▶ verified
    submitted | in verification ──return with reason (coordinator, VERIFICATION)──▶ returned
    verified ──include (coordinator)──▶ included in the strategy
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from lublin2030 import ratelimit
from lublin2030.permissions import require_permission
from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus, Opinion
from stages.models import WindowKind
from stages.selectors import open_window
from stages.services import require_open_window

from .models import (
    EDITABLE_STATUSES,
    Assessment,
    AssessmentKind,
    Comment,
    Direction,
    Evidence,
    Goal,
    InternalComment,
    Recommendation,
    RecommendationStatus,
    RecommendationVersion,
    StatusChange,
)

S = RecommendationStatus
ALLOWED_TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.IN_VERIFICATION),
    (S.IN_VERIFICATION, S.VERIFIED),
    (S.SUBMITTED, S.RETURNED),
    (S.IN_VERIFICATION, S.RETURNED),
    (S.VERIFIED, S.INCLUDED),
}
STRUCTURE_KEYS = ("title", "vision", "diagnosis", "goals", "directions")


def _lock(recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)


# The structure ---------------------------------------------------------------------------------


@dataclass
class GoalData:
    text: str
    id: int | None = None


@dataclass
class DirectionData:
    title: str
    description: str = ""
    goals: list[int] = field(default_factory=list)  # 1-based positions in Structure.goals
    id: int | None = None


@dataclass
class Structure:
    title: str
    vision: str = ""
    diagnosis: str = ""
    goals: list[GoalData] = field(default_factory=list)
    directions: list[DirectionData] = field(default_factory=list)


def snapshot(recommendation: Recommendation) -> dict:
    """The full structure as JSON: what a version stores and what the history compares."""
    goals = list(Goal.objects.filter(recommendation=recommendation).order_by("position"))
    position_of = {goal.pk: goal.position for goal in goals}
    directions = Direction.objects.filter(recommendation=recommendation).order_by("position")
    direction_goals = {}
    for direction_id, goal_id in Direction.goals.through.objects.filter(
        direction__recommendation=recommendation
    ).values_list("direction_id", "goal_id"):
        direction_goals.setdefault(direction_id, []).append(position_of[goal_id])
    return {
        "title": recommendation.title,
        "vision": recommendation.vision,
        "diagnosis": recommendation.diagnosis,
        "status": recommendation.status,
        "goals": [{"id": goal.pk, "text": goal.text} for goal in goals],
        "directions": [
            {
                "id": direction.pk,
                "title": direction.title,
                "description": direction.description,
                "goals": sorted(direction_goals.get(direction.pk, [])),
            }
            for direction in directions
        ],
        "evidence": sorted(Evidence.objects.filter(recommendation=recommendation).values_list("opinion_id", flat=True)),
    }


def structure_of(data: dict) -> dict:
    """The part of a snapshot a member edits in the form (evidence and status are changed elsewhere)."""
    return {
        "title": data.get("title", ""),
        "vision": data.get("vision", ""),
        "diagnosis": data.get("diagnosis", ""),
        "goals": [goal["text"] for goal in data.get("goals", [])],
        "directions": [
            (direction["title"], direction["description"], list(direction["goals"]))
            for direction in data.get("directions", [])
        ],
    }


def _record_version(*, recommendation: Recommendation, actor, summary: str) -> RecommendationVersion:
    recommendation.version += 1
    recommendation.save(update_fields=["version", "updated_at"])
    version = RecommendationVersion(
        recommendation=recommendation,
        number=recommendation.version,
        author=actor,
        summary=summary[:200],
        snapshot=snapshot(recommendation),
    )
    version.full_clean()
    version.save()
    return version


def _validate_structure(structure: Structure) -> None:
    errors = {}
    if not structure.title.strip():
        errors["title"] = _("Give the recommendation a title.")
    for number, direction in enumerate(structure.directions, start=1):
        if not direction.title.strip():
            errors.setdefault("directions", []).append(_("Direction %(number)d needs a title.") % {"number": number})
        for goal_number in direction.goals:
            if not 1 <= goal_number <= len(structure.goals):
                errors.setdefault("directions", []).append(
                    _("Direction %(number)d serves goal %(goal)d, which does not exist.")
                    % {"number": number, "goal": goal_number}
                )
    for number, goal in enumerate(structure.goals, start=1):
        if not goal.text.strip():
            errors.setdefault("goals", []).append(_("Goal %(number)d is empty.") % {"number": number})
    if errors:
        raise ValidationError(errors)


def _apply_structure(recommendation: Recommendation, structure: Structure) -> None:
    """Write the structure, keeping the ids of goals and directions that stay (later links point at them)."""
    recommendation.title = structure.title.strip()
    recommendation.vision = structure.vision.strip()
    recommendation.diagnosis = structure.diagnosis.strip()
    recommendation.full_clean(exclude=["group", "stage", "created_by"])
    recommendation.save(update_fields=["title", "vision", "diagnosis", "updated_at"])

    goals = _sync_rows(
        Goal,
        recommendation,
        [{"id": goal.id, "text": goal.text.strip()} for goal in structure.goals],
        fields=["text"],
    )
    directions = _sync_rows(
        Direction,
        recommendation,
        [
            {"id": direction.id, "title": direction.title.strip(), "description": direction.description.strip()}
            for direction in structure.directions
        ],
        fields=["title", "description"],
    )
    through = Direction.goals.through
    through.objects.filter(direction__recommendation=recommendation).delete()
    through.objects.bulk_create(
        [
            through(direction_id=direction.pk, goal_id=goals[number - 1].pk)
            for direction, data in zip(directions, structure.directions, strict=True)
            for number in sorted(set(data.goals))
        ]
    )


def _sync_rows(model, recommendation, rows: list[dict], *, fields: list[str]) -> list:
    """Update rows that keep their id, create new ones, delete the rest; positions follow the list."""
    existing = {obj.pk: obj for obj in model.objects.filter(recommendation=recommendation)}
    seen = set()
    for row in rows:  # an id may be kept once; a repeated or foreign id makes a new row
        if row["id"] not in existing or row["id"] in seen:
            row["id"] = None
        seen.add(row["id"])
    keep_ids = {row["id"] for row in rows if row["id"] is not None}
    model.objects.filter(recommendation=recommendation).exclude(pk__in=keep_ids).delete()
    # Move the kept rows out of the way of the (recommendation, position) unique constraint first.
    kept = [existing[pk] for pk in keep_ids]
    for obj in kept:
        obj.position += 10000
    model.objects.bulk_update(kept, ["position"])
    result = []
    for position, row in enumerate(rows, start=1):
        obj = existing.get(row["id"]) if row["id"] is not None else None
        if obj is None:
            obj = model(recommendation=recommendation, position=position)
        obj.position = position
        for name in fields:
            setattr(obj, name, row[name])
        obj.full_clean(exclude=["recommendation"], validate_constraints=False)
        obj.save()
        result.append(obj)
    return result


class EditConflict(ValidationError):
    """Someone saved the recommendation after the editor opened it; nothing was written."""

    def __init__(self, *, latest: RecommendationVersion | None, base_version: int):
        self.latest = latest
        self.base_version = base_version
        who = latest.author if latest else None
        name = who.shown_name if who else _("someone")
        when = timezone.localtime(latest.created_at).strftime("%d.%m.%Y %H:%M") if latest else ""
        super().__init__(
            _(
                "%(name)s saved a newer version (%(version)d) on %(when)s, after you opened this page. "
                "Your changes have not been saved. Compare them with the newer version below, then save "
                "again to replace it."
            )
            % {"name": name, "version": latest.number if latest else 0, "when": when},
            code="conflict",
        )


@transaction.atomic
def recommendation_create(*, actor, group, structure: Structure) -> Recommendation:
    """A member starts a recommendation of their group while the drafting window is open."""
    require_permission(actor, "recommendations.create_recommendation", group)
    require_open_window(WindowKind.DRAFTING)
    _validate_structure(structure)
    window = open_window(WindowKind.DRAFTING)
    recommendation = Recommendation(
        group=group, title=structure.title.strip(), created_by=actor, stage=window.stage if window else None
    )
    recommendation.full_clean()
    recommendation.save()
    _apply_structure(recommendation, structure)
    _record_version(recommendation=recommendation, actor=actor, summary="created")
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor, recommendation: Recommendation, expected_version: int, structure: Structure
) -> Recommendation:
    """Save a new version; refuse with EditConflict when the editor started from an outdated one."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.edit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    _validate_structure(structure)
    if recommendation.version != expected_version:
        base = RecommendationVersion.objects.filter(recommendation=recommendation, number=expected_version).first()
        current = snapshot(recommendation)
        # Evidence attached meanwhile is not in the form: only a change of the edited structure conflicts.
        if base is None or structure_of(base.snapshot) != structure_of(current):
            latest = (
                RecommendationVersion.objects.select_related("author")
                .filter(recommendation=recommendation)
                .order_by("-number")
                .first()
            )
            raise EditConflict(latest=latest, base_version=expected_version)
    before = structure_of(snapshot(recommendation))
    _apply_structure(recommendation, structure)
    if structure_of(snapshot(recommendation)) != before:
        _record_version(recommendation=recommendation, actor=actor, summary="edited")
    return recommendation


# Evidence --------------------------------------------------------------------------------------


@transaction.atomic
def evidence_attach(*, actor, recommendation: Recommendation, opinion: Opinion) -> Evidence:
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.edit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    opinion = Opinion.objects.filter(pk=opinion.pk).first()
    if opinion is None or not opinion.is_public:
        raise ValidationError(_("Only published opinions can be evidence."), code="not_public")
    if Evidence.objects.filter(recommendation=recommendation, opinion=opinion).exists():
        raise ValidationError(_("This opinion is already attached."), code="duplicate")
    evidence = Evidence(recommendation=recommendation, opinion=opinion, added_by=actor)
    evidence.full_clean(validate_constraints=False)
    evidence.save()
    _record_version(recommendation=recommendation, actor=actor, summary=f"attached:{opinion.pk}")
    return evidence


@transaction.atomic
def evidence_detach(*, actor, recommendation: Recommendation, opinion_id: int) -> None:
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.edit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    deleted, _rows = Evidence.objects.filter(recommendation=recommendation, opinion_id=opinion_id).delete()
    if not deleted:
        raise ValidationError(_("This opinion is not attached."), code="missing")
    _record_version(recommendation=recommendation, actor=actor, summary=f"removed:{opinion_id}")


# The workflow ----------------------------------------------------------------------------------


def _transition(recommendation: Recommendation, to_status: str, *, actor, reason: str = "") -> None:
    from_status = recommendation.status
    if (from_status, to_status) not in ALLOWED_TRANSITIONS:
        raise ValidationError(
            _("A recommendation cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="transition",
        )
    recommendation.status = to_status
    StatusChange.objects.create(
        recommendation=recommendation, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )


def completeness_problems(recommendation: Recommendation) -> list[str]:
    """What a recommendation lacks before it can be submitted: every part of the fixed structure."""
    problems = []
    if not recommendation.vision.strip():
        problems.append(_("The vision is empty."))
    if not recommendation.diagnosis.strip():
        problems.append(_("The diagnosis is empty."))
    goals = list(recommendation.goals.all())
    directions = list(recommendation.directions.prefetch_related("goals"))
    if not goals:
        problems.append(_("There is no goal."))
    if not directions:
        problems.append(_("There is no recommended direction of action."))
    for direction in directions:
        if not direction.goals.all():
            problems.append(
                _("Direction %(number)d does not say which goals it serves.") % {"number": direction.position}
            )
    return problems


@transaction.atomic
def recommendation_submit(*, actor, recommendation: Recommendation) -> Recommendation:
    """Only the group's leader, only while the drafting window is open, only a complete recommendation."""
    recommendation = _lock(recommendation)
    if recommendation.status not in EDITABLE_STATUSES:
        _transition(recommendation, S.SUBMITTED, actor=actor)  # raises with the workflow's message
    require_permission(actor, "recommendations.submit_recommendation", recommendation)
    require_open_window(WindowKind.DRAFTING)
    problems = completeness_problems(recommendation)
    if problems:
        raise ValidationError(problems, code="incomplete")
    _transition(recommendation, S.SUBMITTED, actor=actor)
    recommendation.submitted_at = timezone.now()
    recommendation.verification_round += 1
    recommendation.return_reason = ""
    recommendation.save(update_fields=["status", "submitted_at", "verification_round", "return_reason", "updated_at"])
    return recommendation


@transaction.atomic
def recommendation_start_verification(*, actor, recommendation: Recommendation) -> Recommendation:
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.verify_recommendation", recommendation)
    require_open_window(WindowKind.VERIFICATION)
    _transition(recommendation, S.IN_VERIFICATION, actor=actor)
    recommendation.save(update_fields=["status", "updated_at"])
    return recommendation


@transaction.atomic
def assessment_record(
    *, actor, recommendation: Recommendation, kind: str, verdict: str, justification: str
) -> Assessment:
    """One of the three assessments. The first starts verification; the third makes it verified."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.verify_recommendation", recommendation)
    require_open_window(WindowKind.VERIFICATION)
    if recommendation.status == S.SUBMITTED:
        _transition(recommendation, S.IN_VERIFICATION, actor=actor)
        recommendation.save(update_fields=["status", "updated_at"])
    elif recommendation.status != S.IN_VERIFICATION:
        raise ValidationError(
            _("Only a submitted recommendation can be assessed; this one is “%(status)s”.")
            % {"status": recommendation.get_status_display()},
            code="transition",
        )
    if Assessment.objects.filter(
        recommendation=recommendation, round=recommendation.verification_round, kind=kind
    ).exists():
        raise ValidationError(
            _("The %(kind)s assessment has already been recorded.") % {"kind": AssessmentKind(kind).label.lower()},
            code="duplicate",
        )
    assessment = Assessment(
        recommendation=recommendation,
        round=recommendation.verification_round,
        kind=kind,
        verdict=verdict,
        justification=justification.strip(),
        author=actor,
    )
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    recorded = set(
        Assessment.objects.filter(recommendation=recommendation, round=recommendation.verification_round).values_list(
            "kind", flat=True
        )
    )
    if recorded >= set(AssessmentKind.values):
        _transition(recommendation, S.VERIFIED, actor=actor)
        recommendation.verified_at = timezone.now()
        recommendation.save(update_fields=["status", "verified_at", "updated_at"])
    return assessment


@transaction.atomic
def recommendation_return(*, actor, recommendation: Recommendation, reason: str) -> Recommendation:
    """A coordinator sends it back to the group, saying what to change; the group edits and resubmits."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.verify_recommendation", recommendation)
    require_open_window(WindowKind.VERIFICATION)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the group should change.")})
    _transition(recommendation, S.RETURNED, actor=actor, reason=reason)
    recommendation.return_reason = reason
    recommendation.save(update_fields=["status", "return_reason", "updated_at"])
    return recommendation


@transaction.atomic
def recommendation_include(*, actor, recommendation: Recommendation) -> Recommendation:
    """A verified recommendation is taken into the strategy (stage V has no participation window)."""
    recommendation = _lock(recommendation)
    require_permission(actor, "recommendations.include_recommendation")
    _transition(recommendation, S.INCLUDED, actor=actor)
    recommendation.save(update_fields=["status", "updated_at"])
    return recommendation


# Comments --------------------------------------------------------------------------------------


@transaction.atomic
def internal_comment_add(*, actor, recommendation: Recommendation, text: str) -> InternalComment:
    require_permission(actor, "recommendations.write_internal_comment", recommendation)
    comment = InternalComment(recommendation=recommendation, author=actor, text=text.strip())
    comment.full_clean()
    comment.save()
    return comment


TOO_MANY_COMMENTS = ngettext_lazy(
    "You have sent too many comments in a short time. Please try again in %(minutes)d minute.",
    "You have sent too many comments in a short time. Please try again in %(minutes)d minutes.",
    "minutes",
)


@transaction.atomic
def comment_submit(*, actor, recommendation: Recommendation, text: str, ip_address: str | None = None) -> Comment:
    """A resident comments on a public recommendation while the comments window is open.

    Rate-limited per account and per address (RATE_LIMITS "comment:user", "comment:ip").
    """
    require_open_window(WindowKind.RECOMMENDATION_COMMENTS)
    require_permission(actor, "recommendations.comment_recommendation", recommendation)
    text = text.strip()
    if len(text) < Comment.TEXT_MIN_LENGTH:
        raise ValidationError({"text": _("Write at least %(min)d characters.") % {"min": Comment.TEXT_MIN_LENGTH}})
    hit = ratelimit.require(
        ratelimit.limit("comment:user", actor.pk), ratelimit.limit("comment:ip", ip_address), message=TOO_MANY_COMMENTS
    )
    window = open_window(WindowKind.RECOMMENDATION_COMMENTS)
    comment = Comment(recommendation=recommendation, author=actor, text=text, stage=window.stage if window else None)
    try:
        comment.full_clean()
        comment.save()
    except Exception:
        hit.undo()
        raise
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, publish: bool, reason: str = "") -> Comment:
    """Publish a pending comment, or reject a pending or published one with a reason; logged."""
    require_permission(actor, "recommendations.moderate_comment")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    reason = reason.strip()
    now = timezone.now()
    if publish:
        if comment.status != ModerationStatus.PENDING:
            raise ValidationError(_("Only a pending comment can be published."), code="transition")
        comment.status = ModerationStatus.PUBLISHED
        comment.published_at = now
        comment.rejection_reason = ""
        action = ModerationAction.PUBLISH
    else:
        if comment.status == ModerationStatus.REJECTED:
            raise ValidationError(_("This comment has already been rejected."), code="transition")
        if not reason:
            raise ValidationError({"reason": _("Give the reason for rejection: the author will see it.")})
        comment.status = ModerationStatus.REJECTED
        comment.rejection_reason = reason
        action = ModerationAction.REJECT
    comment.moderated_by = actor
    comment.moderated_at = now
    comment.full_clean()
    comment.save(update_fields=["status", "published_at", "rejection_reason", "moderated_by", "moderated_at"])
    ModerationLogEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        reason=reason,
    )
    return comment
