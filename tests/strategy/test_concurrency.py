"""Real concurrent transactions on PostgreSQL: two editors saving one block, an edit racing a change of state."""

import pytest

from strategy import services
from strategy.models import Block, BlockRevision, StrategyVersion, VersionState
from tests.recommendations.test_concurrency import race
from tests.strategy.factories import editor, make_block, make_chapter, make_version

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_editors_saving_the_same_block_at_once(reference_data):
    version = make_version()
    block = make_block(make_chapter(version), "Tekst wyjściowy.")
    alice, bob = editor(), editor()

    def save(actor, text):
        return lambda: services.block_update(actor=actor, block=block, expected_revision=1, text=text)

    results = race(save(alice, "Tekst Alicji."), save(bob, "Tekst Boba."))
    conflicts = [r for r in results if isinstance(r, services.EditConflict)]
    saved = [r for r in results if isinstance(r, Block)]
    assert len(conflicts) == 1, results
    assert len(saved) == 1, results
    block.refresh_from_db()
    assert block.revision == 2
    assert block.text == saved[0].text
    assert BlockRevision.objects.filter(block=block).count() == 2


def test_an_edit_never_slips_into_a_version_sent_to_review(reference_data):
    version = make_version()
    block = make_block(make_chapter(version), "Tekst wyjściowy.")
    member = editor()
    results = race(
        lambda: services.block_update(
            actor=member, block=block, expected_revision=1, text="Zmiana w ostatniej chwili."
        ),
        lambda: services.version_submit_for_review(actor=member, version=version),
    )
    version.refresh_from_db()
    block.refresh_from_db()
    assert version.state == VersionState.INTERNAL_REVIEW
    edit = results[0]
    if isinstance(edit, Block):  # the edit came first: it is in the version that went to review
        assert block.text == "Zmiana w ostatniej chwili."
    else:  # the review came first: the edit was refused as frozen and wrote nothing
        assert edit.code == "frozen"
        assert block.text == "Tekst wyjściowy."


def test_two_next_versions_at_once_make_one(reference_data):
    old = make_version(VersionState.CONSULTATION_DRAFT)
    make_block(make_chapter(old), "Tekst.")
    strategy = old.strategy
    results = race(
        lambda: services.version_create(actor=editor(), strategy=strategy, based_on=old),
        lambda: services.version_create(actor=editor(), strategy=strategy, based_on=old),
    )
    assert sum(isinstance(r, StrategyVersion) for r in results) == 1, results
    assert StrategyVersion.objects.filter(state=VersionState.WORKING).count() == 1
