"""The strategy document (art. 10e u.s.g.): numbered versions of a tree of chapters, sections and text
blocks, beside its strategic goals, directions of action and indicators.

Stable keys. Every chapter, section, block, goal, direction, indicator and attachment has a `key`
(ten characters) that never changes while it is edited and is copied into the next version, so a
comment, a citation, a diff or a permalink points at "this paragraph" in every version. Rows are
per version: creating the next version copies every row with its key; a row id belongs to one
version only and must never be used to follow an element across versions (docs/strategy.md).

States. Only the version in the `working` state is editable (at most one per strategy); every other
version is frozen and the services refuse an edit of it. Public states (consultation draft, after
consultation, adopted, amended) are readable by everyone; their text never changes again.

Each part has its module (versions and keys, text, elements, citations, team, evaluation,
attachments); this package exposes them all as `strategy.models.<name>`, where Django and the
migrations look for them."""

from .attachments import Attachment, AttachmentKind, AttachmentQuerySet
from .citations import Citation, RecommendationExplanation
from .elements import Dimension, Direction, DirectionKind, Frequency, Indicator, Polarity, StrategicGoal
from .evaluation import (
    SETTLED_STATUSES,
    ChecklistItem,
    ChecklistPhase,
    ChecklistTemplateItem,
    CommentStatus,
    InternalComment,
    ItemStatus,
)
from .team import EDITORIAL_ROLES, TeamMembership, TeamRole
from .text import REQUIRED_ELEMENTS, Block, BlockKind, BlockRevision, Chapter, ChapterElement, Section
from .versions import (
    EDITABLE_STATES,
    INTERNAL_COMMENT_STATES,
    KEY_ALPHABET,
    KEY_LENGTH,
    PUBLIC_STATES,
    Strategy,
    StrategyVersion,
    VersionedElement,
    VersionedQuerySet,
    VersionQuerySet,
    VersionState,
    VersionStateChange,
    new_key,
)

__all__ = [
    "Attachment",
    "AttachmentKind",
    "AttachmentQuerySet",
    "Block",
    "BlockKind",
    "BlockRevision",
    "Chapter",
    "ChapterElement",
    "ChecklistItem",
    "ChecklistPhase",
    "ChecklistTemplateItem",
    "Citation",
    "CommentStatus",
    "Dimension",
    "Direction",
    "DirectionKind",
    "EDITABLE_STATES",
    "EDITORIAL_ROLES",
    "Frequency",
    "INTERNAL_COMMENT_STATES",
    "Indicator",
    "InternalComment",
    "ItemStatus",
    "KEY_ALPHABET",
    "KEY_LENGTH",
    "PUBLIC_STATES",
    "Polarity",
    "REQUIRED_ELEMENTS",
    "RecommendationExplanation",
    "SETTLED_STATUSES",
    "Section",
    "StrategicGoal",
    "Strategy",
    "StrategyVersion",
    "TeamMembership",
    "TeamRole",
    "VersionQuerySet",
    "VersionState",
    "VersionStateChange",
    "VersionedElement",
    "VersionedQuerySet",
    "new_key",
]

# Stage VIII (adoption) keeps its models beside the package that uses them; Django finds them through here.
from ..adoption.models import AdoptionStep, Resolution, ResolutionCorrection  # noqa: E402, F401
