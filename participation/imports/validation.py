"""Validating rows against the reference data held in memory; the `Preview` staff confirm."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.spreadsheets import looks_like_formula, unquote_cell
from stages.models import ParticipationWindow, Stage, WindowKind

from ..models import (
    AgeBracket,
    Area,
    Channel,
    District,
    Event,
    Opinion,
)
from .formats import (
    AGE_ALIASES,
    COLUMN_LABELS,
    COLUMNS,
    ENCODING_AUTO,
    ERRORS_SHOWN,
    REQUIRED_COLUMNS,
    SAMPLE_SIZE,
    ImportFileError,
    normalize,
    parse_date,
)
from .reading import Table, read_table


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class Preview:
    """What importing the file would do. Nothing is written while building it."""

    total_rows: int = 0
    to_create: list[dict] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    # Cells starting with "=", "+", "-" or "@": imported as text, shown to staff to check.
    formula_cells: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""

    @property
    def encoding_label(self) -> str:
        labels = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "cp1250": "Windows-1250"}
        return labels.get(self.encoding, self.encoding)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    @property
    def create_count(self) -> int:
        return len(self.to_create)

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:ERRORS_SHOWN]

    @property
    def errors_hidden(self) -> int:
        return max(0, len(self.errors) - ERRORS_SHOWN)

    SAMPLE_SIZE = SAMPLE_SIZE

    @property
    def formula_cells_shown(self) -> list[RowError]:
        return self.formula_cells[:ERRORS_SHOWN]

    @property
    def formula_rows(self) -> set[int]:
        return {cell.row for cell in self.formula_cells_shown}

    @property
    def sample(self) -> list[dict]:
        """The first rows, and every later row with a cell that starts like a formula."""
        flagged = self.formula_rows
        return self.to_create[:SAMPLE_SIZE] + [row for row in self.to_create[SAMPLE_SIZE:] if row["row"] in flagged]

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def counts_by_area(self) -> list[tuple[str, int]]:
        return Counter(row["area"].name for row in self.to_create).most_common()


class Reference:
    """Areas, districts, channels, events and stages, indexed for matching: a few queries in all."""

    def __init__(self):
        self.areas = {}
        for area in Area.objects.all():
            for key in (area.name_pl, area.name_en, area.slug):
                if key:
                    self.areas.setdefault(normalize(key), area)
        self.area_names = [area.name_pl for area in Area.objects.all()]
        self.districts = {}
        districts = list(District.objects.all())
        for district in districts:
            for key in (district.name, district.slug):
                self.districts.setdefault(normalize(key), district)
        self.channels = {}
        for channel in Channel.objects.all():
            for key in (channel.name_pl, channel.name_en, channel.code):
                if key:
                    self.channels.setdefault(normalize(key), channel)
        self.channel_names = [channel.name_pl for channel in Channel.objects.filter(is_online=False)]
        self.events_by_id = {}
        self.events_by_title = {}
        for event in Event.objects.select_related("stage", "channel", "district"):
            self.events_by_id[str(event.pk)] = event
            self.events_by_title.setdefault(normalize(event.title), []).append(event)
        self.stages = list(Stage.objects.order_by("number"))
        window = (
            ParticipationWindow.objects.select_related("stage")
            .filter(kind=WindowKind.OPINIONS)
            .order_by("-stage__number")
            .first()
        )
        self.opinions_stage = window.stage if window else None
        self.age = {normalize(value): value for value in AgeBracket.values}
        for language in ("pl", "en"):  # the labels of the portal's export, in either language
            with translation.override(language):
                self.age.update({normalize(str(label)): value for value, label in AgeBracket.choices})
        self.age.update({normalize(key): value for key, value in AGE_ALIASES.items()})

    def stage_for(self, day: datetime.date):
        """The stage the day falls in (the opinions stage first when stages overlap), else the opinions stage."""
        running = [stage for stage in self.stages if stage.starts_on <= day <= stage.ends_on]
        if self.opinions_stage and any(stage.pk == self.opinions_stage.pk for stage in running):
            return self.opinions_stage
        if running:
            return running[-1]
        return self.opinions_stage


def map_columns(
    header: list[str], *, columns=COLUMNS, required=REQUIRED_COLUMNS, labels=COLUMN_LABELS
) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    """Header cells -> ({column: index}, {column: header as written}, ignored headers, file errors).

    Other imports (consultation comments) pass their own columns, required columns and labels."""
    aliases = {normalize(alias): column for column, names in columns.items() for alias in names}
    aliases.update({normalize(column): column for column in columns})
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[str] = []
    keys = [normalize(cell) for cell in header]
    # The portal's own export has "id" (its number) and "external_id": "id" alone is an external id.
    id_is_portal_number = any(aliases.get(key) == "external_id" and key != "id" for key in keys)
    for index, cell in enumerate(header):
        key = keys[index]
        if not key:
            continue
        column = "portal_id" if key == "id" and id_is_portal_number else aliases.get(key)
        if column is None:
            ignored.append(str(cell).strip())
            continue
        if column in positions:
            errors.append(
                _("Columns “%(first)s” and “%(second)s” both mean “%(column)s”: keep one.")
                % {"first": written[column], "second": str(cell).strip(), "column": labels[column]}
            )
            continue
        positions[column] = index
        written[column] = str(cell).strip()
    missing = [column for column in required if column not in positions]
    if missing:
        errors.append(
            _("Required columns are missing: %(columns)s. The first row must name the columns (see the import format).")
            % {"columns": ", ".join(f"{column} ({labels[column]})" for column in missing)}
        )
    return positions, written, ignored, errors


def cell_text(value) -> str:
    """A cell as text; the apostrophe the portal's export puts before a formula-like text is dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return unquote_cell(str(value).strip())


def clean_text(text: str) -> str:
    """As the online form stores text: composed Polish letters (NFC, as macOS files may not be), LF line ends."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()


def fingerprint(row: dict, occurrence: int) -> str:
    """A hash of the content; the n-th identical row of a file gets its own (two people may write the same)."""
    parts = [
        " ".join(row["text"].split()).casefold(),
        str(row["area"].pk),
        str(row["district"].pk),
        str(row["channel"].pk),
        row["collected_on"].isoformat(),
        " ".join(row["place"].split()).casefold(),
        str(occurrence),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def validate(table: Table, *, reference: Reference | None = None, today: datetime.date | None = None) -> Preview:
    """Check every row; never writes. Rows already imported (same external id or fingerprint) are skipped."""
    reference = reference or Reference()
    today = today or timezone.localdate()
    preview = Preview(
        total_rows=len(table.rows), file_format=table.file_format, encoding=table.encoding, delimiter=table.delimiter
    )
    positions, written, preview.ignored_columns, preview.file_errors = map_columns(table.header)
    if preview.file_errors:
        return preview

    def cell(cells, column):
        index = positions.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    candidates = []
    seen_external: dict[str, int] = {}
    occurrences: Counter = Counter()
    in_portal = _opinions_in_portal(table, positions.get("portal_id"))
    for number, cells in table.rows:
        portal_text = in_portal.get(cell_text(cell(cells, "portal_id")))
        if portal_text is not None and portal_text == clean_text(cell_text(cell(cells, "text"))):
            preview.skipped += 1  # this very opinion, exported by the portal and read back
            continue
        errors = []
        for column, index in positions.items():
            value = cell_text(cells[index]) if index < len(cells) else ""
            if looks_like_formula(value):
                preview.formula_cells.append(
                    RowError(row=number, column=written.get(column, column), value=value[:80], message="")
                )

        def error(column, value, message, number=number, errors=errors):
            errors.append(
                RowError(row=number, column=written.get(column, column), value=cell_text(value)[:80], message=message)
            )

        row = {"row": number}
        text = clean_text(cell_text(cell(cells, "text")))
        if len(text) < Opinion.TEXT_MIN_LENGTH:
            error(
                "text",
                text,
                _("The text is empty or shorter than %(min)s characters.") % {"min": Opinion.TEXT_MIN_LENGTH},
            )
        elif len(text) > Opinion.IMPORTED_TEXT_MAX_LENGTH:
            error(
                "text",
                text,
                _("The text is longer than %(max)s characters (%(length)s).")
                % {"max": Opinion.IMPORTED_TEXT_MAX_LENGTH, "length": len(text)},
            )
        row["text"] = text

        event = None
        raw_event = cell_text(cell(cells, "event"))
        if raw_event:
            event = reference.events_by_id.get(raw_event.lstrip("#"))
            if event is None:
                matches = reference.events_by_title.get(normalize(raw_event), [])
                if len(matches) == 1:
                    event = matches[0]
                elif len(matches) > 1:
                    error("event", raw_event, _("Several events have this title: give the event's number instead."))
                else:
                    error("event", raw_event, _("No event has this number or title."))
        row["event"] = event

        raw_area = cell_text(cell(cells, "area"))
        row["area"] = reference.areas.get(normalize(raw_area))
        if row["area"] is None:
            if raw_area:
                error(
                    "area",
                    raw_area,
                    _("Unknown area. Use one of: %(names)s.") % {"names": ", ".join(reference.area_names)},
                )
            else:
                error("area", raw_area, _("The area is missing."))

        raw_district = cell_text(cell(cells, "district"))
        if not raw_district and event is not None:
            row["district"] = event.district
        else:
            row["district"] = reference.districts.get(normalize(raw_district))
            if row["district"] is None:
                if raw_district:
                    error("district", raw_district, _("Unknown district. Use a Lublin district name or “Cały Lublin”."))
                else:
                    error("district", raw_district, _("The district is missing."))

        raw_channel = cell_text(cell(cells, "channel"))
        if not raw_channel and event is not None:
            row["channel"] = event.channel
        else:
            row["channel"] = reference.channels.get(normalize(raw_channel))
            if row["channel"] is None:
                if raw_channel:
                    error(
                        "channel",
                        raw_channel,
                        _("Unknown channel. Use one of: %(names)s.") % {"names": ", ".join(reference.channel_names)},
                    )
                else:
                    error("channel", raw_channel, _("The channel is missing."))
            elif row["channel"].is_online:
                error(
                    "channel",
                    raw_channel,
                    _(
                        "The online form is for opinions sent through the portal; give the channel the opinion came through."
                    ),
                )

        place = clean_text(cell_text(cell(cells, "place")))
        if not place and event is not None:
            place = event.place
        if len(place) > 200:
            error("place", place, _("The place is longer than 200 characters."))
        row["place"] = place

        raw_date = cell(cells, "collected_on")
        collected_on = parse_date(raw_date) if cell_text(raw_date) else None
        if collected_on is None:
            if cell_text(raw_date):
                error("collected_on", raw_date, _("Not a date. Write it as YYYY-MM-DD or DD.MM.YYYY."))
            else:
                error("collected_on", raw_date, _("The date is missing."))
        elif collected_on > today:
            error("collected_on", raw_date, _("The date is in the future."))
        row["collected_on"] = collected_on

        raw_age = cell_text(cell(cells, "age_bracket"))
        row["age_bracket"] = ""
        if raw_age:
            row["age_bracket"] = reference.age.get(normalize(raw_age), "")
            if not row["age_bracket"]:
                error(
                    "age_bracket",
                    raw_age,
                    _("Unknown age bracket. Use one of: %(values)s.") % {"values": ", ".join(AgeBracket.values)},
                )

        external_id = cell_text(cell(cells, "external_id"))
        if len(external_id) > 100:
            error("external_id", external_id, _("The external id is longer than 100 characters."))
        elif external_id:
            if external_id in seen_external:
                error(
                    "external_id",
                    external_id,
                    _("The same external id is already used in row %(row)s.") % {"row": seen_external[external_id]},
                )
            else:
                seen_external[external_id] = number
        row["external_id"] = external_id or None

        if errors:
            preview.errors.extend(errors)
            continue
        row["stage"] = reference.stage_for(collected_on)
        if row["external_id"] is None:
            key = fingerprint(row, 0)
            occurrences[key] += 1
            row["import_fingerprint"] = fingerprint(row, occurrences[key] - 1)
        else:
            row["import_fingerprint"] = None
        candidates.append(row)

    existing_ids, existing_prints = _already_imported(candidates)
    for row in candidates:
        seen_before = (row["external_id"] is not None and row["external_id"] in existing_ids) or (
            row["import_fingerprint"] is not None and row["import_fingerprint"] in existing_prints
        )
        if seen_before:
            preview.skipped += 1
        else:
            preview.to_create.append(row)
    return preview


def _opinions_in_portal(table: Table, index: int | None) -> dict[str, str]:
    """{number: text} of the opinions a file's "number in the portal" column names (a query per 5,000)."""
    if index is None:
        return {}
    numbers = sorted(
        {int(text) for _, cells in table.rows if index < len(cells) if (text := cell_text(cells[index])).isdigit()}
    )
    found: dict[str, str] = {}
    for start in range(0, len(numbers), 5000):
        for pk, text in Opinion.objects.filter(pk__in=numbers[start : start + 5000]).values_list("pk", "text"):
            found[str(pk)] = text
    return found


def _already_imported(rows: list[dict]) -> tuple[set[str], set[str]]:
    ids = [row["external_id"] for row in rows if row["external_id"] is not None]
    prints = [row["import_fingerprint"] for row in rows if row["import_fingerprint"] is not None]
    existing_ids: set[str] = set()
    existing_prints: set[str] = set()
    for start in range(0, len(ids), 5000):
        existing_ids.update(
            Opinion.objects.filter(external_id__in=ids[start : start + 5000]).values_list("external_id", flat=True)
        )
    for start in range(0, len(prints), 5000):
        existing_prints.update(
            Opinion.objects.filter(import_fingerprint__in=prints[start : start + 5000]).values_list(
                "import_fingerprint", flat=True
            )
        )
    return existing_ids, existing_prints


def preview_file(path: Path, *, name: str = "", encoding: str = ENCODING_AUTO) -> Preview:
    """Read and validate a stored file; a file-level problem becomes a `Preview` with file_errors."""
    try:
        table = read_table(path, name=name, encoding=encoding)
    except ImportFileError as error:
        return Preview(file_errors=list(error.messages))
    return validate(table)
