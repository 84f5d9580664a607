"""Writes about recommendations. Every one checks its permission itself, then the window and the state.

The workflow, and the only transitions the services allow:

    draft ──submit (leader, DRAFTING)──▶ submitted ──first assessment / start (coordinator, VERIFICATION)──▶ in verification
    returned ──submit──▶ submitted           in verification ──third assessment──▶ verified
    submitted | in verification ──return with reason (coordinator, VERIFICATION)──▶ returned
    verified ──include (coordinator)──▶ included in the strategy

Each concern has its module (the structure with its versions, evidence, the workflow, comments);
this package exposes them as `recommendations.services.<name>`."""

from .comments import comment_moderate, comment_submit, internal_comment_add
from .evidence import evidence_attach, evidence_detach
from .structure import (
    DirectionData,
    EditConflict,
    GoalData,
    Structure,
    recommendation_create,
    recommendation_update,
    snapshot,
    structure_of,
)
from .workflow import (
    ALLOWED_TRANSITIONS,
    assessment_record,
    completeness_problems,
    recommendation_include,
    recommendation_return,
    recommendation_start_verification,
    recommendation_submit,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "DirectionData",
    "EditConflict",
    "GoalData",
    "Structure",
    "assessment_record",
    "comment_moderate",
    "comment_submit",
    "completeness_problems",
    "evidence_attach",
    "evidence_detach",
    "internal_comment_add",
    "recommendation_create",
    "recommendation_include",
    "recommendation_return",
    "recommendation_start_verification",
    "recommendation_submit",
    "recommendation_update",
    "snapshot",
    "structure_of",
]
