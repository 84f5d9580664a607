"""Tests: the base settings with a fast hasher and an in-memory outbox."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEBUG = False

# The live server's threads would keep pooled connections open and PostgreSQL would refuse to
# drop the test database; tests use plain connections (tests/test_settings.py checks the pool).
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
