"""The one permission guard: for services (`require_permission`) and for views (`permission_required`).

Who may do what is decided by `rules` predicates in each app's `rules.py`; these two functions are
the only places that ask. A view that only needs a signed-in person uses Django's own
`django.contrib.auth.decorators.login_required`; an object permission is checked in the view with
`require_permission(request.user, ...)` (403) or `request.user.has_perm(...)` and `Http404` where
the object's existence must stay hidden (a working group's workspace).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require_permission(actor, permission: str, obj=None, *, message: str | None = None) -> None:
    """Raise PermissionDenied unless `actor` has the `rules` permission (on `obj`, when given)."""
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message or permission)


def permission_required(permission: str):
    """Guard a view: anonymous visitors go to the login page, signed-in people without `permission` get 403.

    Class-based views use it through `method_decorator(permission_required(...), name="dispatch")`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_permission(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
