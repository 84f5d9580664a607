"""Writes of the reports app: asking for a report, the steps the workers take, sweeping, publishing.

Each has its module; this package exposes them as `reports.services.<name>`.

How a report is made (docs/reports.md has the picture):

1. `report_request` (requests.py) stores the row (queued) and, after commit, queues `run_report(id, run)`
   through `lublin2030.queue.enqueue`: if the broker cannot be reached the task waits in the outbox
   and starts when the broker is back; staff pages say so.
2. `report_execute` (pipeline.py, task `run_report`) takes a snapshot of what to print. Small reports, and the
   opinions report when REPORTS_CHUNK_SIZE is 0, are rendered right there in one WeasyPrint pass.
   The opinions report is otherwise split into parts of about REPORTS_CHUNK_SIZE opinions plus the
   front matter; one `render_part` task per part goes through the broker, so any worker on any
   machine renders any part. Parts an earlier report rendered with the same content are taken from
   it instead (part_cache.py: stable cuts, content keys, files kept as long as their report).
3. `part_render` writes one part's PDF and, under a row lock, counts it done; the task that
   completes the last part publishes `merge_report`.
4. `report_merge` (merge.py) renders the front matter again with the real page numbers (now known), joins
   the parts (reports.pdfmerge: structure tree kept, page footers stamped) and replaces the report's
   file atomically.

Every task names the report's `run`; a task of an older run does nothing. `heartbeat_at` moves at
every step; `reports_sweep` (sweeper.py; periodic, and on read) re-queues or fails reports whose worker died.
"""

from .files import final_relative_path, part_path, reports_root, work_dir
from .merge import report_merge
from .pipeline import FRONT_PART, part_render, part_size, report_execute, report_fail
from .publishing import report_publish, report_unpublish
from .requests import report_request, report_retry
from .sweeper import is_stale, report_sweep_if_stale, reports_sweep

__all__ = [
    "FRONT_PART",
    "final_relative_path",
    "is_stale",
    "part_path",
    "part_render",
    "part_size",
    "report_execute",
    "report_fail",
    "report_merge",
    "report_publish",
    "report_request",
    "report_retry",
    "report_sweep_if_stale",
    "reports_root",
    "reports_sweep",
    "report_unpublish",
    "work_dir",
]
