"""Moderation for abuse, triage and answers (one by one and in bulk, in constant queries), likely duplicates,
and citations of comments by the changes of a later version."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultation import services
from consultation.models import Answer, ChangeCitation, Comment, CommentGroup
from consultation.selectors import changes_of
from consultation.similarity import similar_comments
from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus
from strategy import services as strategy_services
from strategy.models import Block, VersionState
from strategy.services import FrozenVersion
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.consultation.factories import closed_consultation, draft, make_comment
from tests.strategy.factories import editor, make_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

JUSTIFICATION = "Zapis przeniesiono do programu rewitalizacji, który to obejmuje."


@pytest.fixture
def consultation(reference_data):
    return closed_consultation(draft(blocks=3)["version"])


# Moderation ----------------------------------------------------------------------------------------


def test_a_moderator_publishes_and_rejects_with_a_reason_logged(consultation):
    pending = make_comment(consultation, status=ModerationStatus.PENDING)
    other = make_comment(consultation, status=ModerationStatus.PENDING)
    staff = moderator()
    services.comment_moderate(actor=staff, comment=pending, action=ModerationAction.PUBLISH)
    with pytest.raises(ValidationError) as raised:
        services.comment_moderate(actor=staff, comment=other, action=ModerationAction.REJECT)
    assert "reason" in raised.value.message_dict
    services.comment_moderate(actor=staff, comment=other, action=ModerationAction.REJECT, reason="Wulgaryzmy.")
    pending.refresh_from_db()
    other.refresh_from_db()
    assert pending.status == ModerationStatus.PUBLISHED
    assert other.rejection_reason == "Wulgaryzmy."
    log = ModerationLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Comment))
    assert sorted(log.values_list("action", flat=True)) == [ModerationAction.PUBLISH, ModerationAction.REJECT]


def test_residents_do_not_moderate(consultation):
    with pytest.raises(PermissionDenied):
        services.comment_moderate(
            actor=UserFactory(), comment=make_comment(consultation), action=ModerationAction.PUBLISH
        )


@pytest.mark.parametrize("count", [1, 40])
def test_bulk_moderation_takes_the_same_queries_for_any_number(consultation, count):
    ids = [make_comment(consultation, status=ModerationStatus.PENDING).pk for _ in range(count)]
    staff = moderator()
    with CaptureQueriesContext(connection) as queries:
        result = services.comments_moderate_bulk(
            actor=staff, consultation=consultation, comment_ids=ids, action=ModerationAction.PUBLISH
        )
    assert len(result["done"]) == count
    # groups (the role), savepoint-free durable transaction: lock, UPDATE, INSERT of the log, content type
    assert len(queries) == 6


# Answers -------------------------------------------------------------------------------------------


def test_every_comment_gets_an_answer_with_a_sentence_of_justification(consultation):
    comment = make_comment(consultation)
    with pytest.raises(ValidationError) as raised:
        services.comment_answer(actor=coordinator(), comment=comment, answer=Answer.TAKEN, justification="Tak.")
    assert "justification" in raised.value.message_dict
    services.comment_answer(actor=coordinator(), comment=comment, answer=Answer.TAKEN, justification=JUSTIFICATION)
    comment.refresh_from_db()
    assert comment.answer == Answer.TAKEN
    assert comment.answered_at is not None


def test_the_editorial_team_answers_a_moderator_does_not(consultation):
    comment = make_comment(consultation)
    services.comment_answer(actor=editor(), comment=comment, answer=Answer.PARTLY, justification=JUSTIFICATION)
    with pytest.raises(PermissionDenied):
        services.comment_answer(
            actor=moderator(), comment=comment, answer=Answer.NOT_TAKEN, justification=JUSTIFICATION
        )


def test_a_comment_rejected_in_moderation_is_not_answered(consultation):
    comment = make_comment(consultation, status=ModerationStatus.REJECTED)
    with pytest.raises(ValidationError, match="rejected in moderation"):
        services.comment_answer(actor=coordinator(), comment=comment, answer=Answer.TAKEN, justification=JUSTIFICATION)


@pytest.mark.parametrize("count", [5, 500])
def test_a_bulk_answer_sets_each_comment_in_constant_queries(consultation, count):
    ids = [make_comment(consultation).pk for _ in range(count)]
    person = coordinator()
    with CaptureQueriesContext(connection) as queries:
        updated = services.comments_answer_bulk(
            actor=person,
            consultation=consultation,
            comment_ids=ids,
            answer=Answer.OUT_OF_SCOPE,
            justification=JUSTIFICATION,
        )
    assert updated == count
    assert Comment.objects.filter(answer=Answer.OUT_OF_SCOPE).count() == count
    # the roles and team memberships (rules), savepoint, lock, the ids, one UPDATE: whatever the number
    assert len(queries) == 6


def test_answers_are_final_once_the_report_is_published(consultation):
    comment = make_comment(consultation)
    type(consultation).objects.filter(pk=consultation.pk).update(
        report_generated_at="2030-01-01T10:00Z", report_published_at="2030-01-02T10:00Z"
    )
    with pytest.raises(ValidationError, match="answers are final"):
        services.comment_answer(actor=coordinator(), comment=comment, answer=Answer.TAKEN, justification=JUSTIFICATION)


def test_an_answer_changed_after_generation_takes_the_report_back(consultation):
    comment = make_comment(consultation)
    type(consultation).objects.filter(pk=consultation.pk).update(report_generated_at="2030-01-01T10:00Z")
    services.comment_answer(actor=coordinator(), comment=comment, answer=Answer.TAKEN, justification=JUSTIFICATION)
    consultation.refresh_from_db()
    assert consultation.report_generated_at is None


def test_groups_and_assignment(consultation):
    comments = [make_comment(consultation) for _ in range(3)]
    team = editor()
    group = services.group_create(
        actor=coordinator(), consultation=consultation, title="Ścieżki rowerowe", comment_ids=[c.pk for c in comments]
    )
    services.comments_assign(
        actor=coordinator(), consultation=consultation, comment_ids=[comments[0].pk], assignee=team
    )
    with pytest.raises(ValidationError):
        services.comments_assign(
            actor=coordinator(), consultation=consultation, comment_ids=[comments[0].pk], assignee=UserFactory()
        )
    assert Comment.objects.filter(group=group).count() == 3
    assert Comment.objects.get(pk=comments[0].pk).assignee == team
    services.group_delete(actor=coordinator(), group=group)
    assert not CommentGroup.objects.exists()
    assert Comment.objects.filter(consultation=consultation).count() == 3


def test_likely_duplicates_are_suggested_by_text(consultation):
    campaign = "Prosimy o zachowanie parku Rusałka w obecnym kształcie, bez nowej zabudowy i parkingów."
    first = make_comment(consultation, text=campaign)
    make_comment(
        consultation, text="Prosimy o zachowanie parku Rusałka w obecnym kształcie bez nowej zabudowy, ani parkingów!"
    )
    make_comment(consultation, text="W parkach potrzebne są toalety publiczne i więcej ławek dla seniorów.")
    found = similar_comments(first)
    assert len(found) == 1
    assert found[0].score >= 90


# From comments to changes --------------------------------------------------------------------------


def test_a_changed_block_of_the_next_version_cites_comments(consultation):
    block = Block.objects.filter(version=consultation.version).order_by("position").last()
    comment = make_comment(consultation, block=block, answer=Answer.TAKEN, answer_justification=JUSTIFICATION)
    team = editor()
    later = strategy_services.version_create(
        actor=team, strategy=consultation.version.strategy, based_on=consultation.version
    )
    changed = Block.objects.get(version=later, key=block.key)
    strategy_services.block_update(
        actor=team, block=changed, expected_revision=changed.revision, text="Akapit po konsultacjach o seniorach."
    )
    services.change_cite(actor=team, version=later, block_key=block.key, comment_ids=[comment.pk])
    services.change_cite(actor=team, version=later, block_key=block.key, comment_ids=[comment.pk])  # no duplicate
    assert ChangeCitation.objects.count() == 1
    changes = changes_of(comment, public_only=False)
    assert changes[0].version == later
    assert "<ins>" in changes[0].diff
    assert changes_of(comment, public_only=True) == []  # the working draft is not public


def test_citations_are_refused_in_a_frozen_version_and_by_a_coordinator(consultation):
    block = Block.objects.filter(version=consultation.version).first()
    comment = make_comment(consultation, block=block)
    frozen = make_version(VersionState.AFTER_CONSULTATION, number=consultation.version.number + 1)
    with pytest.raises(FrozenVersion):
        services.change_cite(actor=editor(), version=frozen, block_key=block.key, comment_ids=[comment.pk])
    working = strategy_services.version_create(
        actor=editor(), strategy=consultation.version.strategy, based_on=consultation.version
    )
    with pytest.raises(PermissionDenied):
        services.change_cite(actor=coordinator(), version=working, block_key=block.key, comment_ids=[comment.pk])
    assert not ChangeCitation.objects.exists()


def test_the_moderation_log_names_and_links_consultation_comments(consultation, client):
    pending = make_comment(consultation, status=ModerationStatus.PENDING)
    services.comment_moderate(actor=moderator(), comment=pending, action=ModerationAction.REJECT, reason="Spam.")
    client.force_login(coordinator())
    html = client.get("/panel/moderacja/dziennik/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    staff_page = f"/panel/konsultacje/{consultation.pk}/uwagi/{pending.number}/"
    assert f'<a href="{staff_page}">uwaga konsultacyjna nr {pending.number}</a>' in html
