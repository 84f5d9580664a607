"""Differences between versions, aligned by stable key."""

import re

import pytest

from strategy import diff, services
from strategy.models import Block, StrategicGoal, VersionState
from tests.strategy.factories import editor, make_block, make_chapter, make_goal, make_indicator, make_version

pytestmark = pytest.mark.django_db


def test_changed_added_removed_and_moved_elements(reference_data):
    old = make_version(VersionState.CONSULTATION_DRAFT)
    chapter = make_chapter(old, "Diagnoza")
    kept, changed, removed, moved = (
        make_block(chapter, text) for text in ("Stały.", "Stary tekst.", "Usunięty.", "Przeniesiony.")
    )
    goal = make_goal(old)
    make_indicator(goal=goal, target_value="1400")
    member = editor()
    new = services.version_create(actor=member, strategy=old.strategy, based_on=old)
    in_new = {block.key: block for block in Block.objects.filter(version=new)}
    services.block_update(actor=member, block=in_new[changed.key], expected_revision=1, text="Nowy tekst.")
    services.block_delete(actor=member, block=in_new[removed.key])
    services.block_move(actor=member, block=in_new[moved.key], offset=-1)
    services.block_move(actor=member, block=in_new[moved.key], offset=-1)
    added = services.block_create(actor=member, version=new, chapter=in_new[kept.key].chapter, text="Dodany.")
    new_goal = StrategicGoal.objects.get(version=new, key=goal.key)
    indicator = new_goal.indicators.get()
    services.indicator_save(
        actor=member,
        version=new,
        indicator=indicator,
        expected_revision=1,
        data=services.IndicatorData(
            name=indicator.name,
            unit="ha",
            baseline_value="1250,5",
            baseline_year=2019,
            target_value="1500",
            target_year=2030,
            source=indicator.source,
            frequency="annual",
            polarity="more",
            goal=new_goal,
        ),
    )

    comparison = diff.compare(old, new)

    by_anchor = {change.anchor: change for change in comparison.changes}
    assert by_anchor[f"b-{changed.key}"].status == diff.CHANGED
    assert "<del>" in by_anchor[f"b-{changed.key}"].html
    assert by_anchor[f"b-{removed.key}"].status == diff.REMOVED
    assert by_anchor[f"b-{moved.key}"].status == diff.MOVED
    assert by_anchor[f"b-{added.key}"].status == diff.ADDED
    assert f"b-{kept.key}" not in by_anchor
    indicator_change = by_anchor[f"i-{indicator.key}"]
    assert indicator_change.status == diff.CHANGED
    visible = re.sub(r'<span class="visually-hidden">.*?</span>', "", indicator_change.html)
    assert "<del>400</del><ins>500</ins>" in visible
    assert comparison.counts == {"added": 1, "removed": 1, "changed": 2, "moved": 1}
    assert comparison.unchanged >= 2  # the chapter and the goal


def test_the_comparison_reads_a_constant_number_of_queries(reference_data, django_assert_num_queries):
    versions = []
    for size in (2, 20):
        version = make_version(VersionState.CONSULTATION_DRAFT)
        chapter = make_chapter(version)
        for index in range(size):
            make_block(chapter, f"Akapit {index}.")
        versions.append(version)
    with django_assert_num_queries(12):
        diff.compare(versions[0], versions[1])
