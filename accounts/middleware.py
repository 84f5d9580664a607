"""Staff pages open only for an account with a second factor (STAFF_MFA_REQUIRED)."""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .rules import needs_second_factor

STAFF_PREFIXES = ("/panel/", "/admin/")
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def is_staff_path(path: str) -> bool:
    """/panel/... or /admin/..., in any language (/en/panel/...)."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    return path.startswith(STAFF_PREFIXES)


class StaffSecondFactorMiddleware:
    """A moderator, coordinator or admin without an authenticator app or a security key is sent to
    the enrolment page instead of any staff page or the Django admin.

    Having one is enough: django-allauth then asks for it at every sign-in, and the admin's own
    password-only login form is never shown (accounts/admin.py sends it to ours).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and is_staff_path(request.path_info)
            and request.user.is_authenticated
            and needs_second_factor(request.user)
            and not is_mfa_enabled(request.user, types=SECOND_FACTORS)
        ):
            messages.warning(
                request,
                _(
                    "Your role in the portal requires a second factor. Add an authenticator app or a "
                    "security key: then the staff panel opens."
                ),
            )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_index')}?{query}")
        return self.get_response(request)
