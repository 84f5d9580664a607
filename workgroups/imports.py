"""Reading a member list from CSV or XLSX into plain rows for `services.members_import`."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
HEADERS = {
    "email": {"email", "e-mail", "adres e-mail", "mail"},
    "category": {"category", "kategoria"},
    "group": {"group", "grupa", "area", "obszar"},
}


def _normalise_header(cells) -> dict[str, int]:
    positions = {}
    for index, cell in enumerate(cells):
        name = str(cell or "").strip().casefold()
        for key, names in HEADERS.items():
            if name in names and key not in positions:
                positions[key] = index
    missing = [key for key in HEADERS if key not in positions]
    if missing:
        raise ValidationError(
            _("The first row must name the columns email, category and group (missing: %(missing)s).")
            % {"missing": ", ".join(missing)}
        )
    return positions


def _rows_from_table(table) -> list[dict]:
    iterator = iter(table)
    header = next(iterator, None)
    if header is None:
        raise ValidationError(_("The file is empty."))
    positions = _normalise_header(header)
    rows = []
    for number, cells in enumerate(iterator, start=2):
        cells = list(cells)
        if not any(str(cell or "").strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        row = {"row": number}
        for key, index in positions.items():
            value = cells[index] if index < len(cells) else ""
            row[key] = str(value if value is not None else "").strip()
        rows.append(row)
    return rows


def read_member_file(uploaded) -> list[dict]:
    """Rows of an uploaded .csv or .xlsx file, or a ValidationError saying what is wrong with it."""
    name = (uploaded.name or "").lower()
    if uploaded.size and uploaded.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    data = uploaded.read()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise ValidationError(_("This is not a readable XLSX file.")) from error
        try:
            return _rows_from_table(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1250"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1250 decodes nearly anything
            raise ValidationError(_("The file's text encoding is not UTF-8 or Windows-1250."))
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return _rows_from_table(csv.reader(io.StringIO(text), dialect))
    raise ValidationError(_("Upload a .csv or .xlsx file."))
