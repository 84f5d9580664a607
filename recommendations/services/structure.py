"""The recommendation's structure (vision, diagnosis, goals, directions): drafting with versions and optimistic locking."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from stages.models import WindowKind
from stages.selectors import open_window
from stages.services import require_open_window

from ..models import (
    Direction,
    Evidence,
    Goal,
    Recommendation,
    RecommendationVersion,
)
from .common import _lock

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
