from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def public_name(user) -> str:
    """What the public sees of a person: their chosen display name, never their e-mail."""
    if user is None:
        return _("a former member")
    return user.display_name or _("name not given")


@register.filter
def member_name(user) -> str:
    """What fellow members and staff see: the display name, or the e-mail's part before the @."""
    if user is None:
        return _("a former member")
    return user.display_name or user.email.split("@")[0]


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
