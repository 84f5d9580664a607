"""Tests: the base settings with a fast hasher and an in-memory outbox."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEBUG = False

# A second database, SQLite as `make run` uses it: search must find the same opinions there as on
# PostgreSQL (tests/participation/test_search.py). Created only for the tests that ask for it.
DATABASES["sqlite"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}  # noqa: F405
