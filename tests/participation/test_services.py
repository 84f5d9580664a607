"""The write path of opinions: submitting, moderating, flagging, and what each leaves behind."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lublin2030 import ratelimit
from lublin2030.versions import publication_version
from participation import public_counts, public_list, selectors, services
from participation.models import (
    Area,
    Channel,
    District,
    FlagReason,
    ModerationAction,
    ModerationLogEntry,
    ModerationStatus,
    Opinion,
    OpinionFlag,
)
from stages.services import WindowClosed
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.participation.factories import OpinionFactory

pytestmark = pytest.mark.django_db

TEXT = "Potrzebujemy więcej zieleni i ławek na osiedlach."


@pytest.fixture
def opinions_open(open_window):
    return open_window("opinions")


def submit(author, **overrides):
    values = {
        "actor": author,
        "area": Area.objects.get(slug="edukacja"),
        "district": District.objects.get(slug="caly-lublin"),
        "text": TEXT,
        "age_bracket": "25-34",
        "ip_address": "192.0.2.1",
    }
    values.update(overrides)
    return services.opinion_submit(**values)


def published(**kwargs):
    return OpinionFactory(
        published=True,
        area=Area.objects.get(slug="edukacja"),
        district=District.objects.get(slug="caly-lublin"),
        channel=Channel.objects.get(code=Channel.ONLINE_FORM),
        **kwargs,
    )


# --- submitting ----------------------------------------------------------------------------------


def test_submit_stores_a_pending_online_opinion_in_the_open_stage(opinions_open):
    author = UserFactory()
    opinion = submit(author, text="  " + TEXT + "\r\nDruga linia.  ")
    assert opinion.status == ModerationStatus.PENDING
    assert opinion.author == author
    assert opinion.channel.code == Channel.ONLINE_FORM
    assert opinion.stage == opinions_open.stage
    assert opinion.age_bracket == "25-34"
    assert opinion.text == TEXT + "\nDruga linia."  # trimmed, CRLF stored as one character
    assert not opinion.is_public


def test_submit_is_refused_when_the_window_is_closed(close_all_windows):
    with pytest.raises(WindowClosed):
        submit(UserFactory())
    assert not Opinion.objects.exists()


def test_submit_requires_a_verified_email(opinions_open):
    with pytest.raises(PermissionDenied):
        submit(UserFactory(verified=False))
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("text", ["za krótko", " " * 30, "x" * 2001])
def test_submit_enforces_text_limits(opinions_open, text):
    with pytest.raises(ValidationError) as raised:
        submit(UserFactory(), text=text)
    assert "text" in raised.value.message_dict


def test_text_of_exactly_the_limits_is_accepted(opinions_open):
    submit(UserFactory(), text="x" * 10)
    submit(UserFactory(), text="y" * 2000)
    # line breaks count once, as the browser's counter counts them
    submit(UserFactory(), text=("z" * 99 + "\r\n") * 20)
    assert Opinion.objects.count() == 3


def test_rate_limit_per_account(opinions_open, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:user": "2/h"}
    author = UserFactory()
    submit(author, ip_address="192.0.2.1")
    submit(author, ip_address="192.0.2.2")
    with pytest.raises(ratelimit.RateLimited) as raised:
        submit(author, ip_address="192.0.2.3")
    assert raised.value.code == "rate_limited"
    assert Opinion.objects.count() == 2
    submit(UserFactory(), ip_address="192.0.2.1")  # another account is not affected


def test_rate_limit_per_ip_address(opinions_open, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:ip": "3/h"}
    for _ in range(3):
        submit(UserFactory(), ip_address="198.51.100.7")
    with pytest.raises(ratelimit.RateLimited):
        submit(UserFactory(), ip_address="198.51.100.7")
    submit(UserFactory(), ip_address="198.51.100.8")
    assert Opinion.objects.count() == 4


def test_rate_limit_message_is_polish_in_polish(opinions_open, settings):
    from django.utils import translation

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:user": "1/h"}
    author = UserFactory()
    submit(author)
    with translation.override("pl"), pytest.raises(ratelimit.RateLimited) as raised:
        submit(author)
    assert "Wysłano zbyt wiele opinii" in raised.value.messages[0]


def test_rate_limit_counts_again_in_the_next_period(opinions_open, settings, monkeypatch):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:user": "1/m"}
    author = UserFactory()
    clock = [1_000_040.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    submit(author)
    with pytest.raises(ratelimit.RateLimited) as raised:
        submit(author)
    assert raised.value.retry_after == 41  # the minute's window ends 40 s later
    clock[0] += 41
    submit(author)


def test_a_refused_or_failed_submission_does_not_count(opinions_open, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opinion:user": "2/h"}
    author = UserFactory()
    submit(author)
    with pytest.raises(ValidationError):
        submit(author, area=None)  # nothing stored: its count is given back
    submit(author)
    assert Opinion.objects.filter(author=author).count() == 2


# --- moderation ----------------------------------------------------------------------------------


def test_publish_makes_it_public_logs_and_emails_after_commit(
    reference_data, django_capture_on_commit_callbacks, mailoutbox
):
    staff = moderator()
    opinion = OpinionFactory(area=Area.objects.get(slug="edukacja"))
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_publish(actor=staff, opinion=opinion)
        assert mailoutbox == []  # nothing before commit
    opinion.refresh_from_db()
    assert opinion.is_public
    assert opinion.published_at is not None
    assert opinion.moderated_by == staff
    entry = ModerationLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (staff, ModerationAction.PUBLISH, opinion.pk)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [opinion.author.email]
    assert "opublikowana" in message.subject
    assert "published" in message.subject
    assert f"/opinie/{opinion.pk}/" in message.body
    assert "English" in message.body


def test_reject_requires_a_reason_and_tells_the_author(reference_data, django_capture_on_commit_callbacks, mailoutbox):
    staff = moderator()
    opinion = OpinionFactory()
    with pytest.raises(ValidationError):
        services.opinion_reject(actor=staff, opinion=opinion, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_reject(actor=staff, opinion=opinion, reason="Zawiera dane osobowe sąsiada.")
    opinion.refresh_from_db()
    assert opinion.status == ModerationStatus.REJECTED
    assert opinion.rejection_reason == "Zawiera dane osobowe sąsiada."
    assert ModerationLogEntry.objects.get().reason == "Zawiera dane osobowe sąsiada."
    assert len(mailoutbox) == 1
    assert "Zawiera dane osobowe sąsiada." in mailoutbox[0].body


def test_imported_opinion_without_author_is_moderated_without_email(
    reference_data, django_capture_on_commit_callbacks, mailoutbox
):
    opinion = OpinionFactory(author=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_publish(actor=moderator(), opinion=opinion)
    assert mailoutbox == []


def test_residents_cannot_moderate(reference_data):
    opinion = OpinionFactory()
    with pytest.raises(PermissionDenied):
        services.opinion_publish(actor=UserFactory(), opinion=opinion)
    with pytest.raises(PermissionDenied):
        services.opinions_moderate_bulk(actor=UserFactory(), opinion_ids=[opinion.pk], action="publish")


def test_coordinator_may_moderate(reference_data):
    opinion = services.opinion_publish(actor=coordinator(), opinion=OpinionFactory())
    assert opinion.is_public


def test_publishing_twice_is_refused(reference_data):
    staff = moderator()
    opinion = OpinionFactory()
    services.opinion_publish(actor=staff, opinion=opinion)
    with pytest.raises(ValidationError):
        services.opinion_publish(actor=staff, opinion=opinion)
    assert ModerationLogEntry.objects.count() == 1


def test_bulk_publish_and_reject(reference_data, django_capture_on_commit_callbacks, mailoutbox):
    staff = moderator()
    pending = OpinionFactory.create_batch(3)
    already = OpinionFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.opinions_moderate_bulk(
            actor=staff, opinion_ids=[o.pk for o in pending] + [already.pk], action=ModerationAction.PUBLISH
        )
    assert sorted(result["done"]) == sorted(o.pk for o in pending)
    assert result["skipped"] == [already.pk]
    assert Opinion.objects.filter(status=ModerationStatus.PUBLISHED).count() == 4
    assert ModerationLogEntry.objects.filter(action=ModerationAction.PUBLISH).count() == 3
    assert len(mailoutbox) == 3

    with pytest.raises(ValidationError):
        services.opinions_moderate_bulk(actor=staff, opinion_ids=[pending[0].pk], action=ModerationAction.REJECT)
    result = services.opinions_moderate_bulk(
        actor=staff, opinion_ids=[pending[0].pk, pending[1].pk], action=ModerationAction.REJECT, reason="Reklama."
    )
    assert len(result["done"]) == 2
    assert set(Opinion.objects.filter(status=ModerationStatus.REJECTED).values_list("rejection_reason", flat=True)) == {
        "Reklama."
    }


@pytest.mark.parametrize("count", [1, 30, 60])
@pytest.mark.parametrize(
    ("action", "queries"),
    [
        # SAVEPOINT (the test's transaction stands for the request's), lock the opinions, UPDATE them,
        # INSERT the log entries, RELEASE
        (ModerationAction.PUBLISH, 5),
        # the same, and close their flags
        (ModerationAction.REJECT, 6),
    ],
)
def test_bulk_moderation_takes_the_same_queries_for_1_30_or_60_opinions(
    reference_data, django_assert_num_queries, count, action, queries
):
    staff = moderator()
    opinions = OpinionFactory.create_batch(count)
    for opinion in opinions:
        OpinionFlag.objects.create(opinion=opinion, user=UserFactory(), reason="spam")
    staff.has_perm("participation.moderate_opinion")  # the role, read once per request
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Opinion)  # cached for the process
    with django_assert_num_queries(queries):
        result = services.opinions_moderate_bulk(
            actor=staff, opinion_ids=[o.pk for o in opinions], action=action, reason="Poza tematem konsultacji."
        )
    assert len(result["done"]) == count
    expected_status = ModerationStatus.PUBLISHED if action == ModerationAction.PUBLISH else ModerationStatus.REJECTED
    assert set(Opinion.objects.values_list("status", flat=True)) == {expected_status}
    assert ModerationLogEntry.objects.filter(action=action).count() == count
    if action == ModerationAction.REJECT:
        assert not OpinionFlag.objects.filter(reviewed_at__isnull=True).exists()


def test_publication_version_changes_when_public_changes(reference_data):
    staff = moderator()
    before = publication_version()
    services.opinion_publish(actor=staff, opinion=OpinionFactory())
    assert publication_version() != before


# --- flags ---------------------------------------------------------------------------------------


def test_flags_hide_an_opinion_at_the_threshold(reference_data, settings):
    settings.OPINION_FLAGS_TO_HIDE = 3
    opinion = published()
    for number in range(2):
        services.opinion_flag(actor=UserFactory(), opinion=opinion, reason=FlagReason.OFFENSIVE)
        opinion.refresh_from_db()
        assert opinion.flag_count == number + 1
        assert opinion.is_public
    services.opinion_flag(actor=UserFactory(), opinion=opinion, reason=FlagReason.SPAM, details="link")
    opinion.refresh_from_db()
    assert opinion.hidden_by_flags
    assert not opinion.is_public
    assert opinion in selectors.moderation_queue()
    assert opinion not in Opinion.objects.public()
    entry = ModerationLogEntry.objects.get(action=ModerationAction.FLAG_HIDE)
    assert entry.actor is None
    assert entry.object_id == opinion.pk
    assert "3" in entry.reason


def test_restore_unhides_and_clears_the_flags(reference_data, settings):
    settings.OPINION_FLAGS_TO_HIDE = 1
    opinion = published()
    services.opinion_flag(actor=UserFactory(), opinion=opinion, reason=FlagReason.OFFENSIVE)
    services.opinion_restore(actor=moderator(), opinion=opinion, reason="Krytyka, nie obraza.")
    opinion.refresh_from_db()
    assert opinion.is_public
    assert opinion.flag_count == 0
    assert not OpinionFlag.objects.filter(reviewed_at__isnull=True).exists()
    assert ModerationLogEntry.objects.filter(action=ModerationAction.RESTORE).count() == 1
    # a new resident's flag starts counting again
    services.opinion_flag(actor=UserFactory(), opinion=opinion, reason=FlagReason.OFFENSIVE)
    opinion.refresh_from_db()
    assert opinion.hidden_by_flags


def test_publish_on_a_hidden_opinion_restores_it(reference_data, settings):
    settings.OPINION_FLAGS_TO_HIDE = 1
    opinion = published()
    services.opinion_flag(actor=UserFactory(), opinion=opinion, reason=FlagReason.OFFENSIVE)
    services.opinions_moderate_bulk(actor=moderator(), opinion_ids=[opinion.pk], action=ModerationAction.PUBLISH)
    opinion.refresh_from_db()
    assert opinion.is_public
    assert ModerationLogEntry.objects.filter(action=ModerationAction.RESTORE).exists()


def test_moderator_rejects_a_hidden_opinion(reference_data, settings):
    settings.OPINION_FLAGS_TO_HIDE = 1
    opinion = published()
    services.opinion_flag(actor=UserFactory(), opinion=opinion, reason=FlagReason.PERSONAL_DATA)
    services.opinion_reject(actor=moderator(), opinion=opinion, reason="Nazwisko sąsiada.")
    opinion.refresh_from_db()
    assert opinion.status == ModerationStatus.REJECTED
    assert not opinion.hidden_by_flags
    assert opinion not in selectors.moderation_queue()


def test_one_flag_per_resident(reference_data):
    opinion = published()
    user = UserFactory()
    services.opinion_flag(actor=user, opinion=opinion, reason=FlagReason.SPAM)
    with pytest.raises(ValidationError):
        services.opinion_flag(actor=user, opinion=opinion, reason=FlagReason.OTHER)
    assert OpinionFlag.objects.count() == 1


def test_author_cannot_flag_own_opinion_nor_unverified_nor_unpublished(reference_data):
    opinion = published()
    with pytest.raises(PermissionDenied):
        services.opinion_flag(actor=opinion.author, opinion=opinion, reason=FlagReason.SPAM)
    with pytest.raises(PermissionDenied):
        services.opinion_flag(actor=UserFactory(verified=False), opinion=opinion, reason=FlagReason.SPAM)
    with pytest.raises(ValidationError):
        services.opinion_flag(actor=UserFactory(), opinion=OpinionFactory(), reason=FlagReason.SPAM)
    assert not OpinionFlag.objects.exists()


# --- e-mail delivery ----------------------------------------------------------------------------


def test_a_broker_outage_keeps_the_email_in_the_outbox(reference_data, django_capture_on_commit_callbacks, broker_down):
    from lublin2030.models import OutboxMessage

    opinion = OpinionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_publish(actor=moderator(), opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.is_public
    [message] = OutboxMessage.objects.all()
    assert (message.task_name, message.kwargs) == (
        "participation.tasks.notify_moderation_decision",
        {"opinion_ids": [opinion.pk]},
    )


def test_task_retries_only_failed_emails(reference_data, monkeypatch):
    from participation import tasks

    opinions = [services.opinion_publish(actor=moderator(), opinion=OpinionFactory()) for _ in range(2)]
    calls = []
    monkeypatch.setattr(services, "opinion_decisions_notify", lambda *, opinion_ids: [opinion_ids[0]])

    def fake_retry(**kwargs):
        calls.append(kwargs["kwargs"])
        raise RuntimeError("retry")

    monkeypatch.setattr(tasks.notify_moderation_decision, "retry", fake_retry)
    with pytest.raises(RuntimeError):
        tasks.notify_moderation_decision.run(opinion_ids=[o.pk for o in opinions])
    assert calls == [{"opinion_ids": [opinions[0].pk]}]


# --- events --------------------------------------------------------------------------------------


def test_event_services(reference_data):
    import datetime

    from django.utils import timezone

    from stages.models import Stage

    staff = coordinator()
    start = timezone.now() + datetime.timedelta(days=3)
    event = services.event_create(
        actor=staff,
        title=" Kafejka na Czubach ",
        stage=Stage.objects.get(number=2),
        channel=Channel.objects.get(code="kafejka"),
        district=District.objects.get(slug="czuby-polnocne"),
        place="Dom Kultury",
        starts_at=start,
    )
    assert event.title == "Kafejka na Czubach"
    with pytest.raises(ValidationError):
        services.event_update(actor=staff, event=event, ends_at=start - datetime.timedelta(hours=1))
    services.event_update(actor=staff, event=event, place="Szkoła nr 5")
    event.refresh_from_db()
    assert event.place == "Szkoła nr 5"
    with pytest.raises(PermissionDenied):
        services.event_update(actor=moderator(), event=event, place="x")


# --- public opinion counts (the facets' source on PostgreSQL) -----------------------------------


def live_counts() -> dict:
    """Public opinions counted directly: what PublicOpinionCount must always add up to."""
    from django.db.models import Count

    rows = (
        Opinion.objects.public()
        .order_by()
        .values_list("area_id", "district_id", "channel_id", "stage_id")
        .annotate(n=Count("*"))
    )
    return {tuple(row[:4]): row[4] for row in rows}


def kept_counts() -> dict:
    from django.db.models import Sum

    from participation.models import PublicOpinionCount

    rows = (
        PublicOpinionCount.objects.order_by()
        .values_list("area_id", "district_id", "channel_id", "stage_id")
        .annotate(n=Sum("count"))
    )
    return {tuple(row[:4]): row[4] for row in rows if row[4]}


@pytest.mark.postgres
def test_triggers_keep_the_counts_exact_whatever_writes_the_opinions(reference_data, settings):
    from participation import imports
    from participation.models import PublicOpinionCount
    from stages.models import Stage

    settings.OPINION_FLAGS_TO_HIDE = 1
    staff = moderator()
    education, academic = Area.objects.get(slug="edukacja"), Area.objects.get(slug="akademickosc")
    stage = Stage.objects.get(number=2)

    def check():
        assert kept_counts() == live_counts()

    first, second = published(stage=stage), published()  # factories: a plain INSERT
    pending = OpinionFactory(area=academic)
    check()
    services.opinion_publish(actor=staff, opinion=pending)
    check()
    services.opinion_reject(actor=staff, opinion=first, reason="Reklama.")
    check()
    services.opinion_flag(actor=UserFactory(), opinion=second, reason=FlagReason.SPAM)  # hidden at 1 flag
    check()
    assert live_counts() == {(academic.pk, pending.district_id, pending.channel_id, None): 1}
    services.opinion_restore(actor=staff, opinion=second)
    check()
    more = OpinionFactory.create_batch(3)
    services.opinions_moderate_bulk(actor=staff, opinion_ids=[o.pk for o in more], action=ModerationAction.PUBLISH)
    check()
    Opinion.objects.filter(pk=more[0].pk).update(area=education)  # any UPDATE, even outside the services
    check()
    Opinion.objects.filter(pk=more[1].pk).delete()
    check()
    Opinion.objects.bulk_create(
        [Opinion(text=TEXT, area=academic, district=second.district, channel=second.channel, stage=stage,
                 status=ModerationStatus.PUBLISHED) for _ in range(5)]
    )  # fmt: skip
    check()
    good = Path(__file__).parent / "data_files" / "good.csv"  # three rows
    assert imports.opinions_import(actor=staff, path=good, name=good.name, publish=True).created == 3
    check()
    assert sum(live_counts().values()) == 1 + 1 + 3 - 1 + 5 + 3

    rows_before = PublicOpinionCount.objects.count()
    assert public_counts.public_counts_compact() > 0
    check()
    assert PublicOpinionCount.objects.count() == len(live_counts()) < rows_before  # one row per combination
    assert public_counts.public_counts_compact() == 0  # nothing left to fold
    PublicOpinionCount.objects.all().delete()  # lost, e.g. data restored without triggers
    public_counts.public_counts_rebuild()
    check()


@pytest.mark.postgres
def test_facets_come_from_the_counts_in_one_query(reference_data, django_assert_num_queries):
    published(), published()
    filters = public_list.OpinionFilters(area=Area.objects.get(slug="edukacja").pk)
    with django_assert_num_queries(1):
        facets = public_list.facet_counts(filters)
    assert facets.total == 2
    assert facets == public_list._facets_from_rows(list(live_counts_rows()), filters)  # the same sums


def live_counts_rows():
    return [(*key, n) for key, n in live_counts().items()]


@pytest.mark.postgres
def test_each_publication_folds_the_counts_after_commit(reference_data, django_capture_on_commit_callbacks):
    from participation.models import PublicOpinionCount

    for _ in range(3):
        published()
    pending = OpinionFactory(
        area=Area.objects.get(slug="edukacja"),
        district=District.objects.get(slug="caly-lublin"),
        channel=Channel.objects.get(code=Channel.ONLINE_FORM),
    )
    assert PublicOpinionCount.objects.count() == 3  # one row per INSERT, all of the same combination
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_publish(actor=moderator(), opinion=pending)
    assert list(PublicOpinionCount.objects.values_list("count", flat=True)) == [4]
    assert kept_counts() == live_counts()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_folding_never_loses_what_a_running_transaction_counts(reference_data):
    """A decision still uncommitted while the counts are folded is counted once it commits."""
    import threading

    from django.db import connection, transaction

    published(), published()
    pending = OpinionFactory(  # the same combination: its uncommitted row must not be folded
        area=Area.objects.get(slug="edukacja"),
        district=District.objects.get(slug="caly-lublin"),
        channel=Channel.objects.get(code=Channel.ONLINE_FORM),
    )
    staff = moderator()
    decided, folded = threading.Event(), threading.Event()
    errors = []

    def moderate():
        try:
            with transaction.atomic():
                services.opinion_publish(actor=staff, opinion=pending)
                decided.set()
                folded.wait(10)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            decided.set()
        finally:
            connection.close()

    thread = threading.Thread(target=moderate)
    thread.start()
    assert decided.wait(10)
    assert public_counts.public_counts_compact() == 2 + 2  # the two committed rows only, of each count table
    folded.set()
    thread.join(10)
    assert not errors
    assert kept_counts() == live_counts()
    assert sum(live_counts().values()) == 3
