"""Export of recommendations for coordinators: CSV, XLSX and JSON, safe against formula injection."""

import csv
import io
import json

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.spreadsheets import safe_cell

from .models import Assessment, AssessmentKind, Direction, Recommendation, RecommendationStatus, Verdict
from .selectors import current_assessments, with_evidence_count


def export_queryset(*, include_drafts: bool = False):
    recommendations = Recommendation.objects.all() if include_drafts else Recommendation.objects.public()
    return (
        with_evidence_count(recommendations)
        .select_related("group__area")
        .prefetch_related(
            "goals",
            Prefetch("directions", queryset=Direction.objects.prefetch_related("goals")),
            Prefetch("assessments", queryset=Assessment.objects.select_related("author"), to_attr="all_assessments"),
        )
        .order_by("group__area__position", "title", "id")
    )


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def structured(recommendation: Recommendation) -> dict:
    """One recommendation as nested data (the JSON export; the flat formats join its lists)."""
    goals = list(recommendation.goals.all())
    position_of = {goal.pk: goal.position for goal in goals}
    assessments = {a.kind: a for a in current_assessments(recommendation)}
    return {
        "id": recommendation.pk,
        "area": recommendation.group.area.name_pl,
        "group": recommendation.group.slug,
        "title": recommendation.title,
        "status": recommendation.status,
        "vision": recommendation.vision,
        "diagnosis": recommendation.diagnosis,
        "goals": [{"number": goal.position, "text": goal.text} for goal in goals],
        "directions": [
            {
                "number": direction.position,
                "title": direction.title,
                "description": direction.description,
                "goals": sorted(position_of[goal.pk] for goal in direction.goals.all()),
            }
            for direction in recommendation.directions.all()
        ],
        "evidence_count": recommendation.evidence_count,
        "assessments": {
            kind: (
                {
                    "verdict": assessments[kind].verdict,
                    "justification": assessments[kind].justification,
                    "recorded_at": _iso(assessments[kind].created_at),
                }
                if kind in assessments
                else None
            )
            for kind in AssessmentKind.values
        },
        "submitted_at": _iso(recommendation.submitted_at),
        "verified_at": _iso(recommendation.verified_at),
    }


COLUMNS = [
    "id", "area", "group", "title", "status", "vision", "diagnosis", "goals", "directions", "evidence_count",
    "legality_verdict", "legality_justification", "feasibility_verdict", "feasibility_justification",
    "financing_verdict", "financing_justification", "submitted_at", "verified_at",
]  # fmt: skip


def flat_row(data: dict) -> list:
    """One row of a spreadsheet: statuses and verdicts as labels in the active language (JSON keeps codes)."""
    statuses = dict(RecommendationStatus.choices)
    verdicts = dict(Verdict.choices)
    goals = "\n".join(f"{goal['number']}. {goal['text']}" for goal in data["goals"])
    directions = "\n".join(
        f"{d['number']}. {d['title']}: {d['description']} ({_('goals')}: {', '.join(map(str, d['goals'])) or '—'})"
        for d in data["directions"]
    )
    row = [
        data["id"], data["area"], data["group"], data["title"], str(statuses.get(data["status"], data["status"])),
        data["vision"],
        data["diagnosis"], goals, directions, data["evidence_count"],
    ]  # fmt: skip
    for kind in AssessmentKind.values:
        assessment = data["assessments"][kind]
        verdict = str(verdicts.get(assessment["verdict"], assessment["verdict"])) if assessment else ""
        row += [verdict, assessment["justification"]] if assessment else ["", ""]
    row += [data["submitted_at"], data["verified_at"]]
    return [safe_cell(value) for value in row]


def to_csv(recommendations) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for recommendation in recommendations:
        writer.writerow(flat_row(structured(recommendation)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(recommendations) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("recommendations")
    sheet.append(COLUMNS)
    for recommendation in recommendations:
        sheet.append(flat_row(structured(recommendation)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(recommendations) -> bytes:
    data = [structured(recommendation) for recommendation in recommendations]
    return json.dumps({"recommendations": data}, ensure_ascii=False, indent=2).encode("utf-8")
