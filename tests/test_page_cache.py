"""Whole pages shared by every visitor (lublin2030.page_cache), the personal pieces filled in on each
response, who the visitor is in one query, and the one Redis client per process (lublin2030.cache)."""

import os
import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lublin2030 import versions
from participation import services as participation_services
from stages import services as stage_services
from stages.models import Stage
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.participation.factories import OpinionFactory
from tests.participation.test_views import LIST_URL, make_published

TOKEN = r'name="csrfmiddlewaretoken" value="[^"]+"'
HOME = "/"
STAFF_PANEL = reverse("staff_home")
LOG_OUT = reverse("account_logout")
MY_OPINIONS = reverse("participation:my_opinions")


@pytest.fixture
def cache_calls(monkeypatch):
    """Every call this process makes to the default cache, by method (not the calls a backend makes
    to itself: the local-memory cache's get_many calls its get)."""
    calls, depth = [], [0]
    backend = type(caches["default"])
    for name in ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many", "has_key", "touch"):
        original = getattr(backend, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, counted)
    return calls


def test_a_signed_in_resident_gets_the_home_page_for_one_query(client, reference_data, django_assert_num_queries):
    client.force_login(UserFactory())
    client.get(HOME)  # renders the shared page
    # Who she is: her user, roles and verified address in one query (the session comes from the cache).
    with django_assert_num_queries(1):
        response = client.get(HOME)
    html = response.content.decode()
    assert f'href="{MY_OPINIONS}"' in html
    assert f'action="{LOG_OUT}"' in html
    assert STAFF_PANEL not in html


def test_a_signed_in_resident_gets_the_opinion_list_for_one_query(client, reference_data, django_assert_num_queries):
    make_published(30)
    client.force_login(UserFactory())
    client.get(LIST_URL)
    with django_assert_num_queries(1):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert f'href="{MY_OPINIONS}"' in response.content.decode()


def test_the_home_page_is_rendered_once_for_everyone(client, reference_data, django_assert_num_queries):
    client.get(HOME)
    with django_assert_num_queries(0):
        assert client.get(HOME).status_code == 200


def test_staff_links_never_enter_the_shared_body(client, reference_data):
    """The coordinator renders the shared page first: what others get from it has none of her links."""
    for url in (HOME, LIST_URL):
        client.force_login(coordinator())
        staff_page = client.get(url).content.decode()
        assert f'href="{STAFF_PANEL}"' in staff_page

        client.logout()
        anonymous = client.get(url).content.decode()
        assert STAFF_PANEL not in anonymous
        assert LOG_OUT not in anonymous
        assert 'href="/konto/login/"' in anonymous

        resident = UserFactory()
        client.force_login(resident)
        own = client.get(url).content.decode()
        assert STAFF_PANEL not in own
        assert f'action="{LOG_OUT}"' in own
        cache.clear()


def test_one_resident_never_gets_another_residents_piece(reference_data):
    first, second = Client(), Client()
    first.force_login(UserFactory())
    second.force_login(moderator())
    first_html = first.get(LIST_URL).content.decode()
    second_html = second.get(LIST_URL).content.decode()
    # The same shared body (the moderator's request was a hit), each with her own menu and token.
    assert f'href="{STAFF_PANEL}"' in second_html
    assert STAFF_PANEL not in first_html
    first_token = first.cookies["csrftoken"].value
    second_token = second.cookies["csrftoken"].value
    assert first_token != second_token
    assert "lublin2030-csrf-token-placeholder" not in first_html + second_html
    assert "account-menu-placeholder" not in first_html + second_html
    # Her next page is the same but for the token (masked anew on each response).
    assert re.sub(TOKEN, "", first.get(LIST_URL).content.decode()) == re.sub(TOKEN, "", first_html)


def test_a_calendar_write_retires_the_home_page(client, reference_data):
    stage = Stage.objects.get(number=3)
    client.get(HOME)
    stage.title_pl = "Nowy tytuł etapu trzeciego"
    stage.save(update_fields=["title_pl"])  # the admin's way: no service, a signal bumps the calendar
    assert "Nowy tytuł etapu trzeciego" in client.get(HOME).content.decode()
    stage_services.process_set_current_stage(actor=coordinator(), stage=stage, reason="Próba.")
    html = client.get(HOME).content.decode()
    assert "Nowy tytuł etapu trzeciego" in html.split('aria-current="step"')[1].split("</li>")[0]


def test_the_home_page_of_yesterday_is_not_served_today(client, reference_data, monkeypatch):
    """Windows open and close by day: the day is part of the key."""
    client.get(HOME)
    before = versions.current(versions.CALENDAR)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    with CaptureQueriesContext(connection) as queries:
        client.get(HOME)
    assert len(queries) == 3  # rendered again: the calendar's three queries
    assert versions.current(versions.CALENDAR) == before


def test_a_moderation_decision_retires_the_cached_list_for_signed_in_residents(client, reference_data):
    make_published(2)
    client.force_login(UserFactory())
    client.get(LIST_URL)
    new = OpinionFactory(text="Więcej ławek na placu Litewskim.")
    participation_services.opinion_publish(actor=moderator(), opinion=new)
    assert "Więcej ławek na placu Litewskim." in client.get(LIST_URL).content.decode()


def test_cache_calls_per_request(client, reference_data, cache_calls):
    client.get(HOME)
    cache_calls.clear()
    client.get(HOME)
    assert cache_calls == ["get_many", "get"]  # the versions, then the page

    client.force_login(UserFactory())
    client.get(HOME)
    cache_calls.clear()
    client.get(HOME)
    assert cache_calls == ["get", "get_many", "get"]  # her session, the versions, the page


# --- one Redis client per process ------------------------------------------------------------------


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client():
    from lublin2030.cache import ResilientRedisCache

    backend = ResilientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "pagecache-test"})
    backend.set("a", 1)
    client = backend._cache.get_client("a")
    assert backend.get("a") == 1
    assert backend._cache.get_client("a", write=True) is client
    # Another cache object for the same server (Django keeps one per thread) shares the client.
    other = ResilientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "pagecache-test"})
    assert other._cache.get_client("a") is client
    backend.delete("a")


@pytest.mark.redis
def test_a_forked_process_does_not_share_the_parents_socket():
    from lublin2030.cache import ResilientRedisCache

    backend = ResilientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "pagecache-test"})
    backend.set("fork", 1)
    parent_client = backend._cache.get_client("fork")
    parent_connection = parent_client.connection_pool.get_connection()
    parent_port = parent_connection._sock.getsockname()[1]
    parent_client.connection_pool.release(parent_connection)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer on the pipe, never return into pytest
        try:
            value = backend.get("fork")
            child_client = backend._cache.get_client("fork")
            connection = child_client.connection_pool.get_connection()
            port = connection._sock.getsockname()[1]
            same = child_client is parent_client or port == parent_port
            os.write(write, f"{value}:{int(same)}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    assert answer == "1:0"
    backend.delete("fork")


def test_a_membership_written_anywhere_retires_the_group_page(client, reference_data, django_assert_num_queries):
    from tests.workgroups.factories import MembershipFactory, WorkingGroupFactory

    group = WorkingGroupFactory()
    url = reverse("workgroups:group_detail", kwargs={"slug": group.slug})
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)
    MembershipFactory(group=group, user=UserFactory(display_name="Nowa Członkini Grupy"))  # no service
    assert "Nowa Członkini Grupy" in client.get(url).content.decode()


def test_a_signed_in_visitor_gets_the_group_page_rendered_for_her(client, reference_data):
    """Managers see the members' addresses: never from, nor into, the shared page."""
    from tests.workgroups.factories import MembershipFactory, WorkingGroupFactory

    group = WorkingGroupFactory()
    MembershipFactory(group=group, user=UserFactory(email="czlonkini@example.org"))
    url = reverse("workgroups:group_detail", kwargs={"slug": group.slug})
    assert "czlonkini@example.org" not in client.get(url).content.decode()
    client.force_login(coordinator())
    assert "czlonkini@example.org" in client.get(url).content.decode()
    client.logout()
    assert "czlonkini@example.org" not in client.get(url).content.decode()


def test_publishing_a_strategy_version_retires_the_reading_page(client, reference_data):
    from tests.strategy.test_views import public_document

    assert client.get("/strategia/").status_code == 200  # no public version yet: kept as it is
    public_document()
    assert "Rozdział numer 2" in client.get("/strategia/").content.decode()


def test_a_signed_in_resident_gets_the_shared_opinion_page_with_her_own_actions(
    client, reference_data, django_assert_num_queries
):
    from participation.models import FlagReason

    opinion = make_published(1, text="Ławeczki w parku Saskim.")[0]
    url = opinion.get_absolute_url()
    moderate = reverse("participation:moderation_detail", kwargs={"pk": opinion.pk})
    client.force_login(moderator())  # she renders the shared page: her moderation link stays hers
    assert f'href="{moderate}"' in client.get(url).content.decode()
    resident = UserFactory()
    client.force_login(resident)
    # her user with roles, the opinion's state, its trace, whether she reported it
    with django_assert_num_queries(4):
        html = client.get(url).content.decode()
    assert moderate not in html
    assert f'href="{reverse("participation:opinion_flag", kwargs={"pk": opinion.pk})}"' in html
    participation_services.opinion_flag(actor=resident, opinion=opinion, reason=FlagReason.SPAM)
    html = client.get(url).content.decode()
    assert "Ta opinia ma już Twoje zgłoszenie." in html
    client.logout()
    html = client.get(url).content.decode()
    assert "Ta opinia ma już Twoje zgłoszenie." not in html
    assert f'href="/konto/login/?next={url}"' in html
