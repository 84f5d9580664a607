"""The report's table as CSV, XLSX and JSON: the same rows as the page and the PDF (report_data)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from lublin2030.spreadsheets import safe_cell
from participation.exports import xlsx_chunks

from .report_data import COLUMNS, ReportData, rows

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def header() -> list[str]:
    return [str(label) for _name, label in COLUMNS]


def _values(row: dict) -> list:
    return [safe_cell(row[name]) for name, _label in COLUMNS]


def csv_bytes(data: ReportData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows(data):
        writer.writerow(_values(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def xlsx_stream(data: ReportData) -> Iterator[bytes]:
    return xlsx_chunks((_values(row) for row in rows(data)), header=header(), sheet_name="Uwagi")


def json_bytes(data: ReportData) -> bytes:
    consultation = data.consultation
    document = {
        "consultation": {
            "title": consultation.title,
            "version": consultation.version.number,
            "starts_on": consultation.starts_on.isoformat(),
            "ends_on": consultation.ends_on.isoformat(),
            "report_published_at": consultation.report_published_at.isoformat()
            if consultation.report_published_at
            else None,
        },
        "comments": [{name: row[name] for name, _label in COLUMNS} for row in rows(data)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def filename(data: ReportData, extension: str) -> str:
    return f"sprawozdanie-konsultacje-{data.consultation.pk}.{extension}"
