"""Online comments count against the project's one rate limit (lublin2030.ratelimit): per account and per
address, the rates in settings.RATE_LIMITS ("consultation_comment:user", "consultation_comment:ip")."""

from django.utils.translation import ngettext

from lublin2030 import ratelimit

USER_LIMIT = "consultation_comment:user"
IP_LIMIT = "consultation_comment:ip"


def refuse_if_limited(*, actor, ip_address: str | None):
    """Count one comment; raise `ratelimit.RateLimited` (nothing counted) above either limit."""
    hit = ratelimit.hit(ratelimit.limit(USER_LIMIT, actor.pk), ratelimit.limit(IP_LIMIT, ip_address))
    if not hit.allowed:
        raise ratelimit.RateLimited(
            ngettext(
                "You have sent many comments in a short time. Please try again in %(minutes)d minute.",
                "You have sent many comments in a short time. Please try again in %(minutes)d minutes.",
                hit.minutes,
            )
            % {"minutes": hit.minutes},
            retry_after=hit.retry_after,
        )
    return hit


def count_comment(hit, *, stored: bool) -> None:
    """A comment that was not stored after all (a rolled-back write, a double click) gives its count back."""
    if not stored:
        hit.undo()
