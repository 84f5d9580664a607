"""Numbers and dates as city staff type them: "12,5" (the Polish decimal comma), "1 250", "12.5";
"16.12.2021" or "2021-12-16"."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participation.imports.formats import parse_date

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007']")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def parse_decimal(value, *, label: str, max_digits: int = 18, decimal_places: int = 4) -> Decimal:
    """A Decimal from a number or a text; a ValidationError that names the field otherwise."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = _SPACES.sub("", str(value or "")).replace("−", "-")
        if not text:
            raise ValidationError(_("%(label)s: enter a number.") % {"label": label}, code="required")
        if not _NUMBER.fullmatch(text):
            raise ValidationError(
                _("%(label)s: “%(value)s” is not a number. Write it like 12,5 or 1250.")
                % {"label": label, "value": value},
                code="invalid",
            )
        number = Decimal(text.replace(",", "."))
    if not number.is_finite():
        raise ValidationError(_("%(label)s: enter a finite number.") % {"label": label}, code="invalid")
    if max(0, -number.normalize().as_tuple().exponent) > decimal_places:
        raise ValidationError(
            _("%(label)s: at most %(places)d digits after the decimal comma.")
            % {"label": label, "places": decimal_places},
            code="precision",
        )
    if number and number.adjusted() + 1 > max_digits - decimal_places:
        raise ValidationError(_("%(label)s: the number is too large.") % {"label": label}, code="too_large")
    return number


def parse_day(value, *, label: str, field: str, required: bool = True, not_after=None) -> datetime.date | None:
    """A date from a date or a text; a ValidationError on `field` otherwise, or for a day after `not_after`."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("%(label)s: enter the date.") % {"label": label}})
        return None
    day = parse_date(value)
    if day is None:
        raise ValidationError(
            {
                field: _("%(label)s: “%(value)s” is not a date. Write it like 16.12.2021.")
                % {"label": label, "value": value}
            }
        )
    if not_after is not None and day > not_after:
        raise ValidationError({field: _("%(label)s: the date is in the future.") % {"label": label}})
    return day
