"""Writes about the strategy document. Every one checks its permission itself, then the version's state.

The life of a version, and the only transitions these services allow:

    working ──submit (team or city; every included recommendation cited or explained)──▶ internal review
    internal review ──return with a reason──▶ working
    internal review ──publish (coordinator; mandatory checklist items settled, comments answered)──▶ consultation draft
    internal review ──publish the final draft (stage VIII, strategy.adoption)──▶ after consultation
    after consultation ──resolution recorded (strategy.adoption)──▶ adopted (the first time) or amended

A new version is created from any frozen one (never while another is working): every row is copied
with its stable key. Only the working version is editable: every edit locks the version row first,
so an edit and a change of state never cross, then checks the element's revision (optimistic
locking: a stale save is an EditConflict and writes nothing). Stage V and VI open no participation
window: these writes depend on the version's state, not on the calendar (docs/strategy.md).

Each concern has its module (common steps and errors, team, versions, text, elements, citations,
evaluation, attachments); this package exposes them as `strategy.services.<name>`."""

from .attachments import attachment_add, attachment_remove
from .citations import citation_add, citation_remove, explanation_remove, explanation_set
from .common import EditConflict, FrozenVersion, V
from .elements import (
    DirectionData,
    GoalData,
    IndicatorData,
    direction_save,
    element_delete,
    element_move,
    goal_save,
    indicator_save,
    indicator_values,
)
from .evaluation import (
    ChecklistData,
    checklist_item_add,
    checklist_item_remove,
    checklist_item_update,
    internal_comment_add,
    internal_comment_answer,
)
from .team import team_grant, team_withdraw
from .text import (
    block_create,
    block_delete,
    block_move,
    block_update,
    chapter_create,
    chapter_delete,
    chapter_move,
    chapter_update,
    checked_text,
    section_create,
    section_delete,
    section_move,
    section_update,
)
from .versions import (
    PDF_LANGUAGE,
    TRANSITIONS,
    publication_problems,
    version_create,
    version_pdf_request,
    version_publish,
    version_return_to_drafting,
    version_submit_for_review,
)

__all__ = [
    "ChecklistData",
    "DirectionData",
    "EditConflict",
    "FrozenVersion",
    "GoalData",
    "IndicatorData",
    "PDF_LANGUAGE",
    "TRANSITIONS",
    "V",
    "attachment_add",
    "attachment_remove",
    "block_create",
    "block_delete",
    "block_move",
    "block_update",
    "chapter_create",
    "chapter_delete",
    "chapter_move",
    "chapter_update",
    "checked_text",
    "checklist_item_add",
    "checklist_item_remove",
    "checklist_item_update",
    "citation_add",
    "citation_remove",
    "direction_save",
    "element_delete",
    "element_move",
    "explanation_remove",
    "explanation_set",
    "goal_save",
    "indicator_save",
    "indicator_values",
    "internal_comment_add",
    "internal_comment_answer",
    "publication_problems",
    "section_create",
    "section_delete",
    "section_move",
    "section_update",
    "team_grant",
    "team_withdraw",
    "version_create",
    "version_pdf_request",
    "version_publish",
    "version_return_to_drafting",
    "version_submit_for_review",
]
