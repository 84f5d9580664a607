"""The import service: a whole file or nothing, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from ..models import (
    ModerationAction,
    ModerationLogEntry,
    ModerationStatus,
    Opinion,
    PublicOpinionCount,
    PublicOpinionMonthCount,
)
from .formats import (
    BATCH_SIZE,
    ENCODING_AUTO,
    ImportFileError,
    ImportRejected,
)
from .reading import read_table
from .validation import validate


@dataclass
class ImportResult:
    created: int
    skipped: int
    batch: str
    published: bool


def opinions_import(
    *,
    actor,
    path: Path,
    name: str = "",
    publish: bool,
    encoding: str = ENCODING_AUTO,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a whole file or nothing.

    Raises `ImportFileError` when the file cannot be read and `ImportRejected` (with the preview)
    when any row is wrong. Each created opinion gets one `import` entry in the moderation log,
    naming the file and the batch, so every opinion's history says who brought it in and when.
    `progress(done, total)` is called once the rows are checked and after each batch written.
    """
    require_permission(actor, "participation.import_opinions")
    table = read_table(path, name=name, encoding=encoding)
    batch = uuid.uuid4().hex[:12]
    now = timezone.now()
    status = ModerationStatus.PUBLISHED if publish else ModerationStatus.PENDING
    try:
        with transaction.atomic(durable=True):
            preview = validate(table)
            if not preview.ok:
                raise ImportRejected(preview)
            opinions = [
                Opinion(
                    text=row["text"],
                    area=row["area"],
                    district=row["district"],
                    channel=row["channel"],
                    stage=row["stage"],
                    event=row["event"],
                    place=row["place"],
                    collected_on=row["collected_on"],
                    age_bracket=row["age_bracket"],
                    author=None,
                    status=status,
                    published_at=now if publish else None,
                    moderated_by=actor if publish else None,
                    moderated_at=now if publish else None,
                    external_id=row["external_id"],
                    import_fingerprint=row["import_fingerprint"],
                )
                for row in preview.to_create
            ]
            if progress:
                progress(0, len(opinions))
            created = []
            for start in range(0, len(opinions), BATCH_SIZE):
                created.extend(Opinion.objects.bulk_create(opinions[start : start + BATCH_SIZE]))
                if progress:
                    progress(len(created), len(opinions))
            if created and created[0].pk is None:  # a backend that returns no ids
                keys = [o.external_id or o.import_fingerprint for o in created]
                created = list(_created_ids(keys))
            if publish:
                reason = _("Imported from “%(name)s” (batch %(batch)s) and published.")
            else:
                reason = _("Imported from “%(name)s” (batch %(batch)s), waiting for moderation.")
            reason = reason % {"name": name or Path(path).name, "batch": batch}
            if publish and opinions:
                from ..services import public_opinions_changed  # cached public lists and statistics

                public_opinions_changed()
            _log_imports(actor=actor, opinion_ids=[opinion.pk for opinion in created], reason=reason, now=now)
    except IntegrityError as error:
        # Another import of the same rows committed between our check and our insert.
        raise ImportFileError(
            _(
                "Some of these rows were imported a moment ago by someone else. Upload the file again to see what is left."
            ),
            code="concurrent",
        ) from error
    if opinions:
        analyse_opinion_tables()
    return ImportResult(created=len(opinions), skipped=preview.skipped, batch=batch, published=publish)


ANALYSED_AFTER_IMPORT = (Opinion, PublicOpinionCount, PublicOpinionMonthCount, ModerationLogEntry)


def analyse_opinion_tables() -> None:
    """Refresh PostgreSQL's statistics of the tables an import filled, once it has committed.

    Autovacuum analyses a table only some time after a large change: until then the planner plans
    for the table as it was (a cold search took 1.2-1.6 s on a freshly loaded table, 28 ms after
    ANALYZE). It runs after the import's transaction, so it sees the rows and holds no lock of it.
    """
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in ANALYSED_AFTER_IMPORT)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _log_imports(*, actor, opinion_ids: list[int], reason: str, now) -> None:
    """One `import` entry per opinion. On PostgreSQL a single INSERT … SELECT FROM unnest():
    building 50,000 log objects in Python costs several seconds for rows that differ by one id."""
    content_type = ContentType.objects.get_for_model(Opinion)
    if connection.vendor == "postgresql" and opinion_ids:
        meta = ModerationLogEntry._meta
        columns = ", ".join(
            connection.ops.quote_name(meta.get_field(name).column)
            for name in ("actor", "action", "content_type", "object_id", "reason", "created_at")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608 - names from _meta
                "SELECT %s, %s, %s, object_id, %s, %s FROM unnest(%s::bigint[]) AS object_id",
                [actor.pk if actor else None, ModerationAction.IMPORT, content_type.pk, reason, now, opinion_ids],
            )
        return
    ModerationLogEntry.objects.bulk_create(
        [
            ModerationLogEntry(
                actor=actor,
                action=ModerationAction.IMPORT,
                content_type=content_type,
                object_id=opinion_id,
                reason=reason,
            )
            for opinion_id in opinion_ids
        ],
        batch_size=BATCH_SIZE,
    )


def _created_ids(keys):
    external = [key for key in keys if key and len(key) != 64]
    prints = [key for key in keys if key and len(key) == 64]
    yield from Opinion.objects.filter(external_id__in=external).only("pk")
    yield from Opinion.objects.filter(import_fingerprint__in=prints).only("pk")
