"""How django-allauth behaves here: e-mails, password-login throttling.

- Every e-mail allauth sends (confirmation, "you already have an account", password reset...) is
  rendered in the request and sent by a worker after commit (`lublin2030.queue.enqueue`): signing up
  with a new address and with a taken one then do the same work in the request, so the answer's
  timing does not tell whether an address has an account. Links point at SITE_URL, whatever address
  the request came in on, and the site is called SITE_NAME ("Lublin 2030").
- Password logins are throttled with `lublin2030.ratelimit` (RATE_LIMITS "login:ip",
  "login_failed:account_ip", "login_failed:ip") instead of allauth's per-account lockout, which let
  anyone lock anyone out with five wrong passwords. A throttled attempt answers 429 with a page
  that says when to try again and how to reset the password.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lublin2030 import ratelimit
from lublin2030.queue import enqueue


def site() -> SimpleNamespace:
    """What allauth's templates call `current_site`."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def on_site(url: str, request) -> str:
    """An absolute address built from the request, moved to SITE_URL."""
    if request is not None:
        base = request.build_absolute_uri("/")
        if url.startswith(base):
            return settings.SITE_URL.rstrip("/") + "/" + url[len(base) :]
    return url


def too_many_requests(request, *, message: str, retry_after: int, login: bool = False):
    response = render(
        request,
        "429.html",
        {"message": message, "minutes": ratelimit.minutes(retry_after), "login": login},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class AccountAdapter(DefaultAccountAdapter):
    # --- e-mail ------------------------------------------------------------------------------

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from .tasks import send_email

        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": site(), "site_url": settings.SITE_URL, **context}
        context = {key: on_site(value, request) if isinstance(value, str) else value for key, value in context.items()}
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), None
        )
        enqueue(
            send_email,
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            from_email=message.from_email,
            html=html,
        )

    # --- password logins ---------------------------------------------------------------------

    def pre_authenticate(self, request, **credentials) -> None:
        login = (credentials.get("email") or credentials.get("username") or "").strip().lower()
        address = ratelimit.client_ip(request)
        attempts = ratelimit.hit(ratelimit.limit("login:ip", address))
        if not attempts.allowed:
            raise ImmediateHttpResponse(
                too_many_requests(
                    request,
                    message=ngettext(
                        "Too many attempts to log in from your network. You can try again in %(minutes)d minute.",
                        "Too many attempts to log in from your network. You can try again in %(minutes)d minutes.",
                        attempts.minutes,
                    )
                    % {"minutes": attempts.minutes},
                    retry_after=attempts.retry_after,
                    login=True,
                )
            )
        # Counted before the password is checked (so simultaneous guesses cannot slip through) and
        # given back when it is right.
        self._login_failures = ratelimit.hit(
            ratelimit.limit("login_failed:account_ip", f"{login}|{address}"),
            ratelimit.limit("login_failed:ip", address),
        )
        if not self._login_failures.allowed:
            minutes = self._login_failures.minutes
            raise ImmediateHttpResponse(
                too_many_requests(
                    request,
                    message=ngettext(
                        "Too many wrong passwords for this account from your network. Logging in to it from "
                        "here is paused for %(minutes)d minute; from other places it works as before.",
                        "Too many wrong passwords for this account from your network. Logging in to it from "
                        "here is paused for %(minutes)d minutes; from other places it works as before.",
                        minutes,
                    )
                    % {"minutes": minutes},
                    retry_after=self._login_failures.retry_after,
                    login=True,
                )
            )

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        failures = getattr(self, "_login_failures", None)
        if user is not None and failures is not None:
            failures.undo()
        return user


class MFAAdapter(DefaultMFAAdapter):
    """Security keys and passkeys are registered for "Lublin 2030", not for the host name."""

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        return {"id": allauth_context.request.get_host().partition(":")[0], "name": settings.SITE_NAME}


def too_many_requests_view(request, exception=None):
    """handler429 (allauth's own limits: sign-up, e-mails it sends)."""
    return too_many_requests(
        request, message=_("Too many requests in a short time. Please try again in a few minutes."), retry_after=60
    )
