"""What every export to CSV or XLSX needs, whichever app it belongs to."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).

    Anything else (numbers, dates, None) is returned as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
