"""The permission guard every service runs before it writes."""

from django.core.exceptions import PermissionDenied


def require_permission(actor, permission: str, obj=None, *, message: str | None = None) -> None:
    """Raise PermissionDenied unless `actor` has the `rules` permission (on `obj`, when given)."""
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message or permission)
