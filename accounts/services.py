"""Writes about a person's own account."""

from django.db import transaction

from lublin2030.versions import bump_publication_version

from .models import User


@transaction.atomic
def user_update_profile(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    user.full_clean()
    user.save(update_fields=["display_name"])
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account. Published contributions stay, with no link to the person (author = NULL).

    Public pages are cached with the author's display name: a new publication version drops them.
    """
    user.delete()
    bump_publication_version()
