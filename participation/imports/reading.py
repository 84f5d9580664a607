"""Reading a stored file into rows of text, safely: size and row limits, encodings, delimiters, XLSX checks."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from django.utils.translation import gettext as _

from .formats import (
    CSV,
    ENCODING_AUTO,
    ENCODINGS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    XLSX,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNCOMPRESSED_BYTES,
    XLSX_RATIO_CHECK_FROM_BYTES,
    ImportFileError,
)
from .xlsx import XlsxReader


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
            reader = XlsxReader(archive)
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
