"""Where a report's files live: the final PDF, a run's working folder, its parts."""

import os
import time
from pathlib import Path

from django.conf import settings

from ..models import Report


def reports_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "reports"


def final_relative_path(report: Report) -> str:
    """One file per report: running it again replaces it."""
    return f"reports/{report.pk}.pdf"


def work_dir(report_id: int, run: int) -> Path:
    return reports_root() / "work" / f"{report_id}-{run}"


def part_path(report_id: int, run: int, index: int) -> Path:
    return work_dir(report_id, run) / f"part-{index:05d}.pdf"


def cached_parts_dir(report_id: int) -> Path:
    """The report's rendered parts, kept as long as the report (deleted with it) for later reports to reuse."""
    return reports_root() / "parts" / str(report_id)


def cached_part_path(report_id: int, key: str) -> Path:
    return cached_parts_dir(report_id) / f"{key}.pdf"


def part_file(part) -> Path:
    """Where a part's PDF is: beside the report under its content key, or in the run's working folder."""
    if part.key:
        return cached_part_path(part.report_id, part.key)
    return part_path(part.report_id, part.run, part.index)


def replace_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def temporary_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
