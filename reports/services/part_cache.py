"""The part cache of the opinions report: parts cut where the content says, keyed by what they show, kept with the report.

A report of 20,000 opinions is ~80 parts of WeasyPrint work; after 100 new opinions most of them print
exactly what they printed before. So:

- **Stable cuts.** A part ends where an area ends, where a district of a quarter of the target size or
  more ends, or before an opinion whose id hashes to a cut mark (content-defined chunking, as rsync and
  backup tools cut files); at most 2 x the target size a part. Cuts never depend on an opinion's
  position in the whole report, so a new opinion changes the part it falls in, not every part after it.
- **Content keys.** A part's key hashes exactly what it shows: each opinion's id and digest (text,
  place, date, channel), the names and counts of the headings it prints, the "continued" line, the
  channel names, the report's title and language, and the design (the templates, the stylesheet,
  WeasyPrint's version). A hidden or deleted opinion is not in the snapshot, so the part it was in gets
  another key and is rendered again: no opinion that is no longer public reaches a new report.
- **Kept with the report.** A rendered part's PDF stays beside its report (`reports/parts/<id>/<key>.pdf`,
  `ReportPart.key`) until the report is deleted (`delete_report_files`, on post_delete). A new report
  of the same kind takes a part with the same key from the latest report that has it: a hard link (a
  copy across file systems), so deleting the old report leaves the new one whole.
"""

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..models import PartStatus, ReportKind, ReportPart
from .files import cached_part_path, cached_parts_dir, reports_root

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "reports" / "pdf"
# What decides how a part looks: any change to these renders every part again.
DESIGN_FILES = ("base.html", "opinions_part.html", "_opinion_blocks.html", "report.css")
# Knuth's multiplicative hash: spreads consecutive ids, the same on every machine and run.
MULTIPLIER = 2654435761


@functools.cache
def design_version() -> str:
    from importlib.metadata import version  # not weasyprint itself: the web processes never import it

    digest = hashlib.sha256(f"part design 1; weasyprint {version('weasyprint')}; pydyf {version('pydyf')}".encode())
    for name in DESIGN_FILES:
        digest.update((TEMPLATES / name).read_bytes())
    return digest.hexdigest()[:16]


def _is_cut_mark(opinion_id: int, spacing: int) -> bool:
    return (opinion_id * MULTIPLIER) % 2**32 % spacing == 0


def stable_slices(ids: list[int], keys: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Slices [start, end) of about `size` opinions whose ends depend on the content around them only.

    A part ends where an area ends; where a district of at least a quarter of `size` ends (small
    districts share a part); before an opinion whose id is a cut mark (one in `size`); and after
    2 x `size` opinions at most (memory). No rule counts from the start of the report or of the part
    but the last, so a new opinion changes the part it falls in and, rarely, the one after it.
    """
    shortest, longest = max(1, size // 4), max(1, size * 2)
    slices, start, group_start = [], 0, 0
    for index in range(1, len(ids)):
        district_ends = keys[index] != keys[index - 1]
        if (
            keys[index][0] != keys[index - 1][0]
            or (district_ends and index - group_start >= shortest)
            or _is_cut_mark(ids[index], size)
            or index - start >= longest
        ):
            slices.append((start, index))
            start = index
        if district_ends:
            group_start = index
    if ids:
        slices.append((start, len(ids)))
    return slices


def opinion_part_key(report, plan, start: int, end: int, names, counts: dict) -> str:
    """The hash of exactly what the part [start, end) of `plan` prints (see the module's notes)."""
    before = plan.keys[start - 1] if start > 0 else None
    headings, previous = [], before
    for area, district in plan.keys[start:end]:
        if (area, district) != previous:
            if previous is None or previous[0] != area:
                headings.append(["a", area, names.areas[area].name, counts.get(f"a{area}", 0)])
            headings.append(["d", district, names.districts[district].name, counts.get(f"d{area}-{district}", 0)])
        previous = (area, district)
    printed = {
        "design": design_version(),
        "language": report.language,
        "title": str(report.title_in_language()),
        "process": settings.PROCESS_NAME,
        "before": [before, names.areas[before[0]].name, names.districts[before[1]].name] if before else None,
        "headings": headings,
        "opinions": [[pk, digest] for pk, digest in zip(plan.ids[start:end], plan.digests[start:end], strict=True)],
        "channels": sorted([pk, channel.name] for pk, channel in names.channels.items()),
    }
    return hashlib.sha256(json.dumps(printed, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def reusable_parts(report, keys: list[str]) -> dict[str, ReportPart]:
    """Parts already rendered with one of `keys` (by an earlier report of this kind, or an earlier run of this one)."""
    found: dict[str, ReportPart] = {}
    candidates = (
        ReportPart.objects.filter(key__in=set(keys), status=PartStatus.DONE, report__kind=ReportKind.OPINIONS)
        .only("report_id", "key", "page_count", "headings")
        .order_by("-report_id", "-run")
    )
    for part in candidates:
        if part.key not in found and cached_part_path(part.report_id, part.key).exists():
            found[part.key] = part
    return found


def adopt(report_id: int, source: ReportPart) -> bool:
    """Give the report its own copy of a part rendered for another report; False if it is gone meanwhile."""
    target = cached_part_path(report_id, source.key)
    if target.exists():
        return True
    target.parent.mkdir(parents=True, exist_ok=True)
    origin = cached_part_path(source.report_id, source.key)
    try:
        os.link(origin, target)
    except FileExistsError:
        return True
    except FileNotFoundError:
        return False
    except OSError:  # another file system: copy
        try:
            shutil.copyfile(origin, target)
        except FileNotFoundError:
            return False
    return True


def prune(report_id: int) -> None:
    """Drop the report's cached part files that no part row of it names any more (earlier runs' parts).

    Every row of the report counts, not only the run that just merged: a newer run (asked again
    meanwhile) stores its rows before it renders, so no file it is writing or has taken is dropped.
    """
    directory = cached_parts_dir(report_id)
    if not directory.is_dir():
        return
    keep = set(ReportPart.objects.filter(report_id=report_id).exclude(key="").values_list("key", flat=True))
    for path in directory.glob("*.pdf"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)


def delete_report_files(report_id: int) -> None:
    """Everything a report has on disk: its file, its cached parts, its runs' working folders."""
    (reports_root() / f"{report_id}.pdf").unlink(missing_ok=True)
    shutil.rmtree(cached_parts_dir(report_id), ignore_errors=True)
    work = reports_root() / "work"
    if work.is_dir():
        for directory in work.glob(f"{report_id}-*"):
            shutil.rmtree(directory, ignore_errors=True)


def delete_files_after_commit(sender, instance, **kwargs) -> None:
    """post_delete of a Report (admin, cascade, shell alike): its files go once the deletion is committed."""
    transaction.on_commit(functools.partial(delete_report_files, instance.pk))
