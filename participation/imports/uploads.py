"""Uploads kept between the preview and the confirmation, under PRIVATE_STORAGE_ROOT."""

from __future__ import annotations

import datetime
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .formats import MAX_UPLOAD_BYTES

UPLOAD_MAX_AGE = datetime.timedelta(hours=6)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def upload_dir() -> Path:
    directory = Path(settings.PRIVATE_STORAGE_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def store_upload(uploaded_file) -> tuple[str, Path]:
    """Save an upload under PRIVATE_STORAGE_ROOT (never served by URL) under a random token."""
    purge_stale_uploads()
    token = secrets.token_urlsafe(24)
    path = upload_dir() / f"{token}.upload"
    written = 0
    with open(path, "wb") as handle:
        for chunk in uploaded_file.chunks():
            written += len(chunk)
            handle.write(chunk)
            if written > MAX_UPLOAD_BYTES:
                break  # read_table refuses it by its size; keep no more than the limit + 1 chunk
    return token, path


def upload_path(token: str) -> Path | None:
    if not token or not _TOKEN.match(token):
        return None
    path = upload_dir() / f"{token}.upload"
    return path if path.exists() else None


def discard_upload(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_stale_uploads() -> None:
    """Uploads abandoned at the preview are deleted after a few hours."""
    limit = timezone.now().timestamp() - UPLOAD_MAX_AGE.total_seconds()
    for path in upload_dir().glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
