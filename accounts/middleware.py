"""Who the visitor is, in one query; and staff pages open only for an account with a second factor
(STAFF_MFA_REQUIRED)."""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .backends import RENAMED_BACKENDS
from .rules import needs_second_factor
from .selectors import user_with_roles


class UserWithRolesMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, loading the user with her roles (`user_with_roles`).

    Django's would read the user (one query), then her groups on the first permission check (one
    more), then her verified address where a rule asks. With the session read from the cache
    (SESSION_ENGINE cached_db), knowing who she is costs one query a request.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    """`django.contrib.auth.get_user` with the model backends' `get_user` replaced by `user_with_roles`."""
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    backend_path = RENAMED_BACKENDS.get(backend_path, backend_path)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    backend = auth.load_backend(backend_path)
    if isinstance(backend, ModelBackend):
        user = user_with_roles(user_id)
        user = user if user is not None and backend.user_can_authenticate(user) else None
    else:
        user = backend.get_user(user_id)
    if user is None or not hasattr(user, "get_session_auth_hash"):
        return user or AnonymousUser()
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    # As Django does: a hash made with a previous SECRET_KEY is renewed, any other ends the session.
    if session_hash and any(
        constant_time_compare(session_hash, fallback) for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
        return user
    request.session.flush()
    return AnonymousUser()


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
