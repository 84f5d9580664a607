"""Import of indicator measurements from CSV or XLSX: a preview (dry run), then all the rows or none.

The file is read by participation's safe reader (`participation.imports.read_table`: size and row
limits, UTF-8 / Windows-1250 CSV with any delimiter, XLSX checked for bombs before it is opened), turned
into a tablib Dataset and run through `resources.MeasurementResource` by django-import-export. Errors are
reported by the file's row number and column; if any row is wrong nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from participation.imports import read_table
from participation.imports.validation import cell_text
from strategy.models import Indicator, Strategy

from .resources import FIELD_COLUMNS, REQUIRED_COLUMNS, MeasurementResource, canonical_header
from .services import _changed, public_version, taken_dates

MAX_ROWS = 5000


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportOutcome:
    rows: int = 0
    accepted: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _dataset(path: Path, name: str) -> tuple[tablib.Dataset, list[int], list[str]]:
    """The file as a Dataset with canonical headers, the file's row number of each row, ignored columns."""
    table = read_table(path, name=name)
    columns, ignored = {}, []
    for position, header in enumerate(table.header):
        column = canonical_header(str(header or ""))
        if column is None or column in columns:
            if str(header or "").strip():
                ignored.append(str(header))
            continue
        columns[column] = position
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ValidationError(
            _("The file has no column %(columns)s. The first row must name the columns: indicator, date, value.")
            % {"columns": ", ".join(f"“{column}”" for column in missing)},
            code="columns",
        )
    if len(table.rows) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(rows)d rows; at most %(max)d are imported at once.")
            % {"rows": len(table.rows), "max": MAX_ROWS},
            code="rows",
        )
    headers = list(columns)
    dataset = tablib.Dataset(headers=headers)
    numbers = []
    for number, cells in table.rows:
        values = [cell_text(cells[columns[column]]) if columns[column] < len(cells) else "" for column in headers]
        if not any(values):
            continue  # an empty line is not a measurement
        dataset.append(values)
        numbers.append(number)
    if not numbers:
        raise ValidationError(_("The file has no rows of data under its header."), code="empty")
    return dataset, numbers, ignored


def measurements_import(*, actor, strategy: Strategy, path: Path, name: str = "", confirm: bool) -> ImportOutcome:
    """Check every row (a dry run) or, with `confirm`, import the file: all rows or none."""
    require_permission(actor, "implementation.record_measurements")
    dataset, numbers, ignored = _dataset(Path(path), name)
    outcome = ImportOutcome(rows=len(numbers), ignored_columns=ignored)
    with transaction.atomic(durable=True):
        version = public_version(strategy)
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()  # no other write of values meanwhile
        indicators = list(Indicator.objects.filter(version=version).order_by("position", "id"))
        resource = MeasurementResource(
            strategy=strategy, indicators=indicators, taken=taken_dates(strategy), actor=actor
        )
        result = resource.import_data(
            dataset, dry_run=not confirm, use_transactions=True, rollback_on_validation_errors=True
        )
        for invalid in result.invalid_rows:
            for field_name, messages in invalid.error_dict.items():
                for message in messages:
                    column = FIELD_COLUMNS.get(field_name, field_name)
                    outcome.errors.append(RowError(numbers[invalid.number - 1], column, message))
        for number, errors in result.row_errors():
            for error in errors:
                outcome.errors.append(RowError(numbers[number - 1], "", str(error.error)))
        outcome.errors.sort(key=lambda error: (error.row, error.column))
        outcome.accepted = [] if outcome.errors else resource.accepted
        for row in outcome.accepted:
            row["number"] = numbers[row["number"] - 1]
        outcome.imported = confirm and outcome.ok
        if outcome.imported:
            _changed()
    return outcome
