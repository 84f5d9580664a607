"""What every export to CSV or XLSX needs, whichever app it belongs to."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).

    Anything else (numbers, dates, None) is returned as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unquote_cell(value: str) -> str:
    """The inverse of `safe_cell` for a file read back: "'=A1" → "=A1" (a lone leading apostrophe stays)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet would take the cell for a formula (what `safe_cell` neutralises)."""
    return value.startswith(("=", "+", "-", "@"))
