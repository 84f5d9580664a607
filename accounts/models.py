from django.contrib import auth
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Everyone is a resident; staff roles are groups (see roles.py)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown next to your public contributions. Leave empty to stay anonymous."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.display_name or self.email  # the Django admin's lists; pages use shown_name

    @property
    def shown_name(self) -> str:
        """The name anyone else sees on a page: the display name the person chose, or an anonymous
        label. Never anything derived from the e-mail address (the account page promises anonymity)."""
        return self.display_name or gettext("anonymous person")

    def has_perm(self, perm, obj=None):
        """Ask the backends even for a superuser: `rules` decides every action, the admin role's too.

        Django's shortcut would let a superuser do what docs/permissions.md reserves to others (edit a
        working group's draft, write its internal comments); the admin role's rights are granted by
        `accounts.rules.is_admin`, which a superuser has.
        """
        if not self.is_active:
            return False
        for backend in auth.get_backends():
            if not hasattr(backend, "has_perm"):
                continue
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False
