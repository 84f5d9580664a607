"""Dates as each language writes them."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def month_year(value) -> str:
    """Month and year: "grudzień 2020" in Polish (no capital there), "December 2020" in English."""
    if not value:
        return ""
    text = date_format(value, "F Y")
    return text.lower() if (get_language() or "").startswith("pl") else text
