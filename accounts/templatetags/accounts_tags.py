from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.rules import needs_second_factor as _needs_second_factor

register = template.Library()


@register.filter
def needs_second_factor(user) -> bool:
    """`{% if user|needs_second_factor %}`: a staff role, for which STAFF_MFA_REQUIRED applies."""
    return bool(_needs_second_factor(user))


@register.simple_tag(takes_context=True)
def staff_next(context) -> str:
    """Where the enrolment page sends a staff member once her second factor is on: the staff page she
    was stopped at (`?next=`, only a path of this site), or the staff panel."""
    request = context["request"]
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("staff_home")
