"""The part cache: a new report renders only the parts whose content changed, and parts live and die with their report."""

import random
import re

import pytest
from pypdf import PdfReader

from participation.models import Area, District, Opinion
from reports import services
from reports.models import PartStatus, Report, ReportKind, ReportPart, ReportStatus
from reports.services import part_cache
from tests.accounts.factories import coordinator
from tests.reports.factories import published_opinions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings, report_files):
    settings.REPORTS_CHUNK_SIZE = 4
    settings.REPORTS_MIN_CHUNK_SIZE = 1
    return settings


@pytest.fixture
def renders(monkeypatch):
    """The keys of the parts actually rendered by WeasyPrint (the front matter not counted)."""
    rendered = []
    original = services.pipeline._render_part_file

    def counting(report, part, target):
        if part.index != services.FRONT_PART:
            rendered.append(part.key)
        return original(report, part, target)

    monkeypatch.setattr(services.pipeline, "_render_part_file", counting)
    return rendered


def two_areas():
    """Four groups: two districts in each of two areas, five opinions each."""
    first, second = Area.objects.order_by("position")[:2]
    districts = list(District.objects.order_by("position")[:4])
    groups = [(first, districts[0]), (first, districts[1]), (second, districts[2]), (second, districts[3])]
    for number, (area, district) in enumerate(groups):
        published_opinions(5, area=area, district=district, text=f"Grupa {number}, opinia {{n}}: źdźbło.")
    return groups


def make_report(run_on_commit) -> Report:
    report = run_on_commit(services.report_request, actor=coordinator(), kind=ReportKind.OPINIONS)
    assert report.status == ReportStatus.DONE, report.error_detail
    return report


def body_parts(report: Report) -> list[ReportPart]:
    return list(report.parts.filter(run=report.run).exclude(index=services.FRONT_PART).order_by("index"))


def assert_pages_and_contents_right(report: Report, groups) -> list[str]:
    """Every page says "strona X z Y" with its real number; the contents and the bookmarks give each
    district's real page."""
    reader = PdfReader(report.path)
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == report.page_count
    for number, text in enumerate(texts, start=1):
        assert f"strona {number} z {report.page_count}" in text
    contents = texts[1]
    bookmarks = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                bookmarks[item.title] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    for _area, district in groups:
        page = int(re.search(rf"{district.name}\s*(\d+)", contents).group(1))
        assert district.name in texts[page - 1]
        assert bookmarks[district.name] == page
    return texts


def test_cuts_depend_on_the_content_around_them_not_on_positions():
    rng = random.Random(14)
    rows = sorted((rng.randrange(4), rng.randrange(27), pk) for pk in range(1, 20001))
    ids, keys = [pk for *_key, pk in rows], [(a, d) for a, d, _pk in rows]
    before = part_cache.stable_slices(ids, keys, 250)
    assert all(1 <= end - start <= 500 for start, end in before)
    assert all(keys[start][0] == keys[end - 1][0] for start, end in before)  # a part never spans two areas
    # 100 new opinions, each at the end of a random group (collected last).
    for new_id in range(20001, 20101):
        area, district = keys[rng.randrange(len(keys))]
        at = max(i for i, key in enumerate(keys) if key == (area, district)) + 1
        ids.insert(at, new_id)
        keys.insert(at, (area, district))
    after = part_cache.stable_slices(ids, keys, 250)
    old = {frozenset(rows_ids) for rows_ids in (_ids(rows, s, e) for s, e in before)}
    new = [frozenset(ids[s:e]) for s, e in after]
    changed = [part for part in new if part not in old]
    touched = {part for part in new if part & set(range(20001, 20101))}
    # The parts new opinions fall in changed, and very few others (a district growing past a quarter
    # of the size ends its own part; a part pushed past twice the size is cut, moving the next one).
    assert touched <= set(changed)
    assert len(set(changed) - touched) <= 3
    assert len(changed) < len(new) / 2, (len(changed), len(new))


def _ids(rows, start, end):
    return [pk for *_key, pk in rows[start:end]]


def test_a_new_report_after_new_opinions_renders_only_the_parts_that_changed(
    reference_data, cached, run_on_commit, renders
):
    groups = two_areas()
    first = make_report(run_on_commit)
    first_parts = body_parts(first)
    assert len(renders) == len(first_parts) >= 4
    assert not any(part.reused for part in first_parts)
    assert_pages_and_contents_right(first, groups)

    area, district = groups[3]
    published_opinions(1, area=area, district=district, text="Nowa opinia w ostatniej dzielnicy.")
    renders.clear()
    second = make_report(run_on_commit)
    second_parts = body_parts(second)
    old_keys = {part.key for part in first_parts}
    changed = [part.key for part in second_parts if part.key not in old_keys]
    # The part the new opinion fell in, and those printing the headings whose counts it changed.
    assert sorted(renders) == sorted(changed)
    assert 1 <= len(renders) <= 3
    assert all(part.reused == (part.key in old_keys) for part in second_parts)
    first_area_opinions = set(Opinion.objects.filter(area=groups[0][0]).values_list("pk", flat=True))
    assert all(part.reused for part in second_parts if set(part.spec["ids"]) <= first_area_opinions)
    assert second.parts_done == second.parts_total
    texts = assert_pages_and_contents_right(second, groups)
    assert "Nowa opinia w ostatniej dzielnicy." in "\n".join(texts)
    assert second.page_count >= first.page_count

    renders.clear()
    third = make_report(run_on_commit)  # nothing changed: no part rendered at all
    assert renders == []
    assert all(part.reused for part in body_parts(third))
    assert_pages_and_contents_right(third, groups)


def test_hiding_an_opinion_renders_its_part_again_without_it(reference_data, cached, run_on_commit, renders):
    groups = two_areas()
    first = make_report(run_on_commit)
    hidden = Opinion.objects.filter(area=groups[0][0], district=groups[0][1]).order_by("pk")[2]
    Opinion.objects.filter(pk=hidden.pk).update(hidden_by_flags=True)
    renders.clear()
    second = make_report(run_on_commit)
    [was_in] = [part for part in body_parts(first) if hidden.pk in part.spec["ids"]]
    assert was_in.key not in {part.key for part in body_parts(second)}
    now_in = [part for part in body_parts(second) if set(part.spec["ids"]) & set(was_in.spec["ids"])]
    assert now_in
    assert all(part.key in renders and not part.reused for part in now_in)
    assert all(hidden.pk not in part.spec["ids"] for part in body_parts(second))
    texts = assert_pages_and_contents_right(second, groups)
    assert hidden.text not in "\n".join(texts)
    assert any(part.reused for part in body_parts(second))  # the other area's parts were not touched


def test_deleting_a_report_deletes_its_cached_parts_and_leaves_later_reports_whole(
    reference_data, cached, run_on_commit, renders, django_capture_on_commit_callbacks
):
    groups = two_areas()
    first = make_report(run_on_commit)
    second = make_report(run_on_commit)
    first_files = [services.files.part_file(part) for part in body_parts(first)]
    second_files = [services.files.part_file(part) for part in body_parts(second)]
    assert all(path.exists() for path in first_files + second_files)
    assert all(part.reused for part in body_parts(second))

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert not ReportPart.objects.filter(report_id=first.pk).exists()
    assert not any(path.exists() for path in first_files)
    assert not part_cache.cached_parts_dir(first.pk).exists()
    assert not (services.reports_root() / f"{first.pk}.pdf").exists()
    assert all(path.exists() for path in second_files)
    assert second.path.exists()

    renders.clear()
    third = make_report(run_on_commit)  # still reuses: from the second report
    assert renders == []
    assert all(part.reused for part in body_parts(third))
    assert_pages_and_contents_right(third, groups)


def test_a_part_is_cached_only_once_done(reference_data, cached, run_on_commit):
    two_areas()
    report = make_report(run_on_commit)
    assert {part.status for part in body_parts(report)} == {PartStatus.DONE}
    assert all(part.key and not part.reused for part in body_parts(report))
    front = report.parts.get(run=report.run, index=services.FRONT_PART)
    assert front.key == ""  # rendered again by every merge, with the real page numbers


def test_running_a_report_again_reuses_its_own_parts_and_drops_the_files_no_run_uses(
    reference_data, cached, run_on_commit, renders
):
    groups = two_areas()
    report = make_report(run_on_commit)
    first_run_keys = {part.key for part in body_parts(report)}
    area, district = groups[3]
    published_opinions(1, area=area, district=district, text="Dopisana opinia.")
    renders.clear()
    again = run_on_commit(services.report_retry, actor=coordinator(), report=report)
    assert again.status == ReportStatus.DONE, again.error_detail
    parts = body_parts(again)
    assert again.run == report.run + 1
    assert sorted(renders) == sorted(part.key for part in parts if not part.reused)
    assert any(part.reused for part in parts)
    on_disk = {path.stem for path in part_cache.cached_parts_dir(again.pk).glob("*.pdf")}
    assert on_disk == {part.key for part in parts}  # the first run's changed parts are gone
    assert first_run_keys - on_disk
    assert_pages_and_contents_right(again, groups)
