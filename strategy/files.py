"""Attachments' bytes: the type read from the content (never the name), the size cap, private storage.

Accepted: PDF, DOCX, XLSX, ODT, PNG, JPEG. SVG is refused, whatever its name says: a drawing can
carry scripts, and a sanitised SVG is still a risk we do not need (maps come as PDF or PNG).
Files are stored under PRIVATE_STORAGE_ROOT/strategy/ by their SHA-256 and never served by URL.
"""

import hashlib
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extension: str


PDF = FileType("PDF", "application/pdf", "pdf")
PNG = FileType("PNG", "image/png", "png")
JPEG = FileType("JPEG", "image/jpeg", "jpg")
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", "odt")
ACCEPTED = (PDF, DOCX, XLSX, ODT, PNG, JPEG)

MAX_BYTES = 25 * 1024 * 1024
SNIFF_BYTES = 2048


def accepted_labels() -> str:
    return ", ".join(kind.label for kind in ACCEPTED)


def sniff(upload) -> FileType:
    """The type of an uploaded file from its first bytes (and, for ZIP containers, their contents)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        if kind is not None:
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text or text.startswith(b"<?xml") and b"svg" in text:
        raise ValidationError(
            _("SVG drawings are not accepted because they can contain scripts. Export the drawing as PDF or PNG."),
            code="svg",
        )
    raise ValidationError(
        _("This file's content is not one of the accepted types (%(types)s), whatever its name says.")
        % {"types": accepted_labels()},
        code="type",
    )


def _zip_kind(upload) -> FileType | None:
    """Office documents are ZIP archives: their member names (and ODT's `mimetype`) say which one."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT.content_type.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError):
        return None
    return None


@dataclass(frozen=True)
class Stored:
    relative: str
    size: int
    sha256: str
    kind: FileType


def root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "strategy"


def check_size(upload) -> None:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file has %(size)s MB; at most 25 MB are accepted.") % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="size",
        )


def store(upload) -> Stored:
    """Check size and type, then write the bytes once (by hash); the same file uploaded twice is kept once."""
    check_size(upload)
    kind = sniff(upload)
    digest = hashlib.sha256()
    directory = root() / "incoming"
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{os.getpid()}.{time.monotonic_ns()}.tmp"
    size = 0
    try:
        with temporary.open("wb") as target:
            upload.seek(0)
            for chunk in upload.chunks():
                size += len(chunk)
                if size > MAX_BYTES:  # the declared size may lie
                    raise ValidationError(_("At most 25 MB are accepted."), code="size")
                digest.update(chunk)
                target.write(chunk)
        sha = digest.hexdigest()
        relative = f"strategy/{sha[:2]}/{sha}.{kind.extension}"
        final = Path(settings.PRIVATE_STORAGE_ROOT) / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            temporary.unlink()
        else:
            os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return Stored(relative=relative, size=size, sha256=sha, kind=kind)


def discard(relative: str) -> None:
    """Remove a stored file that no row names any more."""
    path = (Path(settings.PRIVATE_STORAGE_ROOT) / relative).resolve()
    if root().resolve() in path.parents:
        path.unlink(missing_ok=True)
