"""Import of opinions collected offline (paper forms, mobile points, cafés) from CSV or XLSX.

The steps, each in its own module, all over the same stored file:

1. `reading.read_table(path, ...)` turns the file into rows of text safely: size and row limits,
   CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1250 with comma, semicolon or tab
   delimiters, XLSX only after its zip directory and XML parts were checked for bombs and entity
   tricks, then read by a streaming expat reader (`xlsx.XlsxReader`; openpyxl is several times
   slower on 50,000 rows).
2. `validation.validate(table)` matches every row against the reference data held in memory (areas,
   districts, channels, events, stages: a handful of queries for the whole file) and returns a
   `Preview`: what will be created, what was imported before, and every error by row and column.
3. `service.opinions_import(...)` validates again inside one transaction and creates the whole file
   with `bulk_create` in batches, or nothing at all.
4. Between the preview and the confirmation the file waits in `uploads`; a confirmed import is an
   `ImportJob` run by a worker (`jobs`).

The format (`formats`) is documented in docs/import-format.md. Per-row work is plain Python over
dictionaries, never a query per row, so 50,000 rows import in seconds. The model's field rules (text
length, place length, choices) are applied here by hand because `full_clean()` would query the
database for every foreign key of every row.
"""

from .formats import (
    COLUMN_LABELS,
    COLUMNS,
    ENCODING_AUTO,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    REQUIRED_COLUMNS,
    ImportFileError,
    ImportRejected,
    normalize,
)
from .jobs import import_job_create, import_job_run, with_live_progress
from .reading import read_table
from .service import ImportResult, opinions_import
from .uploads import discard_upload, store_upload, upload_path
from .validation import Preview, preview_file, validate

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "ENCODING_AUTO",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "REQUIRED_COLUMNS",
    "ImportFileError",
    "ImportRejected",
    "ImportResult",
    "Preview",
    "discard_upload",
    "import_job_create",
    "import_job_run",
    "normalize",
    "opinions_import",
    "preview_file",
    "read_table",
    "store_upload",
    "upload_path",
    "validate",
    "with_live_progress",
]
