"""Import of opinions collected offline (paper forms, mobile points, cafés) from CSV or XLSX.

Two steps, both over the same stored file:

1. `read_table(path, ...)` turns the file into rows of text safely: size and row limits, CSV in
   UTF-8 (with or without BOM), UTF-16 or Windows-1250 with comma, semicolon or tab delimiters,
   XLSX only after its zip directory and XML parts were checked for bombs and entity tricks, then
   read by a streaming expat reader (openpyxl is several times slower on 50,000 rows).
2. `validate(table)` matches every row against the reference data held in memory (areas,
   districts, channels, events, stages: a handful of queries for the whole file) and returns a
   `Preview`: what will be created, what was imported before, and every error by row and column.
3. `opinions_import(...)` (the service) validates again inside one transaction and creates the
   whole file with `bulk_create` in batches, or nothing at all.

The format is documented in docs/import-format.md. Per-row work is plain Python over dictionaries,
never a query per row, so 50,000 rows import in seconds. The model's field rules (text length,
place length, choices) are applied here by hand because `full_clean()` would query the database
for every foreign key of every row.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import hashlib
import io
import re
import secrets
import unicodedata
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stages.models import ParticipationWindow, Stage, WindowKind

from .models import (
    AgeBracket,
    Area,
    Channel,
    District,
    Event,
    ModerationAction,
    ModerationLogEntry,
    ModerationStatus,
    Opinion,
)

# Limits. A file over any of them is refused with a message before it is parsed.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 50  # cells right of this are ignored; the format has nine columns
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny parts may compress very well; they cannot hurt
XLSX_MAX_MEMBERS = 1000
BATCH_SIZE = 2000
ERRORS_SHOWN = 200

CSV = "csv"
XLSX = "xlsx"
ENCODING_AUTO = "auto"
ENCODINGS = {"utf-8": "utf-8", "windows-1250": "cp1250"}

# Canonical column -> accepted headers, compared after `normalize()` (lower case, no diacritics,
# spaces, dashes and underscores folded).
COLUMNS = {
    "text": ["text", "tresc", "opinia", "opinion", "tresc opinii"],
    "area": ["area", "obszar", "obszar strategiczny", "obszar tematyczny"],
    "district": ["district", "dzielnica"],
    "channel": ["channel", "kanal"],
    "place": ["place", "miejsce"],
    "collected_on": ["collected on", "data", "date", "data zebrania"],
    "age_bracket": ["age bracket", "wiek", "przedzial wieku", "age"],
    "event": ["event", "wydarzenie", "spotkanie"],
    "external_id": ["external id", "identyfikator", "id zewnetrzny", "id"],
}
REQUIRED_COLUMNS = ["text", "area", "district", "channel", "place", "collected_on"]
COLUMN_LABELS = {
    "text": gettext_lazy("text"),
    "area": gettext_lazy("area"),
    "district": gettext_lazy("district"),
    "channel": gettext_lazy("channel"),
    "place": gettext_lazy("place"),
    "collected_on": gettext_lazy("date collected"),
    "age_bracket": gettext_lazy("age bracket"),
    "event": gettext_lazy("event"),
    "external_id": gettext_lazy("external id"),
}

# Age brackets as people write them, besides the codes themselves.
AGE_ALIASES = {
    "ponizej 18": AgeBracket.UNDER_18,
    "do 17": AgeBracket.UNDER_18,
    "<18": AgeBracket.UNDER_18,
    "under 18": AgeBracket.UNDER_18,
    "65+": AgeBracket.FROM_65,
    "65 i wiecej": AgeBracket.FROM_65,
    "powyzej 64": AgeBracket.FROM_65,
    "65 and over": AgeBracket.FROM_65,
}

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ß": "ss"})
_SPACES = re.compile(r"[\s_\-–—]+")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read: too big, wrong type, wrong encoding, unsafe."""


class ImportRejected(ValidationError):
    """The file was read but some rows are wrong: nothing is imported."""

    def __init__(self, preview: Preview):
        self.preview = preview
        super().__init__(_("The file has errors; nothing was imported."), code="import_rejected")


def normalize(value) -> str:
    """Lower case, no diacritics, single spaces: 'Kanał ' == 'kanal' == 'KANAL'."""
    return _normalize(str(value or ""))


@functools.lru_cache(maxsize=8192)  # cells repeat: the same area, district and channel names
def _normalize(text: str) -> str:
    text = text.replace("\ufeff", "").translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text).strip().lower()


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of a file as text: `header` as written, `rows` as (row number, cells)."""

    header: list[str]
    rows: list[tuple[int, list]]
    file_format: str
    encoding: str = ""
    delimiter: str = ""


def detect_format(path: Path, name: str = "") -> str:
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start.startswith(b"PK\x03\x04"):
        return XLSX
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. "
                "Save it as .xlsx without a password, or as CSV, and upload it again."
            ),
            code="xls",
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file has an .xlsx name but is not an Excel workbook."), code="not_xlsx")
    return CSV


def read_table(path: Path, *, name: str = "", encoding: str = ENCODING_AUTO) -> Table:
    """Read a stored upload into a `Table`, refusing anything unsafe or too large."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB: split it into smaller files.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            code="too_large",
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."), code="empty")
    file_format = detect_format(path, name or path.name)
    if file_format == XLSX:
        try:
            return _read_xlsx(path)
        except ImportFileError:
            raise
        except Exception as error:  # corrupt deflate data, encrypted members…: a message, never a 500
            raise ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), code="bad_xlsx") from error
    return _read_csv(path, encoding)


def decode_text(data: bytes, encoding: str = ENCODING_AUTO) -> tuple[str, str]:
    """Decode CSV bytes: BOM first, then UTF-8, then Windows-1250 (what Polish Excel writes)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif encoding in ENCODINGS:
        candidates = [ENCODINGS[encoding]]
    else:
        candidates = ["utf-8", "cp1250"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, candidate
    if encoding == "utf-8":
        message = _("The file is not valid UTF-8 text. Choose “Windows-1250” or “detect automatically”.")
    else:
        message = _(
            "The file is not text in UTF-8 or Windows-1250 (or it is not a CSV file at all). "
            "In Excel use “Save as” → “CSV UTF-8 (comma delimited)” or upload the .xlsx workbook."
        )
    raise ImportFileError(message, code="encoding")


def _looks_like_text(text: str) -> bool:
    """No NUL or other control characters: binary files and UTF-16 without BOM fail here."""
    sample = text[:200_000]
    bad = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n")
    return bad == 0 and "\ufffd" not in sample


def _sniff_delimiter(text: str) -> str:
    first_line = ""
    for line in text.splitlines():
        if line.strip():
            first_line = line
            break
    counts = Counter()
    in_quotes = False
    for char in first_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in ";,\t":
            counts[char] += 1
    return counts.most_common(1)[0][0] if counts else ","


def _read_csv(path: Path, encoding: str) -> Table:
    data = Path(path).read_bytes()
    text, used = decode_text(data, encoding)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    header = None
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            if header is None:
                if any(cell.strip() for cell in cells):
                    header = cells[:MAX_COLUMNS]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, cells[:MAX_COLUMNS]))
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s: %(error)s") % {"line": reader.line_num, "error": error},
            code="csv",
        ) from error
    if header is None:
        raise ImportFileError(_("The file has no header row."), code="no_header")
    return Table(header=header, rows=rows, file_format=CSV, encoding=used, delimiter=delimiter)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": f"{MAX_ROWS:,}"},
        code="too_many_rows",
    )


_XML_DANGER = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xlsx_safety(path: Path) -> None:
    """Refuse zip bombs and XML entity tricks before openpyxl opens the workbook.

    Python's zipfile never returns more bytes than a member's declared size (and checks the
    CRC), so checking the declared sizes here bounds what openpyxl can ever read.
    """
    unsafe = ImportFileError(
        _(
            "The workbook cannot be imported safely (it expands too far or contains XML declarations "
            "that are not allowed). Open it in Excel, save it again as .xlsx and upload the new file."
        ),
        code="unsafe_xlsx",
    )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), code="bad_zip") from error
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            raise unsafe
        total = 0
        for member in members:
            total += member.file_size
            if total > XLSX_MAX_UNCOMPRESSED_BYTES:
                raise unsafe
            expands_too_far = member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)
            if member.file_size >= XLSX_RATIO_CHECK_FROM_BYTES and expands_too_far:
                raise unsafe
        for member in members:
            if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                _scan_xml_member(archive, member, unsafe)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                raise ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), code="bad_zip") from error


def _scan_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, unsafe: ImportFileError) -> None:
    tail = b""
    first = True
    with archive.open(member) as handle:
        while chunk := handle.read(256 * 1024):
            if first:
                first = False
                # XML parts of a workbook are UTF-8; UTF-16 could hide a DOCTYPE from the scan.
                if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in chunk[:512]:
                    raise unsafe
            if _XML_DANGER.search(tail + chunk):
                raise unsafe
            tail = chunk[-32:]


def _read_xlsx(path: Path) -> Table:
    check_xlsx_safety(path)
    header = None
    rows = []
    try:
        with zipfile.ZipFile(path) as archive:
            reader = _XlsxReader(archive)
            for number, values in reader.rows(MAX_COLUMNS):
                cells = ["" if value is None else value for value in values]
                if header is None:
                    if any(str(cell).strip() for cell in cells):
                        header = [str(cell) for cell in cells]
                    continue
                if not any(str(cell).strip() for cell in cells):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows()
                rows.append((number, cells))
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, expat.ExpatError) as error:
        raise ImportFileError(_("The file is not a valid Excel workbook (.xlsx)."), code="bad_xlsx") from error
    if header is None:
        raise ImportFileError(_("The first sheet has no header row."), code="no_header")
    return Table(header=header, rows=rows, file_format=XLSX)


class _XlsxReader:
    """A small streaming reader of the first sheet's cell values, on expat.

    openpyxl builds an object per cell and per inline string: 50,000 rows take it 30-40 seconds
    on this machine. This reads the same values (shared and inline strings, numbers, booleans,
    dates by their number format, cached results of formulas) in a few seconds. DTDs are refused
    by the parser itself, on top of the byte scan in `check_xlsx_safety`.
    """

    MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        names = {name.lower(): name for name in archive.namelist()}
        self.names = names
        self.date1904 = False
        self.sheet_path = self._first_sheet_path()
        self.shared = self._shared_strings()
        self.date_styles = self._date_styles()

    # -- parsing helpers ----------------------------------------------------------------------

    @staticmethod
    def _parser():
        parser = expat.ParserCreate(namespace_separator=" ")

        def forbid(*args):
            raise ValueError("DTD in a workbook part")

        parser.StartDoctypeDeclHandler = forbid
        parser.EntityDeclHandler = forbid
        parser.ExternalEntityRefHandler = forbid
        parser.buffer_text = True
        return parser

    @staticmethod
    def _local(name: str) -> str:
        return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]

    def _read(self, name: str) -> bytes | None:
        real = self.names.get(name.lower().lstrip("/"))
        return self.archive.read(real) if real else None

    def _parse_whole(self, name: str, start=None, end=None, text=None) -> bool:
        data = self._read(name)
        if data is None:
            return False
        parser = self._parser()
        if start:
            parser.StartElementHandler = lambda tag, attrs: start(self._local(tag), attrs)
        if end:
            parser.EndElementHandler = lambda tag: end(self._local(tag))
        if text:
            parser.CharacterDataHandler = text
        parser.Parse(data, True)
        return True

    # -- workbook structure -------------------------------------------------------------------

    def _first_sheet_path(self) -> str:
        sheets, targets = [], {}

        def workbook_start(tag, attrs):
            if tag == "sheet":
                sheets.append(
                    attrs.get(f"{self.RELS} id")
                    or next((v for k, v in attrs.items() if k.endswith(" id") or k.endswith(":id")), "")
                )
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.date1904 = True

        def rels_start(tag, attrs):
            if tag == "Relationship":
                targets[attrs.get("Id")] = attrs.get("Target", "")

        self._parse_whole("xl/workbook.xml", start=workbook_start)
        self._parse_whole("xl/_rels/workbook.xml.rels", start=rels_start)
        if not sheets or not targets.get(sheets[0]):
            raise ImportFileError(_("The workbook has no sheet."), code="no_sheet")
        target = targets[sheets[0]]
        return target.lstrip("/") if target.startswith("/") else "xl/" + target

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        state = {"in_t": False, "skip": 0}

        def start(tag, attrs):
            if tag == "si":
                parts.clear()
            elif tag in ("rPh", "phoneticPr"):
                state["skip"] += 1
            elif tag == "t" and not state["skip"]:
                state["in_t"] = True

        def end(tag):
            if tag == "si":
                strings.append("".join(parts))
            elif tag in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif tag == "t":
                state["in_t"] = False

        def text(data):
            if state["in_t"]:
                parts.append(data)

        self._parse_whole("xl/sharedStrings.xml", start, end, text)
        return strings

    def _date_styles(self) -> set[int]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom: dict[int, str] = {}
        xfs: list[int] = []
        state = {"in_xfs": False}

        def start(tag, attrs):
            if tag == "numFmt":
                custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                state["in_xfs"] = True
            elif tag == "xf" and state["in_xfs"]:
                xfs.append(int(attrs.get("numFmtId", "0") or 0))

        def end(tag):
            if tag == "cellXfs":
                state["in_xfs"] = False

        self._parse_whole("xl/styles.xml", start, end)
        dates = set()
        for index, format_id in enumerate(xfs):
            code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id, "")
            if code and is_date_format(code):
                dates.add(index)
        return dates

    # -- cells --------------------------------------------------------------------------------

    def _value(self, kind: str, raw: str, style: int):
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        if kind == "s":
            return self.shared[int(raw)] if raw.strip().isdigit() and int(raw) < len(self.shared) else ""
        if kind in ("inlineStr", "str"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e" or raw == "":
            return ""
        if kind == "d":
            return parse_date(raw[:10]) or raw
        try:
            number = float(raw)
        except ValueError:
            return raw
        if style in self.date_styles:
            try:
                return from_excel(number, CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900)
            except (OverflowError, ValueError):
                return raw
        return int(number) if number.is_integer() else number

    def rows(self, max_columns: int):
        """Yield (row number, [values]) for every row of the first sheet, values up to `max_columns`."""
        real = self.names.get(self.sheet_path.lower())
        if real is None:
            raise ImportFileError(_("The workbook has no sheet."), code="no_sheet")
        done: list[tuple[int, list]] = []
        state = {"row": 0, "cells": {}, "col": 0, "kind": "n", "style": 0, "collect": False, "parts": []}

        def start(tag, attrs):
            if tag == "c":
                ref = attrs.get("r", "")
                letters = ref.rstrip("0123456789")
                if letters:
                    column = 0
                    for letter in letters.upper():
                        column = column * 26 + ord(letter) - 64
                    state["col"] = column
                else:
                    state["col"] += 1
                state["kind"] = attrs.get("t", "n")
                state["style"] = int(attrs.get("s", "0") or 0)
                state["parts"] = []
            elif tag in ("v", "t"):
                state["collect"] = True
            elif tag == "row":
                number = attrs.get("r")
                state["row"] = int(number) if number and number.isdigit() else state["row"] + 1
                state["cells"] = {}
                state["col"] = 0

        def end(tag):
            if tag in ("v", "t"):
                state["collect"] = False
            elif tag == "c":
                if state["col"] <= max_columns:
                    state["cells"][state["col"]] = self._value(state["kind"], "".join(state["parts"]), state["style"])
            elif tag == "row":
                cells = state["cells"]
                width = max(cells, default=0)
                done.append((state["row"], [cells.get(index, "") for index in range(1, width + 1)]))

        def text(data):
            if state["collect"]:
                state["parts"].append(data)

        names: dict[str, str] = {}

        def local(tag):
            name = names.get(tag)
            if name is None:
                name = names[tag] = self._local(tag)
            return name

        parser = self._parser()
        parser.StartElementHandler = lambda tag, attrs: start(names.get(tag) or local(tag), attrs)
        parser.EndElementHandler = lambda tag: end(names.get(tag) or local(tag))
        parser.CharacterDataHandler = text
        with self.archive.open(real) as handle:
            while chunk := handle.read(256 * 1024):
                parser.Parse(chunk, False)
                yield from done
                done.clear()
            parser.Parse(b"", True)
            yield from done


# --------------------------------------------------------------------------------------------
# Validating rows
# --------------------------------------------------------------------------------------------


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

    @property
    def sample(self) -> list[dict]:
        return self.to_create[:20]

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
        self.age.update({normalize(label): value for value, label in AgeBracket.choices})
        self.age.update({normalize(key): value for key, value in AGE_ALIASES.items()})

    def stage_for(self, day: datetime.date):
        """The stage the day falls in (the opinions stage first when stages overlap), else the opinions stage."""
        running = [stage for stage in self.stages if stage.starts_on <= day <= stage.ends_on]
        if self.opinions_stage and any(stage.pk == self.opinions_stage.pk for stage in running):
            return self.opinions_stage
        if running:
            return running[-1]
        return self.opinions_stage


def map_columns(header: list[str]) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    """Header cells -> ({column: index}, {column: header as written}, ignored headers, file errors)."""
    aliases = {normalize(alias): column for column, names in COLUMNS.items() for alias in names}
    aliases.update({normalize(column): column for column in COLUMNS})
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[str] = []
    for index, cell in enumerate(header):
        key = normalize(cell)
        if not key:
            continue
        column = aliases.get(key)
        if column is None:
            ignored.append(str(cell).strip())
            continue
        if column in positions:
            errors.append(
                _("Columns “%(first)s” and “%(second)s” both mean “%(column)s”: keep one.")
                % {"first": written[column], "second": str(cell).strip(), "column": COLUMN_LABELS[column]}
            )
            continue
        positions[column] = index
        written[column] = str(cell).strip()
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        errors.append(
            _("Required columns are missing: %(columns)s. The first row must name the columns (see the import format).")
            % {"columns": ", ".join(f"{column} ({COLUMN_LABELS[column]})" for column in missing)}
        )
    return positions, written, ignored, errors


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_PL_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _PL_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


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
    for number, cells in table.rows:
        errors = []

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


# --------------------------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int
    skipped: int
    batch: str
    published: bool


def opinions_import(*, actor, path: Path, name: str = "", publish: bool, encoding: str = ENCODING_AUTO) -> ImportResult:
    """Import a whole file or nothing.

    Raises `ImportFileError` when the file cannot be read and `ImportRejected` (with the preview)
    when any row is wrong. Each created opinion gets one `import` entry in the moderation log,
    naming the file and the batch, so every opinion's history says who brought it in and when.
    """
    table = read_table(path, name=name, encoding=encoding)
    batch = uuid.uuid4().hex[:12]
    now = timezone.now()
    status = ModerationStatus.PUBLISHED if publish else ModerationStatus.PENDING
    try:
        with transaction.atomic():
            preview = validate(table)
            if not preview.ok:
                raise ImportRejected(preview)
            opinions = [
                Opinion(
                    text=row["text"],
                    area=row["area"],
                    district=row["district"],
                    channel=row["channel"],
                    stage=row["stage"],
                    event=row["event"],
                    place=row["place"],
                    collected_on=row["collected_on"],
                    age_bracket=row["age_bracket"],
                    author=None,
                    status=status,
                    published_at=now if publish else None,
                    moderated_by=actor if publish else None,
                    moderated_at=now if publish else None,
                    external_id=row["external_id"],
                    import_fingerprint=row["import_fingerprint"],
                )
                for row in preview.to_create
            ]
            created = Opinion.objects.bulk_create(opinions, batch_size=BATCH_SIZE)
            if created and created[0].pk is None:  # a backend that returns no ids
                keys = [o.external_id or o.import_fingerprint for o in created]
                created = list(_created_ids(keys))
            if publish:
                reason = _("Imported from “%(name)s” (batch %(batch)s) and published.")
            else:
                reason = _("Imported from “%(name)s” (batch %(batch)s), waiting for moderation.")
            reason = reason % {"name": name or Path(path).name, "batch": batch}
            if publish and opinions:
                from .services import bump_publication_version  # cached public lists and statistics

                bump_publication_version()
            _log_imports(actor=actor, opinion_ids=[opinion.pk for opinion in created], reason=reason, now=now)
    except IntegrityError as error:
        # Another import of the same rows committed between our check and our insert.
        raise ImportFileError(
            _(
                "Some of these rows were imported a moment ago by someone else. Upload the file again to see what is left."
            ),
            code="concurrent",
        ) from error
    return ImportResult(created=len(opinions), skipped=preview.skipped, batch=batch, published=publish)


def _log_imports(*, actor, opinion_ids: list[int], reason: str, now) -> None:
    """One `import` entry per opinion. On PostgreSQL a single INSERT … SELECT FROM unnest():
    building 50,000 log objects in Python costs several seconds for rows that differ by one id."""
    content_type = ContentType.objects.get_for_model(Opinion)
    if connection.vendor == "postgresql" and opinion_ids:
        meta = ModerationLogEntry._meta
        columns = ", ".join(
            connection.ops.quote_name(meta.get_field(name).column)
            for name in ("actor", "action", "content_type", "object_id", "reason", "created_at")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608 - names from _meta
                "SELECT %s, %s, %s, object_id, %s, %s FROM unnest(%s::bigint[]) AS object_id",
                [actor.pk if actor else None, ModerationAction.IMPORT, content_type.pk, reason, now, opinion_ids],
            )
        return
    ModerationLogEntry.objects.bulk_create(
        [
            ModerationLogEntry(
                actor=actor,
                action=ModerationAction.IMPORT,
                content_type=content_type,
                object_id=opinion_id,
                reason=reason,
            )
            for opinion_id in opinion_ids
        ],
        batch_size=BATCH_SIZE,
    )


def _created_ids(keys):
    external = [key for key in keys if key and len(key) != 64]
    prints = [key for key in keys if key and len(key) == 64]
    yield from Opinion.objects.filter(external_id__in=external).only("pk")
    yield from Opinion.objects.filter(import_fingerprint__in=prints).only("pk")


# --------------------------------------------------------------------------------------------
# Uploads kept between preview and confirmation
# --------------------------------------------------------------------------------------------

UPLOAD_MAX_AGE = datetime.timedelta(hours=6)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def upload_dir() -> Path:
    directory = Path(settings.PRIVATE_STORAGE_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def store_upload(uploaded_file) -> tuple[str, Path]:
    """Save an upload under PRIVATE_STORAGE_ROOT (never served by URL) under a random token."""
    purge_stale_uploads()
    token = secrets.token_urlsafe(24)
    path = upload_dir() / f"{token}.upload"
    written = 0
    with open(path, "wb") as handle:
        for chunk in uploaded_file.chunks():
            written += len(chunk)
            handle.write(chunk)
            if written > MAX_UPLOAD_BYTES:
                break  # read_table refuses it by its size; keep no more than the limit + 1 chunk
    return token, path


def upload_path(token: str) -> Path | None:
    if not token or not _TOKEN.match(token):
        return None
    path = upload_dir() / f"{token}.upload"
    return path if path.exists() else None


def discard_upload(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_stale_uploads() -> None:
    """Uploads abandoned at the preview are deleted after a few hours."""
    limit = timezone.now().timestamp() - UPLOAD_MAX_AGE.total_seconds()
    for path in upload_dir().glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


# --------------------------------------------------------------------------------------------
# Background jobs: a large confirmed import runs in a Celery worker, not in the request
# --------------------------------------------------------------------------------------------

JOB_SECONDS = 24 * 3600
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def _job_key(job_id: str) -> str:
    return f"participation:import-job:{job_id}"


def job_create(*, actor, token: str, name: str, encoding: str, publish: bool) -> str:
    job_id = secrets.token_urlsafe(16)
    state = {
        "status": QUEUED,
        "user_id": actor.pk,
        "token": token,
        "name": name,
        "encoding": encoding,
        "publish": publish,
        "created": 0,
        "skipped": 0,
        "messages": [],
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    from django.core.cache import cache

    cache.set(_job_key(job_id), state, JOB_SECONDS)
    return job_id


def job_state(job_id: str) -> dict | None:
    from django.core.cache import cache

    if not job_id or not _TOKEN.match(job_id):
        return None
    return cache.get(_job_key(job_id))


def _job_save(job_id: str, state: dict) -> None:
    from django.core.cache import cache

    cache.set(_job_key(job_id), state, JOB_SECONDS)


def run_import_job(*, job_id: str) -> dict | None:
    """What the Celery task runs: import the job's stored file and record the outcome.

    Safe to run twice (a worker lost mid-way, acks_late): the transaction of a lost run rolled
    back, and rows that did get imported are skipped as "already imported".
    """
    from accounts.models import User

    state = job_state(job_id)
    if state is None or state["status"] in (DONE, FAILED):
        return state
    path = upload_path(state["token"])
    if path is None:
        state.update(status=FAILED, messages=[_("The uploaded file is gone: upload it again.")])
        _job_save(job_id, state)
        return state
    state["status"] = RUNNING
    _job_save(job_id, state)
    actor = User.objects.filter(pk=state["user_id"]).first()
    with translation.override(state.get("language")):
        state = _run(state, actor, path)
    discard_upload(state["token"])
    _job_save(job_id, state)
    return state


def _run(state: dict, actor, path: Path) -> dict:
    try:
        result = opinions_import(
            actor=actor, path=path, name=state["name"], publish=state["publish"], encoding=state["encoding"]
        )
    except ImportRejected as rejected:
        count = len(rejected.preview.errors) + len(rejected.preview.file_errors)
        state.update(
            status=FAILED,
            messages=[
                _(
                    "Nothing was imported: %(count)s errors appeared since the preview. Correct the file and upload it again."
                )
                % {"count": count}
            ],
        )
    except ImportFileError as error:
        state.update(status=FAILED, messages=list(error.messages))
    else:
        state.update(status=DONE, created=result.created, skipped=result.skipped)
    return state
