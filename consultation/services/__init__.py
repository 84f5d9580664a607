"""Writes of the consultation, one module per concern; every one checks its permission itself.

- consultations.py: preparing, announcing (art. 6 ust. 4–5: at least 35 days), meetings;
- comments.py: comments online (verified accounts, while open) and entered by staff; numbering;
- moderation.py: moderation for abuse, as for opinions (reasons, the moderation log);
- imports.py: offline comments from CSV/XLSX with the opinion import's guards;
- triage.py: assigning, grouping, answering one by one or in bulk;
- changes.py: blocks of the post-consultation draft citing the comments that changed them;
- report.py: the report (art. 6 ust. 6), its PDF, the e-mails to commenters, the coordinators' reminders.
"""

from .changes import change_cite, change_uncite
from .comments import CommentData, OfflineData, closed_message, comment_enter, comment_submit, resolve_target
from .consultations import (
    ConsultationData,
    MeetingData,
    consultation_announce,
    consultation_create,
    consultation_update,
    meeting_add,
    meeting_update,
    period_problem,
)
from .imports import comments_import, preview_file
from .moderation import comment_moderate, comments_moderate_bulk, public_comments_changed, public_version_name
from .report import (
    commenters_notify,
    reminders_send,
    report_generate,
    report_pdf_request,
    report_problems,
    report_publish,
)
from .triage import (
    check_justification,
    comment_answer,
    comments_answer_bulk,
    comments_assign,
    comments_group,
    group_create,
    group_delete,
)

__all__ = [
    "CommentData",
    "ConsultationData",
    "MeetingData",
    "OfflineData",
    "change_cite",
    "change_uncite",
    "check_justification",
    "closed_message",
    "comment_answer",
    "comment_enter",
    "comment_moderate",
    "comment_submit",
    "commenters_notify",
    "comments_answer_bulk",
    "comments_assign",
    "comments_group",
    "comments_import",
    "comments_moderate_bulk",
    "consultation_announce",
    "consultation_create",
    "consultation_update",
    "group_create",
    "group_delete",
    "meeting_add",
    "meeting_update",
    "period_problem",
    "preview_file",
    "public_comments_changed",
    "public_version_name",
    "reminders_send",
    "resolve_target",
    "report_generate",
    "report_pdf_request",
    "report_problems",
    "report_publish",
]
