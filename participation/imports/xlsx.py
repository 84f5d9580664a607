"""A small streaming reader of an XLSX workbook's first sheet, on expat."""

from __future__ import annotations

import zipfile
from xml.parsers import expat

from django.utils.translation import gettext as _

from .formats import ImportFileError, parse_date


class XlsxReader:
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
