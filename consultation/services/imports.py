"""Import of offline comments (meetings, paper forms, e-mails, letters) from CSV or XLSX.

The same guards as the opinion import, through its own helpers (participation.imports): the file is read by
`read_table` (size and row limits, UTF-8 / UTF-16 / Windows-1250, delimiters, XLSX bomb checks), headers are
matched by `map_columns` with this format's columns, errors are reported by row and column in a `Preview`,
and the whole file is imported in one transaction or nothing is. A row with an external id, or the same
content, imported before is skipped, so importing a file twice creates nothing new.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lublin2030.permissions import require_permission
from participation.imports import ImportFileError, ImportRejected, Preview, normalize, read_table
from participation.imports.formats import ENCODING_AUTO, parse_date
from participation.imports.validation import RowError, cell_text, clean_text, map_columns
from participation.models import ModerationAction, ModerationStatus

from ..fragments import Fragments
from ..models import OFFLINE_CHANNELS, Comment, CommentChannel, Consultation, SpeaksAs, Target
from .comments import OfflineData, check_offline
from .moderation import log_entries, public_comments_changed

MAX_ROWS = 5000  # a consultation's paper forms; more is a sign of a wrong file
BATCH_SIZE = 1000

COLUMNS = {
    "text": ["text", "comment", "uwaga", "tresc", "tresc uwagi"],
    "proposed_wording": ["proposed wording", "proponowane brzmienie", "propozycja zapisu", "propozycja zmiany"],
    "justification": ["justification", "uzasadnienie"],
    "fragment": ["fragment", "akapit", "paragraph", "dotyczy", "czego dotyczy", "klucz", "key"],
    "channel": ["channel", "kanal", "forma", "forma zgloszenia"],
    "received_on": ["received on", "data", "date", "data wplywu", "data zgloszenia"],
    "commenter": ["commenter", "zglaszajacy", "autor", "imie i nazwisko", "osoba"],
    "organisation": ["organisation", "organization", "organizacja", "instytucja", "w imieniu"],
    "meeting": ["meeting", "spotkanie"],
    "external_id": ["external id", "identyfikator", "id zewnetrzny", "id"],
}
REQUIRED_COLUMNS = ["text", "channel", "received_on"]
COLUMN_LABELS = {
    "text": gettext_lazy("comment"),
    "proposed_wording": gettext_lazy("proposed wording"),
    "justification": gettext_lazy("justification"),
    "fragment": gettext_lazy("fragment"),
    "channel": gettext_lazy("channel"),
    "received_on": gettext_lazy("received on"),
    "commenter": gettext_lazy("commenter"),
    "organisation": gettext_lazy("organisation"),
    "meeting": gettext_lazy("meeting"),
    "external_id": gettext_lazy("external id"),
}
CHANNEL_ALIASES = {
    "spotkanie": CommentChannel.MEETING,
    "debata": CommentChannel.MEETING,
    "papier": CommentChannel.PAPER,
    "formularz": CommentChannel.PAPER,
    "formularz papierowy": CommentChannel.PAPER,
    "email": CommentChannel.EMAIL,
    "e mail": CommentChannel.EMAIL,
    "poczta elektroniczna": CommentChannel.EMAIL,
    "list": CommentChannel.LETTER,
    "pismo": CommentChannel.LETTER,
    "poczta": CommentChannel.LETTER,
}


def _channels() -> dict[str, str]:
    names = {}
    for value in OFFLINE_CHANNELS:
        names[normalize(value)] = value
        names[normalize(CommentChannel(value).label)] = value
    for language in ("pl", "en"):
        from django.utils import translation

        with translation.override(language):
            for value in OFFLINE_CHANNELS:
                names[normalize(str(CommentChannel(value).label))] = value
    names.update({normalize(alias): value for alias, value in CHANNEL_ALIASES.items()})
    return names


def fingerprint(row: dict, occurrence: int) -> str:
    parts = [
        " ".join(row["text"].split()).casefold(),
        row["target"],
        row["key"],
        row["channel"],
        row["received_on"].isoformat(),
        " ".join(row["commenter_name"].split()).casefold(),
        str(occurrence),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def validate(consultation: Consultation, table) -> Preview:
    """Check every row against the consultation (its version's fragments, its meetings, its period)."""
    preview = Preview(
        total_rows=len(table.rows), file_format=table.file_format, encoding=table.encoding, delimiter=table.delimiter
    )
    positions, written, preview.ignored_columns, preview.file_errors = map_columns(
        table.header, columns=COLUMNS, required=REQUIRED_COLUMNS, labels=COLUMN_LABELS
    )
    if len(table.rows) > MAX_ROWS:
        preview.file_errors.append(
            _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": f"{MAX_ROWS:,}"}
        )
    if preview.file_errors:
        return preview
    fragments = Fragments(consultation)
    channels = _channels()
    meetings = list(consultation.meetings.select_related("event"))
    meetings_by_name = {}
    for meeting in meetings:
        meetings_by_name[str(meeting.event_id)] = meeting
        meetings_by_name.setdefault(normalize(meeting.event.title), meeting)
    today = timezone.localdate()
    seen_external: dict[str, int] = {}
    occurrences: Counter = Counter()
    candidates = []

    def cell(cells, column):
        index = positions.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        errors = []

        def error(column, value, message, number=number, errors=errors):
            errors.append(RowError(number, written.get(column, column), cell_text(value)[:80], message))

        row = {"row": number}
        for field in ("text", "proposed_wording", "justification"):
            row[field] = clean_text(cell_text(cell(cells, field)))
            if len(row[field]) > Comment.TEXT_MAX_LENGTH:
                error(field, row[field], _("Longer than %(max)s characters.") % {"max": Comment.TEXT_MAX_LENGTH})
        if len(row["text"]) < Comment.TEXT_MIN_LENGTH:
            error(
                "text",
                row["text"],
                _("The comment is empty or shorter than %(min)s characters.") % {"min": Comment.TEXT_MIN_LENGTH},
            )
        raw_fragment = cell_text(cell(cells, "fragment"))
        found = fragments.find(raw_fragment)
        if found is None:
            error("fragment", raw_fragment, _("No fragment of the consulted version has this number or key."))
            found = (Target.DOCUMENT, "")
        row["target"], row["key"] = found
        if row["target"] == Target.NEW_PROVISION and not row["proposed_wording"]:
            error("proposed_wording", "", _("A new provision needs its proposed wording."))
        raw_channel = cell_text(cell(cells, "channel"))
        row["channel"] = channels.get(normalize(raw_channel), "")
        if not row["channel"]:
            error("channel", raw_channel, _("Unknown channel. Use: meeting, paper form, e-mail or letter."))
        raw_date = cell(cells, "received_on")
        row["received_on"] = parse_date(raw_date) if cell_text(raw_date) else None
        raw_meeting = cell_text(cell(cells, "meeting"))
        row["meeting"] = meetings_by_name.get(raw_meeting.lstrip("#")) or meetings_by_name.get(normalize(raw_meeting))
        if raw_meeting and row["meeting"] is None:
            error("meeting", raw_meeting, _("No meeting of this consultation has this number or title."))
        elif row["channel"] == CommentChannel.MEETING and row["meeting"] is None and len(meetings) == 1:
            row["meeting"] = meetings[0]
        if row["received_on"] is None:
            error("received_on", raw_date, _("Not a date. Write it as YYYY-MM-DD or DD.MM.YYYY."))
        elif row["channel"]:
            offline = OfflineData(channel=row["channel"], received_on=row["received_on"], meeting=row["meeting"])
            for column, message in check_offline(consultation, offline, today):
                error(column, raw_date if column == "received_on" else raw_meeting, message)
        organisation = " ".join(cell_text(cell(cells, "organisation")).split())
        commenter = " ".join(cell_text(cell(cells, "commenter")).split())
        row["speaks_as"] = SpeaksAs.ORGANISATION if organisation else SpeaksAs.PERSON
        row["commenter_name"] = organisation or commenter
        if len(row["commenter_name"]) > Comment.NAME_MAX_LENGTH:
            error(
                "commenter",
                row["commenter_name"],
                _("Longer than %(max)s characters.") % {"max": Comment.NAME_MAX_LENGTH},
            )
        external_id = cell_text(cell(cells, "external_id"))
        if len(external_id) > 100:
            error("external_id", external_id, _("The external id is longer than 100 characters."))
        elif external_id in seen_external:
            error(
                "external_id",
                external_id,
                _("The same external id is already used in row %(row)s.") % {"row": seen_external[external_id]},
            )
        elif external_id:
            seen_external[external_id] = number
        row["external_id"] = external_id or None
        if errors:
            preview.errors.extend(errors)
            continue
        if row["external_id"] is None:
            occurrences[fingerprint(row, 0)] += 1
            row["import_fingerprint"] = fingerprint(row, occurrences[fingerprint(row, 0)] - 1)
        else:
            row["import_fingerprint"] = None
        candidates.append(row)

    known = Comment.objects.filter(consultation=consultation)
    ids = set(
        known.filter(external_id__in=[r["external_id"] for r in candidates if r["external_id"]]).values_list(
            "external_id", flat=True
        )
    )
    prints = set(
        known.filter(
            import_fingerprint__in=[r["import_fingerprint"] for r in candidates if r["import_fingerprint"]]
        ).values_list("import_fingerprint", flat=True)
    )
    for row in candidates:
        if row["external_id"] in ids or row["import_fingerprint"] in prints:
            preview.skipped += 1
        else:
            preview.to_create.append(row)
    return preview


def preview_file(consultation: Consultation, path: Path, *, name: str = "", encoding: str = ENCODING_AUTO) -> Preview:
    try:
        table = read_table(path, name=name, encoding=encoding)
    except ImportFileError as error:
        return Preview(file_errors=list(error.messages))
    return validate(consultation, table)


@dataclass
class ImportResult:
    created: int
    skipped: int


def comments_import(
    *, actor, consultation: Consultation, path: Path, name: str = "", encoding: str = ENCODING_AUTO
) -> ImportResult:
    """Import a whole file or nothing. Raises `ImportFileError` (unreadable file) or `ImportRejected` (rows
    with errors, with the preview). Imported comments are published (staff read them) and logged."""
    require_permission(actor, "consultation.enter_comments", consultation)
    table = read_table(path, name=name, encoding=encoding)
    try:
        with transaction.atomic(durable=True):
            locked = Consultation.objects.select_for_update().select_related("version").get(pk=consultation.pk)
            if not locked.announced_at or locked.report_generated_at:
                raise ImportFileError(
                    _("Comments are entered between the announcement and the generation of the report."), code="closed"
                )
            preview = validate(locked, table)
            if not preview.ok:
                raise ImportRejected(preview)
            created = _create(actor, locked, preview.to_create)
    except IntegrityError as error:
        raise ImportFileError(
            _(
                "Some of these rows were imported a moment ago by someone else. Upload the file again to see what is left."
            ),
            code="concurrent",
        ) from error
    return ImportResult(created=created, skipped=preview.skipped)


def _create(actor, consultation: Consultation, rows: list[dict]) -> int:
    from .comments import resolve_target

    if not rows:
        return 0
    now = timezone.now()
    first = consultation.last_number + 1
    consultation.last_number += len(rows)
    Consultation.objects.filter(pk=consultation.pk).update(last_number=consultation.last_number)
    targets: dict[tuple[str, str], dict] = {}
    comments = []
    for offset, row in enumerate(rows):
        place = (row["target"], row["key"])
        if place not in targets:  # one lookup per distinct fragment, not per row
            targets[place] = resolve_target(consultation, *place)
        comments.append(
            Comment(
                consultation=consultation,
                version=consultation.version,
                number=first + offset,
                target=row["target"],
                text=row["text"],
                proposed_wording=row["proposed_wording"],
                justification=row["justification"],
                speaks_as=row["speaks_as"],
                commenter_name=row["commenter_name"],
                channel=row["channel"],
                received_on=row["received_on"],
                meeting=row["meeting"],
                external_id=row["external_id"],
                import_fingerprint=row["import_fingerprint"],
                entered_by=actor,
                status=ModerationStatus.PUBLISHED,
                moderated_by=actor,
                moderated_at=now,
                published_at=now,
                **targets[place],
            )
        )
    created = Comment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
    log_entries(
        actor=actor,
        action=ModerationAction.IMPORT,
        comment_ids=[comment.pk for comment in created],
        reason=_("Imported from a file (%(count)d comments).") % {"count": len(created)},
    )
    public_comments_changed(consultation.pk)
    return len(created)
