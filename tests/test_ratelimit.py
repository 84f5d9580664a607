"""lublin2030.ratelimit: the one rate limit of opinions, flags, comments and logins.

The concurrency tests send 30 requests at once from threads against the real Redis of REDIS_URL: a
limiter that reads, then writes, lets most of them through (the walk-through stored 11 of 10).
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lublin2030 import ratelimit
from participation import services as participation_services
from participation.models import Area, District, FlagReason, ModerationStatus, Opinion, OpinionFlag
from recommendations import services as recommendation_services
from recommendations.models import Comment, RecommendationStatus
from tests.accounts.factories import PASSWORD, UserFactory
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import RecommendationFactory

SIMULTANEOUS = 30


def at_once(function, count: int = SIMULTANEOUS) -> list:
    """Run `function(i)` in `count` threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = function(index)
        except Exception as error:  # noqa: BLE001 - the refusals are what the test counts
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- the mechanism -------------------------------------------------------------------------------


def test_rates_read_from_settings():
    assert ratelimit.parse_rate("10/h") == (10, 3600)
    assert ratelimit.parse_rate("5/15m") == (5, 900)
    assert ratelimit.parse_rate("") is None


def test_a_hit_is_refused_above_the_count_and_gives_its_count_back(settings):
    settings.RATE_LIMITS = {"test:user": "2/h"}
    rule = ratelimit.limit("test:user", 1)
    assert ratelimit.hit(rule).allowed
    second = ratelimit.hit(rule)
    assert second.allowed
    refused = ratelimit.hit(rule)
    assert not refused.allowed
    assert refused.retry_after > 0
    second.undo()
    assert ratelimit.hit(rule).allowed  # the undone one freed its place
    assert ratelimit.hit(ratelimit.limit("test:user", 2)).allowed  # another key counts apart


def test_a_refusal_by_one_limit_counts_against_none(settings):
    settings.RATE_LIMITS = {"test:user": "1/h", "test:ip": "5/h"}
    ratelimit.hit(ratelimit.limit("test:user", 1))
    for _ in range(3):
        assert not ratelimit.hit(ratelimit.limit("test:user", 1), ratelimit.limit("test:ip", "a")).allowed
    for _ in range(5):
        assert ratelimit.hit(ratelimit.limit("test:ip", "a")).allowed  # the refused ones did not count


def test_with_the_cache_down_each_process_counts_on_its_own(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "lublin2030.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.RATE_LIMITS = {"test:user": "2/h"}
    ratelimit.clear_local()
    rule = ratelimit.limit("test:user", 1)
    assert [ratelimit.hit(rule).allowed for _ in range(3)] == [True, True, False]
    ratelimit.clear_local()


# --- thirty at once, on real Redis ---------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.postgres
def test_30_simultaneous_opinion_posts_with_a_limit_of_10_store_exactly_10(transactional_db, open_window, settings):
    open_window("opinions")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:user": "10/h"}
    author = UserFactory()
    area, district = Area.objects.get(slug="edukacja"), District.objects.get(slug="caly-lublin")
    clients = []
    for _ in range(SIMULTANEOUS):  # signed in beforehand: the threads only post
        client = Client()
        client.force_login(author)
        clients.append(client)

    def post(index):
        data = {"area": area.pk, "district": district.pk, "text": f"Więcej zieleni na osiedlach, numer {index}."}
        return clients[index].post(reverse("participation:opinion_create"), data)

    statuses = [response.status_code for response in at_once(post)]
    assert Opinion.objects.filter(author=author).count() == 10
    assert statuses.count(302) == 10  # stored, sent on to the thank-you page
    assert statuses.count(429) == 20


@pytest.mark.redis
@pytest.mark.postgres
def test_30_simultaneous_flags_with_a_limit_of_10_store_exactly_10(transactional_db, reference_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "flag:user": "10/h"}
    settings.OPINION_FLAGS_TO_HIDE = 100
    opinions = [OpinionFactory(status=ModerationStatus.PUBLISHED) for _ in range(SIMULTANEOUS)]
    resident = UserFactory()

    def flag(index):
        return participation_services.opinion_flag(actor=resident, opinion=opinions[index], reason=FlagReason.SPAM)

    at_once(flag)
    assert OpinionFlag.objects.filter(user=resident).count() == 10


@pytest.mark.redis
@pytest.mark.postgres
def test_30_simultaneous_comments_with_a_limit_of_10_store_exactly_10(transactional_db, open_window, settings):
    open_window("recommendation_comments")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment:user": "10/h"}
    recommendation = RecommendationFactory(status=RecommendationStatus.SUBMITTED)
    resident = UserFactory()

    def comment(index):
        return recommendation_services.comment_submit(
            actor=resident, recommendation=recommendation, text=f"Brakuje tu ścieżek rowerowych, uwaga {index}."
        )

    at_once(comment)
    assert Comment.objects.filter(author=resident).count() == 10


@pytest.mark.redis
@pytest.mark.postgres
def test_30_simultaneous_wrong_passwords_let_exactly_5_be_tried(transactional_db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failed:account_ip": "5/15m"}
    UserFactory(email="anna@example.org")

    def guess(index):
        return Client().post(reverse("account_login"), {"login": "anna@example.org", "password": f"zgaduj{index}"})

    statuses = [response.status_code for response in at_once(guess)]
    assert statuses.count(200) == 5  # tried, and told the password is wrong
    assert statuses.count(429) == 25
    # The owner elsewhere is not affected.
    response = Client().post(
        reverse("account_login"), {"login": "anna@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.20"
    )
    assert response.status_code == 302
