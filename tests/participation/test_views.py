"""Pages of participation: what each role sees, filters and facets, and the query budget of every list."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from participation import public_list, services
from participation.models import (
    Area,
    Channel,
    District,
    Event,
    FlagReason,
    ModerationAction,
    ModerationLogEntry,
    ModerationStatus,
    Opinion,
)
from stages.models import Stage
from tests.accounts.factories import UserFactory, admin, coordinator, moderator
from tests.participation.factories import EventFactory, OpinionFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/opinie/"


def ref(model, **lookup):
    return model.objects.get(**lookup)


def make_published(count, **kwargs):
    defaults = {
        "area": ref(Area, slug="edukacja"),
        "district": ref(District, slug="caly-lublin"),
        "channel": ref(Channel, code=Channel.ONLINE_FORM),
        "stage": ref(Stage, number=2),
    }
    defaults.update(kwargs)
    return OpinionFactory.create_batch(count, published=True, **defaults)


def opinion_numbers(response) -> set[int]:
    return {int(n) for n in re.findall(r'href="/opinie/(\d+)/"', response.content.decode())}


# --- public list ---------------------------------------------------------------------------------


def test_list_shows_only_published_visible_opinions(client, reference_data):
    shown = make_published(2)
    pending = OpinionFactory(area=ref(Area, slug="edukacja"))
    rejected = OpinionFactory(status=ModerationStatus.REJECTED, rejection_reason="x")
    hidden = make_published(1, hidden_by_flags=True)[0]
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert opinion_numbers(response) == {o.pk for o in shown}
    for other in (pending, rejected, hidden):
        assert f"/opinie/{other.pk}/" not in response.content.decode()


def test_filters_and_facet_counts(client, reference_data):
    education, academic = ref(Area, slug="edukacja"), ref(Area, slug="akademickosc")
    whole, czuby = ref(District, slug="caly-lublin"), ref(District, slug="czuby-polnocne")
    cafe = ref(Channel, code="kafejka")
    a = make_published(3, area=education, district=whole)
    b = make_published(2, area=academic, district=czuby)
    c = make_published(1, area=academic, district=whole, channel=cafe)

    response = client.get(LIST_URL, {"area": "akademickosc"})
    assert opinion_numbers(response) == {o.pk for o in b + c}
    html = response.content.decode()
    assert "3 opinie" in html or "3 opinions" in html
    # The area facet ignores the chosen area: it tells how many each other area would give.
    assert re.search(r'<option value="edukacja">[^<]*\(3\)</option>', html)
    assert re.search(r'<option value="akademickosc" selected>[^<]*\(3\)</option>', html)
    # Other facets count within the chosen area.
    assert re.search(r'<option value="czuby-polnocne">[^<]*\(2\)</option>', html)
    assert re.search(r'<option value="caly-lublin">[^<]*\(1\)</option>', html)
    assert re.search(r'<option value="kafejka">[^<]*\(1\)</option>', html)

    response = client.get(LIST_URL, {"area": "akademickosc", "district": "caly-lublin"})
    assert opinion_numbers(response) == {c[0].pk}
    response = client.get(LIST_URL, {"channel": "kafejka"})
    assert opinion_numbers(response) == {c[0].pk}
    response = client.get(LIST_URL, {"stage": "2"})
    assert opinion_numbers(response) == {o.pk for o in a + b + c}
    response = client.get(LIST_URL, {"stage": "5"})
    assert opinion_numbers(response) == set()


def facet_count(response, name: str, value: str) -> int:
    """The count shown next to one option of a filter."""
    html = response.content.decode()
    select = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.DOTALL).group(1)
    return int(re.search(rf'<option value="{value}"[^>]*>[^<]*\((\d+)\)</option>', select).group(1))


def total_shown(response) -> int:
    return int(re.search(r'<h2 id="results-title">(\d+) ', response.content.decode()).group(1))


def test_every_decision_changes_the_facet_counts_at_once(client, reference_data, settings):
    """Publish, reject, hide after flags, restore and import: the next visitor sees exact counts."""
    from pathlib import Path

    from participation import imports

    settings.OPINION_FLAGS_TO_HIDE = 1
    staff = moderator()
    make_published(2)
    pending = OpinionFactory(area=ref(Area, slug="edukacja"), district=ref(District, slug="caly-lublin"))

    def education():
        response = client.get(LIST_URL)
        return facet_count(response, "area", "edukacja"), total_shown(response)

    assert education() == (2, 2)
    services.opinion_publish(actor=staff, opinion=pending)
    assert education() == (3, 3)
    services.opinion_reject(actor=staff, opinion=pending, reason="Reklama.")
    assert education() == (2, 2)
    flagged = Opinion.objects.filter(status=ModerationStatus.PUBLISHED).first()
    services.opinion_flag(actor=UserFactory(), opinion=flagged, reason=FlagReason.SPAM)
    assert education() == (1, 1)
    services.opinion_restore(actor=staff, opinion=flagged)
    assert education() == (2, 2)
    good = Path(__file__).parent / "data_files" / "good.csv"  # one row in education, three in all
    imports.opinions_import(actor=staff, path=good, name=good.name, publish=True)
    assert education() == (3, 5)
    response = client.get(LIST_URL, {"area": "edukacja"})
    assert (facet_count(response, "district", "caly-lublin"), total_shown(response)) == (2, 3)


def test_unknown_filter_values_are_ignored(client, reference_data):
    shown = make_published(2)
    response = client.get(LIST_URL, {"area": "no-such-area", "stage": "abc", "district": "<script>"})
    assert response.status_code == 200
    assert opinion_numbers(response) == {o.pk for o in shown}


def test_search_ignores_case_on_every_database(client, reference_data):
    """Full-text search on PostgreSQL, the icontains fallback on SQLite: both find the word."""
    hit = make_published(1, text="Więcej ZIELENI w centrum miasta.")[0]
    make_published(1, text="Ścieżki rowerowe wzdłuż Bystrzycy.")
    response = client.get(LIST_URL, {"q": "zieleni"})
    assert opinion_numbers(response) == {hit.pk}


def test_search_folds_polish_letters_and_inflection_on_every_database(client, reference_data):
    """The page promises "zielen" finds "zieleń"; inflected forms find each other too."""
    hit = make_published(1, text="Nowe ławki i zieleń w Śródmieściu.")[0]
    make_published(1, text="Ścieżki rowerowe wzdłuż Bystrzycy.")
    for q in ("lawek", "ławka", "zielen", "Śródmieście", "srodmiesciu"):
        assert opinion_numbers(client.get(LIST_URL, {"q": q})) == {hit.pk}, q


def test_pagination_uses_the_cached_total(client, reference_data):
    make_published(25)
    first = client.get(LIST_URL)
    assert len(opinion_numbers(first)) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(LIST_URL, {"page": 2})
    assert len(opinion_numbers(second)) == 5
    assert opinion_numbers(first).isdisjoint(opinion_numbers(second))
    assert client.get(LIST_URL, {"page": "9999"}).status_code == 200


@pytest.mark.parametrize("count", [5, 40])
def test_list_query_count_is_constant(client, reference_data, django_assert_num_queries, count):
    make_published(count)
    with django_assert_num_queries(3):
        assert client.get(LIST_URL, {"area": "edukacja"}).status_code == 200


@pytest.mark.parametrize(
    "query", [{}, {"q": "zieleni"}, {"q": "zieleni", "area": "edukacja"}, {"page": "3"}, {"page": "999"}]
)
def test_cold_list_query_count_for_search_and_deep_pages(client, reference_data, django_assert_num_queries, query):
    from django.db import connection

    make_published(45)
    # the reference names, the facets, the page; a search on PostgreSQL counts its matches apart
    expected = 4 if query.get("q") and connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        response = client.get(LIST_URL, query)
    assert response.status_code == 200
    assert opinion_numbers(response)


@pytest.mark.postgres
def test_a_search_page_is_the_same_whichever_way_it_is_fetched(reference_data):
    """Few matches are sorted after the GIN index finds them all; many walk the recency index."""
    import datetime

    from participation import selectors

    now = timezone.now()
    for number, opinion in enumerate(make_published(45)):
        # Equal publication times too: the order must then follow the id, both ways.
        Opinion.objects.filter(pk=opinion.pk).update(published_at=now - datetime.timedelta(minutes=number // 3))
    make_published(5, text="Ścieżki rowerowe wzdłuż Bystrzycy.")
    filters = public_list.OpinionFilters(q="zieleni")
    refs = public_list.reference_lists()
    sorted_rows = public_list.PublicRows(filters, refs, matches=45, public=50)
    assert sorted_rows._sort_matches(0)  # 45 matches: sorting them is cheaper than any walk
    assert not public_list.PublicRows(filters, refs, matches=9_000, public=20_000)._sort_matches(0)
    walked_rows = public_list.PublicRows(filters, refs, matches=45, public=50)
    walked_rows._sort_matches = lambda offset: False
    expected = list(public_list.public_opinion_list(filters).values_list("pk", flat=True))
    for rows in (sorted_rows, walked_rows):
        pages = [rows[start : start + selectors.PAGE_SIZE] for start in range(0, 45, selectors.PAGE_SIZE)]
        assert [row.pk for page in pages for row in page] == expected


def test_list_query_count_for_a_signed_in_resident(client, reference_data, django_assert_num_queries):
    make_published(30)
    client.force_login(UserFactory())
    with django_assert_num_queries(4):
        assert client.get(LIST_URL).status_code == 200


def test_cached_list_costs_no_query_and_publication_refreshes_it(client, reference_data, django_assert_num_queries):
    make_published(3)
    client.get(LIST_URL)
    with django_assert_num_queries(0):
        client.get(LIST_URL)
    new = OpinionFactory(area=ref(Area, slug="edukacja"))
    services.opinion_publish(actor=moderator(), opinion=new)
    assert new.pk in opinion_numbers(client.get(LIST_URL))


def test_english_list_is_cached_separately(client, reference_data):
    make_published(1)
    assert "Residents" not in client.get(LIST_URL).content.decode()
    assert "Residents' opinions" in client.get("/en" + LIST_URL).content.decode().replace("&#x27;", "'")


# --- detail --------------------------------------------------------------------------------------


def test_detail_of_a_published_opinion(client, reference_data):
    opinion = make_published(1, text="Ławeczki w parku Saskim.")[0]
    response = client.get(opinion.get_absolute_url())
    assert response.status_code == 200
    assert "Ławeczki w parku Saskim." in response.content.decode()
    assert opinion.author.email not in response.content.decode()


@pytest.mark.parametrize("status", [ModerationStatus.PENDING, ModerationStatus.REJECTED, "hidden"])
def test_unpublished_opinion_is_404_for_others_but_visible_to_author_and_staff(client, reference_data, status):
    if status == "hidden":
        opinion = make_published(1, hidden_by_flags=True)[0]
    else:
        opinion = OpinionFactory(status=status, rejection_reason="Powód odrzucenia.")
    url = opinion.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(opinion.author)
    response = client.get(url)
    assert response.status_code == 200
    if status == ModerationStatus.REJECTED:
        assert "Powód odrzucenia." in response.content.decode()
    client.force_login(moderator())
    assert client.get(url).status_code == 200


def test_opinion_page_is_cached_for_everyone_but_the_visitor_part_is_not(client, reference_data, settings):
    """The public part is rendered once; flag state, author and moderator links stay per visitor."""
    settings.OPINION_FLAGS_TO_HIDE = 5
    opinion = make_published(1, text="Ławeczki w parku Saskim.")[0]
    url = opinion.get_absolute_url()
    report_link = reverse("participation:opinion_flag", kwargs={"pk": opinion.pk})
    anonymous = client.get(url).content.decode()  # renders and keeps the public part
    assert "Ławeczki w parku Saskim." in anonymous
    assert f'href="/konto/login/?next={url}"' in anonymous

    resident = UserFactory()
    client.force_login(resident)
    html = client.get(url).content.decode()
    assert "Ławeczki w parku Saskim." in html
    assert f'href="{report_link}"' in html
    services.opinion_flag(actor=resident, opinion=opinion, reason=FlagReason.SPAM)  # not public-changing
    html = client.get(url).content.decode()
    assert f'href="{report_link}"' not in html
    assert "Ta opinia ma już Twoje zgłoszenie." in html

    client.force_login(opinion.author)
    html = client.get(url).content.decode()
    assert f'href="{report_link}"' not in html
    assert f'href="{reverse("participation:my_opinions")}"' in html.split('class="opinion-actions"')[1]

    client.force_login(moderator())
    html = client.get(url).content.decode()
    assert f'href="{reverse("participation:moderation_detail", kwargs={"pk": opinion.pk})}"' in html
    assert "Ławeczki w parku Saskim." in html


def test_cached_opinion_page_costs_two_queries_and_follows_each_decision(
    client, reference_data, django_assert_num_queries
):
    staff = moderator()
    opinion = make_published(1, text="Ławeczki w parku Saskim.")[0]
    url = opinion.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(2):  # who may see it (no join), and the trace of recommendations
        assert "Ławeczki w parku Saskim." in client.get(url).content.decode()
    services.opinion_reject(actor=staff, opinion=opinion, reason="Dane osobowe.")
    assert client.get(url).status_code == 404  # at once: the rejection bumped the version
    client.force_login(opinion.author)
    html = client.get(url).content.decode()
    assert "Dane osobowe." in html  # the author's notice, never from the cache
    client.logout()
    services.opinion_publish(actor=staff, opinion=opinion)
    html = client.get(url).content.decode()
    assert "Dane osobowe." not in html
    assert "Ławeczki w parku Saskim." in html


def test_cached_public_part_is_never_served_once_the_opinion_is_not_public(client, reference_data):
    """Even without a version bump (a cache outage during a decision), a hidden opinion is not shown."""
    opinion = make_published(1)[0]
    url = opinion.get_absolute_url()
    client.get(url)
    Opinion.objects.filter(pk=opinion.pk).update(hidden_by_flags=True)  # no service, no bump
    assert client.get(url).status_code == 404
    client.force_login(opinion.author)
    assert "Ukryta po zgłoszeniach" in client.get(url).content.decode()


def test_trace_of_recommendations_is_never_stale_on_a_cached_opinion_page(client, reference_data):
    from recommendations.models import RecommendationStatus
    from tests.recommendations.factories import RecommendationFactory, cite

    recommendation = RecommendationFactory(status=RecommendationStatus.VERIFIED, title="Zielone podwórka")
    opinion = make_published(1, area=recommendation.group.area)[0]
    url = opinion.get_absolute_url()
    assert "Zielone podwórka" not in client.get(url).content.decode()
    cite(recommendation, opinion)  # the recommendations app bumps nothing of ours
    assert "Zielone podwórka" in client.get(url).content.decode()


def test_english_opinion_page_is_cached_separately(client, reference_data):
    opinion = make_published(1)[0]
    assert "Strategic area" not in client.get(opinion.get_absolute_url()).content.decode()
    assert "Strategic area" in client.get("/en" + opinion.get_absolute_url()).content.decode()


def test_detail_has_the_trace_block_for_recommendations(reference_data):
    from django.template.loader import get_template

    template = get_template("participation/opinion_detail.html").template
    assert "opinion_trace" in [node.name for node in template.nodelist.get_nodes_by_type(type(_block_node()))]


def _block_node():
    from django.template.loader_tags import BlockNode

    return BlockNode("x", [])


# --- submitting ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, reference_data):
    response = client.get(reverse("participation:opinion_create"))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_unverified_resident_is_sent_to_verify_the_email(client, open_window):
    open_window("opinions")
    client.force_login(UserFactory(verified=False))
    response = client.get(reverse("participation:opinion_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")
    assert client.get(response["Location"]).status_code == 200  # where the e-mail can be re-sent
    response = client.post(reverse("participation:opinion_create"), _form_data())
    assert response.status_code == 302
    assert not Opinion.objects.exists()


def _form_data(**overrides):
    data = {
        "area": str(ref(Area, slug="edukacja").pk),
        "district": str(ref(District, slug="caly-lublin").pk),
        "text": "Więcej zieleni i ławek w centrum, proszę.",
        "age_bracket": "",
    }
    data.update(overrides)
    return data


def test_form_shows_counter_data_privacy_notice_and_limits(client, open_window):
    open_window("opinions")
    client.force_login(UserFactory())
    response = client.get(reverse("participation:opinion_create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'maxlength="2000"' in html
    assert "data-char-counter" in html
    assert "participation-counter.js" in html
    assert f'href="{reverse("privacy")}"' in html
    assert "<script>" not in html


def test_submit_through_the_form(client, open_window):
    window = open_window("opinions")
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(reverse("participation:opinion_create"), _form_data(age_bracket="65-plus"))
    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:opinion_submitted", kwargs={"pk": opinion.pk})
    assert (opinion.author, opinion.stage, opinion.age_bracket) == (resident, window.stage, "65-plus")
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert 'role="status"' in confirmation.content.decode()
    client.force_login(UserFactory())
    assert client.get(response["Location"]).status_code == 404


def test_form_errors_for_too_short_and_too_long_text(client, open_window):
    open_window("opinions")
    client.force_login(UserFactory())
    for text in ("krótko", "x" * 2001):
        response = client.post(reverse("participation:opinion_create"), _form_data(text=text))
        assert response.status_code == 400
        assert "error-summary" in response.content.decode()
    assert not Opinion.objects.exists()


def test_closed_window_replaces_the_form_and_refuses_a_direct_post(client, close_all_windows):
    client.force_login(UserFactory())
    response = client.get(reverse("participation:opinion_create"))
    html = response.content.decode()
    assert "<textarea" not in html
    assert "window-closed" in html
    response = client.post(reverse("participation:opinion_create"), _form_data())
    assert response.status_code == 403
    assert not Opinion.objects.exists()


def test_rate_limited_post_is_429(client, open_window, settings):
    open_window("opinions")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:ip": "1/h"}
    client.force_login(UserFactory())
    assert client.post(reverse("participation:opinion_create"), _form_data()).status_code == 302
    client.force_login(UserFactory())
    response = client.post(reverse("participation:opinion_create"), _form_data())
    assert response.status_code == 429
    assert Opinion.objects.count() == 1


# --- my opinions ---------------------------------------------------------------------------------


def test_my_opinions_lists_status_and_reason(client, reference_data, django_assert_num_queries):
    resident = UserFactory()
    OpinionFactory.create_batch(25, author=resident, published=True)
    OpinionFactory(author=resident, status=ModerationStatus.REJECTED, rejection_reason="Dane osobowe sąsiada.")
    OpinionFactory(author=UserFactory(), text="Cudza opinia, której nie widać.")
    client.force_login(resident)
    with django_assert_num_queries(4):
        response = client.get(reverse("participation:my_opinions"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dane osobowe sąsiada." in html
    assert "Cudza opinia" not in html
    assert len(opinion_numbers(response)) == 20
    assert client.get(reverse("participation:my_opinions"), {"page": 2}).status_code == 200


def test_my_opinions_needs_an_account(client, reference_data):
    assert client.get(reverse("participation:my_opinions")).status_code == 302


# --- flags ---------------------------------------------------------------------------------------


def test_flag_through_the_page(client, reference_data):
    opinion = make_published(1)[0]
    client.force_login(UserFactory())
    url = reverse("participation:opinion_flag", kwargs={"pk": opinion.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": FlagReason.SPAM, "details": "Reklama sklepu."})
    assert response.status_code == 302
    assert opinion.flags.count() == 1
    assert client.get(url).status_code == 302  # already flagged


def test_author_and_anonymous_cannot_flag(client, reference_data):
    opinion = make_published(1)[0]
    url = reverse("participation:opinion_flag", kwargs={"pk": opinion.pk})
    assert client.post(url, {"reason": FlagReason.SPAM}).status_code == 302  # to log in
    client.force_login(opinion.author)
    assert client.post(url, {"reason": FlagReason.SPAM}).status_code == 403
    assert not opinion.flags.exists()


# --- moderation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_user", "status"),
    [(None, 302), (UserFactory, 403), (moderator, 200), (coordinator, 200), (admin, 200)],
    ids=["anonymous", "resident", "moderator", "coordinator", "admin"],
)
def test_moderation_queue_access(client, reference_data, make_user, status):
    if make_user:
        client.force_login(make_user())
    assert client.get(reverse("participation:moderation_queue")).status_code == status


def test_queue_lists_pending_and_hidden_with_constant_queries(client, reference_data, django_assert_num_queries):
    from participation.models import OpinionFlag

    OpinionFactory.create_batch(30)
    hidden = make_published(2, hidden_by_flags=True)
    for opinion in hidden:
        OpinionFlag.objects.create(opinion=opinion, user=UserFactory(), reason=FlagReason.OFFENSIVE)
    make_published(3)
    client.force_login(moderator())
    # 6: the log link's permission is the rules' (moderators read the log), no model-permission lookup
    with django_assert_num_queries(6):
        response = client.get(reverse("participation:moderation_queue"))
    html = response.content.decode()
    assert html.count('name="opinions"') == 32
    assert html.count('name="restore_one"') == 2


def test_bulk_publish_from_the_queue(client, reference_data, django_capture_on_commit_callbacks, mailoutbox):
    opinions = OpinionFactory.create_batch(3)
    staff = moderator()
    client.force_login(staff)
    url = reverse("participation:moderation_queue")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "publish", "opinions": [opinions[0].pk, opinions[1].pk], "bulk": "1"})
    assert response.status_code == 302
    assert Opinion.objects.filter(status=ModerationStatus.PUBLISHED).count() == 2
    assert len(mailoutbox) == 2
    response = client.post(url, {"action": "reject", "opinions": [opinions[2].pk], "reason": ""})
    assert response.status_code == 400
    assert Opinion.objects.get(pk=opinions[2].pk).status == ModerationStatus.PENDING
    response = client.post(url, {"action": "publish", "opinions": []})
    assert response.status_code == 400


def test_publish_one_from_the_queue(client, reference_data):
    opinion = OpinionFactory()
    client.force_login(moderator())
    response = client.post(reverse("participation:moderation_queue"), {"publish_one": str(opinion.pk)})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.is_public


def test_reject_one_with_a_reason(client, reference_data):
    opinion = OpinionFactory()
    client.force_login(moderator())
    url = reverse("participation:moderation_detail", kwargs={"pk": opinion.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "reject", "reason": ""}).status_code == 400
    response = client.post(url, {"action": "reject", "reason": "Wulgaryzmy."})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.status, opinion.rejection_reason) == (ModerationStatus.REJECTED, "Wulgaryzmy.")


def test_moderation_tells_a_deleted_account_from_an_import(client, reference_data):
    """An opinion from the web form whose author deleted her account is not "imported, no account"."""
    from accounts.services import user_delete

    author = UserFactory()
    online = OpinionFactory(author=author)
    user_delete(actor=author)
    imported = OpinionFactory(author=None, external_id="kafejka-2020-001")
    client.force_login(moderator())
    content = client.get(reverse("participation:moderation_detail", kwargs={"pk": online.pk})).content.decode()
    assert "autor usunął konto" in content
    assert "zaimportowana, bez konta" not in content
    content = client.get(reverse("participation:moderation_detail", kwargs={"pk": imported.pk})).content.decode()
    assert "zaimportowana, bez konta" in content
    assert "autor usunął konto" not in content


@pytest.mark.parametrize(
    ("make_user", "status"),
    [(None, 302), (UserFactory, 403), (moderator, 200), (coordinator, 200), (admin, 200)],
    ids=["anonymous", "resident", "moderator", "coordinator", "admin"],
)
def test_moderation_log_access(client, reference_data, make_user, status):
    if make_user:
        client.force_login(make_user())
    assert client.get(reverse("participation:moderation_log")).status_code == status


def test_moderation_log_filters_by_action_with_constant_queries(client, reference_data, django_assert_num_queries):
    staff = moderator()
    for opinion in OpinionFactory.create_batch(20):
        services.opinion_publish(actor=staff, opinion=opinion)
    rejected = OpinionFactory()
    services.opinion_reject(actor=staff, opinion=rejected, reason="Reklama pizzerii.")
    client.force_login(coordinator())
    with django_assert_num_queries(4):  # the 21 entries' opinions in one query, to name and link them
        response = client.get(reverse("participation:moderation_log"))
    assert response.content.decode().count("<tr>") == 22  # header + 21 entries
    response = client.get(reverse("participation:moderation_log"), {"action": ModerationAction.REJECT})
    html = response.content.decode()
    assert "Reklama pizzerii." in html
    assert html.count("<tr>") == 2
    assert ModerationLogEntry.objects.count() == 21


def test_moderation_log_names_the_recommendation_a_comment_belongs_to(
    client, reference_data, django_assert_num_queries
):
    from recommendations.services import comment_moderate
    from tests.recommendations.factories import CommentFactory

    staff = moderator()
    for opinion in OpinionFactory.create_batch(5):
        services.opinion_publish(actor=staff, opinion=opinion)
    comments = [CommentFactory(recommendation__title=f"Zielona sieć Lublina {n}") for n in range(5)]
    for comment in comments:
        comment_moderate(actor=staff, comment=comment, publish=True)
    client.force_login(staff)  # a moderator reads the log of the decisions
    # the user with her roles (the permission; the session from the cache), count, page of entries, opinions, comments, their recommendations
    with django_assert_num_queries(6):
        response = client.get(reverse("participation:moderation_log"))
    html = response.content.decode()
    recommendation = comments[0].recommendation
    assert (
        f'<a href="{recommendation.get_absolute_url()}">komentarz do rekomendacji „Zielona sieć Lublina 0”</a>' in html
    )
    assert f"komentarz do rekomendacji {comments[0].pk}" not in html
    assert html.count("komentarz do rekomendacji „") == 5
    assert html.count("opinia nr ") == 5


# --- statistics ----------------------------------------------------------------------------------


def test_statistics_with_charts_and_tables(client, reference_data, django_assert_num_queries):
    make_published(4)
    make_published(2, area=ref(Area, slug="akademickosc"), district=ref(District, slug="czuby-polnocne"))
    OpinionFactory()  # pending: not counted
    with django_assert_num_queries(3):
        response = client.get(reverse("participation:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<meter") == 2 + 2 + 1 + 1
    assert html.count("<caption>") == 4
    assert 'style="' not in html
    assert re.search(r"Akademicko\S*</th><td class=\"number\">2</td>", html)
    with django_assert_num_queries(0):  # cached
        client.get(reverse("participation:statistics"))


# --- events --------------------------------------------------------------------------------------


def test_event_list_upcoming_and_past(client, reference_data, django_assert_num_queries):
    now = timezone.now()
    EventFactory.create_batch(5, title="Kafejka przyszła")
    EventFactory.create_batch(5, title="Kafejka minęła", starts_at=now - datetime.timedelta(days=30))
    with django_assert_num_queries(3):
        response = client.get(reverse("participation:event_list"))
    html = response.content.decode()
    assert html.count("Kafejka przyszła") == 5
    assert html.count("Kafejka minęła") == 5
    assert html.index("Kafejka przyszła") < html.index("Kafejka minęła")


def test_stage_page_lists_its_events(client, reference_data, django_assert_num_queries):
    stage = Stage.objects.get(number=2)
    EventFactory.create_batch(3, title="Spotkanie na Czubach")
    response = client.get(stage.get_absolute_url())
    assert response.content.decode().count("Spotkanie na Czubach") == 3


@pytest.mark.parametrize(
    ("make_user", "status"),
    [(None, 302), (UserFactory, 403), (moderator, 403), (coordinator, 200), (admin, 200)],
    ids=["anonymous", "resident", "moderator", "coordinator", "admin"],
)
def test_event_manage_access(client, reference_data, make_user, status):
    if make_user:
        client.force_login(make_user())
    assert client.get(reverse("participation:event_manage")).status_code == status


def test_coordinator_creates_and_edits_an_event(client, reference_data, django_assert_num_queries):
    client.force_login(coordinator())
    data = {
        "title": "Punkt mobilny na Zemborzycach",
        "stage": str(Stage.objects.get(number=2).pk),
        "channel": str(ref(Channel, code="punkt-mobilny").pk),
        "district": str(ref(District, slug="czuby-polnocne").pk),
        "place": "Przystanek przy pętli",
        "starts_at": "2030-05-10T10:00",
        "ends_at": "2030-05-10T09:00",
        "description": "",
    }
    response = client.post(reverse("participation:event_create"), data)
    assert response.status_code == 400
    data["ends_at"] = "2030-05-10T14:00"
    response = client.post(reverse("participation:event_create"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert timezone.localtime(event.starts_at).hour == 10
    response = client.post(reverse("participation:event_update", kwargs={"pk": event.pk}), {**data, "place": "Pętla"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == "Pętla"
    EventFactory.create_batch(10)
    with django_assert_num_queries(3):
        assert client.get(reverse("participation:event_manage")).status_code == 200


@pytest.mark.parametrize("page", ["list", "opinion"])
def test_cached_page_gives_each_visitor_their_own_csrf_token(reference_data, page):
    from django.test import Client

    from lublin2030.page_cache import CSRF_PLACEHOLDER
    from participation.views import TRACE_PLACEHOLDER

    opinions = make_published(2)
    url = LIST_URL if page == "list" else opinions[0].get_absolute_url()
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in html
        assert TRACE_PLACEHOLDER not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        response = visitor.post("/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


@pytest.mark.parametrize("page", ["list", "opinion"])
def test_signed_in_visitor_never_gets_the_anonymous_page(client, reference_data, page):
    opinion = make_published(1)[0]
    url = LIST_URL if page == "list" else opinion.get_absolute_url()
    client.get(url)
    resident = UserFactory()
    client.force_login(resident)
    html = client.get(url).content.decode()
    assert 'href="/konto/login/"' not in html
    client.logout()
    assert 'href="/konto/login/"' in client.get(url).content.decode()


def test_publish_one_that_someone_else_already_decided(client, reference_data):
    opinion = OpinionFactory(published=True)
    client.force_login(moderator())
    response = client.post(reverse("participation:moderation_queue"), {"publish_one": str(opinion.pk)}, follow=True)
    assert response.status_code == 200
    assert ModerationLogEntry.objects.count() == 0
