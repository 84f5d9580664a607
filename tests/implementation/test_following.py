"""Following an opinion: one digest e-mail a day at most, sent by the worker, and a link that stops it all
without logging in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from implementation import following
from implementation.models import ActionStatus, Follow, FollowDigest
from tests.accounts.factories import UserFactory
from tests.implementation.factories import cited_opinion, in_force, make_action
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 5, 6)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")


def followed():
    """A resident follows an opinion that reached the adopted strategy; an action of its goal is planned."""
    strategy = in_force()
    opinion, _recommendation = cited_opinion(strategy.goals[0])
    action = make_action(strategy, strategy.directions[0], status=ActionStatus.PLANNED, title="Buspas na Zana")
    resident = UserFactory(email="anna@example.org")
    follow = following.follow_start(actor=resident, opinion=opinion)
    return resident, follow, action


def test_what_the_opinion_reached_before_is_not_news(reference_data, mailoutbox):
    resident, follow, _action = followed()
    assert "adopted:1" not in follow.seen  # the final draft is version 2
    assert any(step.startswith("adopted:") for step in follow.seen)
    assert not following.digest_send(user_id=resident.pk, today=TODAY)
    assert mailoutbox == []


def test_one_digest_a_day_with_the_news_and_a_way_out(reference_data, mailoutbox):
    resident, follow, action = followed()
    action.status = ActionStatus.IN_PROGRESS
    action.save()
    assert following.digest_send(user_id=resident.pk, today=TODAY)
    assert not following.digest_send(user_id=resident.pk, today=TODAY)  # the worker ran twice: still one
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["anna@example.org"]
    assert "“Buspas na Zana” has started (in progress)" in message.body
    assert f"/opinie/{follow.opinion_id}/droga/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    state = FollowDigest.objects.get(user=resident)
    assert state.last_sent_on == TODAY
    follow.refresh_from_db()
    assert f"action:{action.pk}" in follow.seen
    # The next day there is nothing new: nothing is sent.
    assert not following.digest_send(user_id=resident.pk, today=TODAY + datetime.timedelta(days=1))
    assert len(mailoutbox) == 1


def test_the_beat_queues_one_task_per_person_not_told_today(reference_data, queued_tasks):
    resident, _follow, _action = followed()
    other = UserFactory()
    following.follow_start(actor=other, opinion=Follow.objects.get().opinion)
    FollowDigest.objects.create(user=other, last_sent_on=TODAY)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert following.digests_queue(today=TODAY) == 1
    assert queued_tasks == [("implementation.tasks.send_follow_digest", [resident.pk], {})]


def test_the_unsubscribe_link_works_without_logging_in(reference_data, client):
    resident, _follow, _action = followed()
    token = following.unsubscribe_token(resident)
    page = client.get(f"/obserwowane/wypisz/{token}/")
    assert page.status_code == 200
    assert Follow.objects.filter(user=resident).exists()  # a GET (a mail scanner) changes nothing
    response = client.post(f"/obserwowane/wypisz/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.filter(user=resident).exists()
    assert client.get("/obserwowane/wypisz/not-our-token/").status_code == 404


def test_following_needs_a_verified_address_and_a_public_opinion(reference_data):
    opinion = OpinionFactory(published=True)
    with pytest.raises(PermissionDenied):
        following.follow_start(actor=UserFactory(verified=False), opinion=opinion)
    with pytest.raises(PermissionDenied):
        following.follow_start(actor=UserFactory(), opinion=OpinionFactory())  # pending


def test_follow_and_stop_through_the_pages(reference_data, client):
    opinion = OpinionFactory(published=True)
    resident = UserFactory()
    client.force_login(resident)
    client.post(f"/opinie/{opinion.pk}/obserwuj/", {"action": "start"})
    assert Follow.objects.filter(user=resident, opinion=opinion).exists()
    assert f"/opinie/{opinion.pk}/droga/" in client.get("/konto/obserwowane/").content.decode()
    client.post(f"/opinie/{opinion.pk}/obserwuj/", {"action": "stop"})
    assert not Follow.objects.exists()


def test_follows_are_personal_data(reference_data, client):
    from accounts.selectors import user_personal_data

    resident, follow, _action = followed()
    data = user_personal_data(user=resident)
    assert data["followed_opinions"] == [{"opinion": follow.opinion_id, "since": follow.created_at.isoformat()}]
    resident.delete()
    assert not Follow.objects.exists()
