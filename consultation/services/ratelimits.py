"""Online comments count against the project's one rate limit (lublin2030.ratelimit): per account and per
address, the rates in settings.RATE_LIMITS ("consultation_comment:user", "consultation_comment:ip")."""

from django.utils.translation import ngettext_lazy

from lublin2030 import ratelimit

TOO_MANY_COMMENTS = ngettext_lazy(
    "You have sent many comments in a short time. Please try again in %(minutes)d minute.",
    "You have sent many comments in a short time. Please try again in %(minutes)d minutes.",
    "minutes",
)


def refuse_if_limited(*, actor, ip_address: str | None):
    """Count one comment; raise `ratelimit.RateLimited` (nothing counted) above either limit."""
    return ratelimit.require(
        ratelimit.limit("consultation_comment:user", actor.pk),
        ratelimit.limit("consultation_comment:ip", ip_address),
        message=TOO_MANY_COMMENTS,
    )


def count_comment(hit, *, stored: bool) -> None:
    """A comment that was not stored after all (a rolled-back write, a double click) gives its count back."""
    if not stored:
        hit.undo()
