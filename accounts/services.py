"""Writes about a person's own account."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from lublin2030.versions import bump_publication_version

from .models import User


@transaction.atomic
def user_update_profile(*, actor: User, display_name: str) -> User:
    """A person changes her own display name (the only account a person may change is her own)."""
    actor.display_name = display_name.strip()
    actor.full_clean()
    actor.save(update_fields=["display_name"])
    return actor


@transaction.atomic(durable=True)
def user_delete(*, actor: User) -> None:
    """Delete the account. Published contributions stay, with no link to the person (author = NULL).

    Public pages are cached with the author's display name: a new publication version drops them.
    """
    actor.delete()
    bump_publication_version()


def email_send(*, subject: str, body: str, to: list[str], from_email: str, html: str | None = None) -> None:
    """Send an e-mail rendered earlier (allauth's, in accounts.adapter); runs in the worker."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
