"""Numbers as city staff type them: "12,5" (the Polish decimal comma), "1 250", "12.5"."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
