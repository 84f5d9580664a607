"""The import format: limits, columns and their accepted headers, errors, header normalisation."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import AgeBracket

if TYPE_CHECKING:
    from .validation import Preview

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 50  # cells right of this are ignored; the format has nine columns
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny parts may compress very well; they cannot hurt
XLSX_MAX_MEMBERS = 1000
BATCH_SIZE = 2000
ERRORS_SHOWN = 200
SAMPLE_SIZE = 20  # rows of the preview's table (plus any row with a cell that starts like a formula)

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
    # The portal's own number of the opinion, as its export writes it ("id" beside "external_id"):
    # a row whose number and text match an opinion in the portal is that opinion, skipped.
    "portal_id": ["portal id", "numer w portalu"],
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
    "portal_id": gettext_lazy("number in the portal"),
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
