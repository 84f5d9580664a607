"""A readable difference between two versions, field by field, word by word.

Removed words are wrapped in <del>, added ones in <ins>, each with a visually hidden text
alternative ("removed:" / "added:") so that the change does not depend on colour or strikethrough.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import RecommendationStatus

TOKEN = re.compile(r"\s+|[\w\-]+|[^\w\s]", re.UNICODE)


@dataclass
class FieldDiff:
    label: str
    changed: bool
    html: SafeString


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> SafeString:
    """HTML of `new` with the words removed from `old` in <del> and the added ones in <ins>."""
    a, b = _tokens(old), _tokens(new)
    removed, added = escape(_("removed:")), escape(_("added:"))
    end = escape(_("end of change"))
    # The common beginning and end are equal as they are: comparing only the middle gives the same
    # result, and a small edit of a long text (the usual case) costs next to nothing.
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    parts = [escape("".join(a[:prefix]))]
    tail = escape("".join(a[len(a) - suffix :])) if suffix else ""
    a, b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(
                f'<del><span class="visually-hidden">[{removed} </span>{escape("".join(a[i1:i2]))}'
                f'<span class="visually-hidden"> {end}]</span></del>'
            )
        if tag in ("insert", "replace"):
            parts.append(
                f'<ins><span class="visually-hidden">[{added} </span>{escape("".join(b[j1:j2]))}'
                f'<span class="visually-hidden"> {end}]</span></ins>'
            )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _goals_text(snapshot: dict) -> str:
    return "\n".join(f"{number}. {goal['text']}" for number, goal in enumerate(snapshot.get("goals", []), start=1))


def _directions_text(snapshot: dict) -> str:
    blocks = []
    for number, direction in enumerate(snapshot.get("directions", []), start=1):
        goals = ", ".join(str(goal) for goal in direction.get("goals", [])) or "—"
        blocks.append(
            f"{number}. {direction['title']}\n{direction.get('description', '')}\n"
            + _("Goals it serves: %(goals)s") % {"goals": goals}
        )
    return "\n\n".join(blocks)


def _evidence_text(snapshot: dict) -> str:
    return ", ".join(f"#{opinion_id}" for opinion_id in snapshot.get("evidence", [])) or "—"


def _status_text(snapshot: dict) -> str:
    status = snapshot.get("status")
    return str(RecommendationStatus(status).label) if status in RecommendationStatus.values else ""


FIELDS = [
    (lambda: _("Title"), lambda s: s.get("title", "")),
    (lambda: _("Vision"), lambda s: s.get("vision", "")),
    (lambda: _("Diagnosis"), lambda s: s.get("diagnosis", "")),
    (lambda: _("Goals"), _goals_text),
    (lambda: _("Recommended directions of action"), _directions_text),
    (lambda: _("Evidence: opinions"), _evidence_text),
    (lambda: _("Status"), _status_text),
]


def compare(old: dict, new: dict) -> list[FieldDiff]:
    result = []
    for label, text_of in FIELDS:
        before, after = text_of(old), text_of(new)
        result.append(FieldDiff(label=label(), changed=before != after, html=word_diff(before, after)))
    return result
