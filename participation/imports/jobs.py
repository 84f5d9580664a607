"""Confirmed imports run by a worker, away from the web timeout; their state is an `ImportJob` row."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue

from ..models import ImportJob, ImportJobStatus
from .formats import ImportFileError, ImportRejected
from .service import opinions_import
from .uploads import discard_upload, upload_dir, upload_path


@transaction.atomic(durable=True)
def import_job_create(*, actor, upload_token: str, file_name: str, encoding: str, publish: bool) -> ImportJob:
    """Record a confirmed import and hand it to a worker after commit."""
    from ..tasks import import_opinions

    require_permission(actor, "participation.import_opinions")
    job = ImportJob(
        public_id=secrets.token_urlsafe(16),
        actor=actor,
        upload_token=upload_token,
        file_name=file_name,
        encoding=encoding,
        publish=publish,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.full_clean()
    job.save()
    enqueue(import_opinions, job.public_id)
    return job


def import_job_run(*, public_id: str) -> ImportJob | None:
    """What the Celery task runs: import the job's stored file and record the outcome.

    Safe to run twice (a worker lost mid-way, acks_late): the transaction of a lost run rolled
    back, and rows that did get imported are skipped as "already imported"; a finished job is left alone.
    """
    job = ImportJob.objects.select_related("actor").filter(public_id=public_id).first()
    if job is None or job.is_finished:
        return job
    path = upload_path(job.upload_token)
    if path is None:
        return _finish(job, ImportJobStatus.FAILED, messages=[_("The uploaded file is gone: upload it again.")])
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status"])
    with translation.override(job.language):
        job = _run(job, path)
    discard_upload(job.upload_token)
    return job


def _record_progress(job: ImportJob, done: int, total: int) -> None:
    """Write the counter where the job page can read it while the import's transaction is still open.

    Inside that transaction an UPDATE would stay invisible until the end, so on PostgreSQL it goes
    through a connection of its own (from the same pool), committed at once. SQLite allows one
    writer at a time (the import holds it): there the counter goes to a small file beside the upload,
    which `with_live_progress` reads for the job page, and which `_finish` removes.
    """
    job.rows_done, job.rows_total = done, total
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)
        return
    if connection.vendor != "postgresql":
        _write_progress_file(job, done, total)
        return
    table = connection.ops.quote_name(ImportJob._meta.db_table)
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s",  # noqa: S608 - name from _meta
                [done, total, job.pk],
            )
    finally:
        side.close()


def _progress_path(job: ImportJob) -> Path:
    return upload_dir() / f"{job.public_id}.progress"


def _write_progress_file(job: ImportJob, done: int, total: int) -> None:
    path = _progress_path(job)
    partial = path.with_suffix(".partial")
    partial.write_text(f"{done} {total}")
    partial.replace(path)  # atomic: a reader sees the old counter or the new one, never half of it


def with_live_progress(job: ImportJob) -> ImportJob:
    """The job with the counter of a running import on SQLite, which its transaction cannot write yet."""
    if job.status != ImportJobStatus.RUNNING:
        return job
    try:
        done, total = (int(number) for number in _progress_path(job).read_text().split())
    except (OSError, ValueError):
        return job
    if done > job.rows_done:
        job.rows_done, job.rows_total = done, total
    return job


def _run(job: ImportJob, path: Path) -> ImportJob:
    try:
        result = opinions_import(
            actor=job.actor,
            path=path,
            name=job.file_name,
            publish=job.publish,
            encoding=job.encoding,
            progress=lambda done, total: _record_progress(job, done, total),
        )
    except ImportRejected as rejected:
        count = len(rejected.preview.errors) + len(rejected.preview.file_errors)
        message = _(
            "Nothing was imported: %(count)s errors appeared since the preview. Correct the file and upload it again."
        ) % {"count": count}
        return _finish(job, ImportJobStatus.FAILED, messages=[message])
    except ImportFileError as error:
        return _finish(job, ImportJobStatus.FAILED, messages=list(error.messages))
    except PermissionDenied:
        return _finish(
            job,
            ImportJobStatus.FAILED,
            messages=[_("The person who confirmed this import may no longer import opinions.")],
        )
    return _finish(job, ImportJobStatus.DONE, created=result.created, skipped=result.skipped)


def _finish(job: ImportJob, status: str, *, messages=(), created: int = 0, skipped: int = 0) -> ImportJob:
    job.status = status
    job.messages = [str(message) for message in messages]
    job.created = created
    job.skipped = skipped
    job.rows_done = created
    job.rows_total = max(job.rows_total, created)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "messages", "created", "skipped", "rows_done", "rows_total", "finished_at"])
    _progress_path(job).unlink(missing_ok=True)
    return job
