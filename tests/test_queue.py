"""The one way to queue background work: after commit, and kept in the outbox while the broker is down."""

import socket

import pytest
from celery import Celery
from django.db import transaction

from lublin2030 import queue
from lublin2030.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _app(broker_url: str) -> Celery:
    app = Celery("queue-test", broker=broker_url, set_as_current=False)
    app.conf.broker_connection_timeout = 0.5
    app.conf.broker_transport_options = {"socket_connect_timeout": 0.5, "max_retries": 0}
    return app


@pytest.fixture
def dead_broker_app():
    """A Celery app whose broker is a port nothing listens on."""
    return _app(f"redis://127.0.0.1:{_free_port()}/0")


def _task(app, calls, name="tests.record_call"):
    # Celery keeps one callable per task name across apps: each test names its own.
    @app.task(name=name)
    def record_call(value, *, label=""):
        calls.append((value, label))

    return record_call


def test_nothing_is_sent_before_the_commit_and_nothing_after_a_rollback():
    calls = []
    app = _app("memory://")
    app.conf.task_always_eager = True
    task = _task(app, calls)

    with transaction.atomic():
        queue.enqueue(task, 1, label="kept")
        assert calls == []
    assert calls == [(1, "kept")]

    def enqueue_then_fail():
        with transaction.atomic():
            queue.enqueue(task, 2)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        enqueue_then_fail()
    assert calls == [(1, "kept")]


def test_with_the_broker_down_the_task_waits_in_the_outbox(dead_broker_app):
    task = _task(dead_broker_app, [], name="tests.record_call_outbox")

    with transaction.atomic():
        queue.enqueue(task, 7, label="later")

    message = OutboxMessage.objects.get()
    assert message.task_name == "tests.record_call_outbox"
    assert message.args == [7]
    assert message.kwargs == {"label": "later"}
    assert message.last_error


def test_a_flush_while_the_broker_is_still_down_keeps_the_message_and_counts_the_attempt(dead_broker_app):
    _task(dead_broker_app, [], name="tests.record_call_still_down")
    OutboxMessage.objects.create(task_name="tests.record_call_still_down", args=[1], kwargs={})

    assert queue.outbox_flush(app=dead_broker_app) == 0

    message = OutboxMessage.objects.get()
    assert message.attempts == 2


def test_a_flush_after_the_outage_sends_every_message_in_order_and_empties_the_outbox():
    calls = []
    app = _app("memory://")
    app.conf.task_always_eager = True  # the "worker" runs each task as it is sent
    _task(app, calls, name="tests.record_call_flushed")
    for value in (1, 2, 3):
        OutboxMessage.objects.create(task_name="tests.record_call_flushed", args=[value], kwargs={"label": "x"})

    assert queue.outbox_flush(app=app) == 3

    assert calls == [(1, "x"), (2, "x"), (3, "x")]
    assert not OutboxMessage.objects.exists()


def test_any_failure_to_publish_keeps_the_task(monkeypatch):
    """kombu can fail with errors that are not connection errors (a closed pool): nothing is lost."""
    app = _app("memory://")
    task = _task(app, [], name="tests.record_call_any_failure")

    def closed_pool(*args, **kwargs):
        raise RuntimeError("Acquire on closed pool")

    monkeypatch.setattr(task, "apply_async", closed_pool)
    with transaction.atomic():
        queue.enqueue(task, 3)

    assert OutboxMessage.objects.get().args == [3]
