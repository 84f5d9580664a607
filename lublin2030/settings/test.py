"""Tests: the base settings with a fast hasher and an in-memory outbox."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEBUG = False
# Staff pages open without a second factor in tests, which log in with force_login; the tests of
# the requirement itself (tests/accounts/test_second_factor.py) switch it on.
STAFF_MFA_REQUIRED = False
