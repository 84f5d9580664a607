"""The public opinion counts behind the facets and the statistics: folding their rows, and a full recount.

PostgreSQL triggers append one row of +n/-n per (area, district, channel, stage) to
PublicOpinionCount (migration 0005), and one per month of collection to PublicOpinionMonthCount
(migration 0010), for each statement that changes public opinions; a count is the sum of its rows.
Nothing here is needed for the counts to be exact.
"""

from django.db import connection, transaction

from .models import ModerationStatus, Opinion, PublicOpinionCount, PublicOpinionMonthCount
from .public_list import public_counts_kept

_COUNTS = PublicOpinionCount._meta.db_table
_KEYS = "area_id, district_id, channel_id, stage_id"
_MONTHS = PublicOpinionMonthCount._meta.db_table
_COMPACT_LOCK = 2030_0005  # pg_try_advisory_xact_lock key: one compaction at a time, the others skip

# DELETE … RETURNING gives exactly the rows it removed (rows of transactions still running are not
# visible, so not removed, and still count on their own), and the INSERT puts back their sums.
_COMPACT_SQL = f"""
WITH gone AS (
    DELETE FROM {_COUNTS}
    WHERE (area_id, district_id, channel_id, COALESCE(stage_id, 0)) IN (
        SELECT area_id, district_id, channel_id, COALESCE(stage_id, 0) FROM {_COUNTS}
        GROUP BY area_id, district_id, channel_id, COALESCE(stage_id, 0)
        HAVING COUNT(*) > 1 OR SUM(count) = 0
    )
    RETURNING {_KEYS}, count
), kept AS (
    INSERT INTO {_COUNTS} ({_KEYS}, count)
    SELECT {_KEYS}, SUM(count) FROM gone GROUP BY {_KEYS} HAVING SUM(count) <> 0
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM kept)
"""  # noqa: S608

_COMPACT_MONTHS_SQL = f"""
WITH gone AS (
    DELETE FROM {_MONTHS}
    WHERE month IN (SELECT month FROM {_MONTHS} GROUP BY month HAVING COUNT(*) > 1 OR SUM(count) = 0)
    RETURNING month, count
), kept AS (
    INSERT INTO {_MONTHS} (month, count)
    SELECT month, SUM(count) FROM gone GROUP BY month HAVING SUM(count) <> 0
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM kept)
"""  # noqa: S608


def public_counts_compact() -> int:
    """Fold the rows of each combination into one; returns how many rows were folded (PostgreSQL)."""
    if not public_counts_kept():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_COMPACT_LOCK])
        if not cursor.fetchone()[0]:
            return 0  # another process is folding them right now
        cursor.execute(_COMPACT_SQL)
        folded = cursor.fetchone()[0]
        cursor.execute(_COMPACT_MONTHS_SQL)
        return folded + cursor.fetchone()[0]


def public_counts_rebuild() -> None:
    """Count the public opinions again from scratch (a repair, e.g. after restoring data without triggers).

    The lock waits for transactions that have already appended counts and makes later ones wait:
    what they change is then either in the recount (committed) or added after it (not yet).
    """
    if not public_counts_kept():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {_COUNTS}, {_MONTHS} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_COUNTS}")  # noqa: S608
        cursor.execute(f"DELETE FROM {_MONTHS}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {_COUNTS} ({_KEYS}, count) "  # noqa: S608
            f"SELECT {_KEYS}, COUNT(*) FROM {Opinion._meta.db_table} "
            "WHERE status = %s AND NOT hidden_by_flags "
            f"GROUP BY {_KEYS}",
            [ModerationStatus.PUBLISHED],
        )
        cursor.execute(
            f"INSERT INTO {_MONTHS} (month, count) "  # noqa: S608
            f"SELECT date_trunc('month', collected_on)::date, COUNT(*) FROM {Opinion._meta.db_table} "
            "WHERE status = %s AND NOT hidden_by_flags GROUP BY 1",
            [ModerationStatus.PUBLISHED],
        )
    from .services import public_opinions_changed

    public_opinions_changed()
