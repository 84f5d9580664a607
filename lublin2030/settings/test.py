"""Tests: the base settings with a fast hasher and an in-memory outbox."""

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEBUG = False
# Staff pages open without a second factor in tests, which log in with force_login; the tests of
# the requirement itself (tests/accounts/test_second_factor.py) switch it on.
STAFF_MFA_REQUIRED = False
# The concurrency tests' thirty threads share the pool's ten connections on a loaded machine: let
# them wait. The outage test gives its server the production default explicitly.
if USING_POSTGRES and "DATABASE_POOL_TIMEOUT" not in os.environ:  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"]["timeout"] = 10  # noqa: F405
