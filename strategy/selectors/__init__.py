"""Reads about the strategy document: versions, the document tree in a fixed number of queries,
coverage of the included recommendations, where a recommendation landed, history, progress.

Each has its module (versions, document, recommendations, workspace, progress); this package exposes
them as `strategy.selectors.<name>`."""

from .document import Document, block_by_key, block_history, block_place, document, latest_public_block, search, snippet
from .progress import Progress, progress, version_in_progress
from .recommendations import (
    CoverageRow,
    Landing,
    citable_recommendations,
    citations_of,
    coverage,
    included_recommendations,
    landing,
    uncovered_recommendations,
)
from .versions import (
    all_versions,
    current_strategy,
    latest_public_version,
    public_versions,
    state_changes,
    version_by_number,
    version_pdf,
    working_version,
)
from .workspace import checklist, former_team, internal_comments, open_comment_counts, staff_attachments, team

__all__ = [
    "CoverageRow",
    "Document",
    "Landing",
    "Progress",
    "all_versions",
    "block_by_key",
    "block_history",
    "block_place",
    "checklist",
    "citable_recommendations",
    "citations_of",
    "coverage",
    "current_strategy",
    "document",
    "former_team",
    "included_recommendations",
    "internal_comments",
    "landing",
    "latest_public_block",
    "latest_public_version",
    "open_comment_counts",
    "progress",
    "public_versions",
    "search",
    "snippet",
    "staff_attachments",
    "state_changes",
    "team",
    "uncovered_recommendations",
    "version_by_number",
    "version_in_progress",
    "version_pdf",
    "working_version",
]
