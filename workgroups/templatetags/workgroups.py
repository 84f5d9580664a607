from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def public_name(user) -> str:
    """What the public sees of a person: their chosen display name, never their e-mail."""
    if user is None:
        return _("a former member")
    return user.shown_name


@register.filter
def member_name(user) -> str:
    """What fellow members and staff see: the same as the public (nothing from the e-mail address)."""
    if user is None:
        return _("a former member")
    return user.shown_name


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
