"""Writes about a person's own account."""

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
