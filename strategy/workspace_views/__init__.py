"""The editorial workspace (/panel/strategia/): versions, the text block by block, goals and indicators,
coverage of recommendations, the checklist, internal comments, attachments, the team.

Views parse the input, call one service and redirect (or render the form again with the service's
message). Every page needs `strategy.read_workspace`; each action checks its own permission in the
service, and a version not readable by the person does not exist for them (404).

Each concern has its module (versions, text, elements, citations, evaluation, uploads, membership;
the shared helpers in common); this package exposes the views as `strategy.workspace_views.<name>`
for the URLconf."""

from .citations import citation_add, citation_remove, coverage
from .elements import direction_edit, goal_edit, goals, indicator_edit, services_decimal
from .evaluation import CHECKLIST_ACTIONS, checklist, comment_add, comment_answer, comments
from .membership import team
from .text import (
    block_history,
    block_new,
    block_page,
    chapter_create,
    chapter_edit,
    element_delete,
    element_move,
    section_create,
    section_edit,
)
from .uploads import attachments
from .versions import compare, home, version_create, version_page, version_state

__all__ = [
    "CHECKLIST_ACTIONS",
    "attachments",
    "block_history",
    "block_new",
    "block_page",
    "chapter_create",
    "chapter_edit",
    "checklist",
    "citation_add",
    "citation_remove",
    "comment_add",
    "comment_answer",
    "comments",
    "compare",
    "coverage",
    "direction_edit",
    "element_delete",
    "element_move",
    "goal_edit",
    "goals",
    "home",
    "indicator_edit",
    "section_create",
    "section_edit",
    "services_decimal",
    "team",
    "version_create",
    "version_page",
    "version_state",
]
