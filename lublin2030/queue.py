"""The one way to queue background work: `enqueue(task, *args, **kwargs)`.

The task is sent after the current transaction commits (a worker never sees rows that are not there
yet, and a rolled-back write queues nothing). When the broker does not answer, the intent is kept in
the database as an `OutboxMessage` instead of being dropped, run inline or failing the request;
`outbox_flush` sends it when the broker is back. Without a broker at all (tests without Redis) Celery
runs eagerly and the task runs in place, the way a worker would, its failure logged, not raised.
"""

import logging
from functools import partial

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def _broker_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError, ConnectionError, TimeoutError)
    from kombu.exceptions import OperationalError as KombuOperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (*errors, KombuOperationalError, RedisConnectionError, RedisTimeoutError)


BROKER_ERRORS = _broker_errors()


def enqueue(task, *args, **kwargs) -> None:
    """Send `task(*args, **kwargs)` to the workers once the current transaction commits."""
    transaction.on_commit(partial(send, task, list(args), kwargs), robust=True)


def send(task, args: list, kwargs: dict) -> bool:
    """Send now; on a broker error keep the task in the outbox. True when the broker took it."""
    if task.app.conf.task_always_eager:
        # apply(throw=False): retries happen in place and a failure is recorded by the task itself.
        task.apply(args=args, kwargs=kwargs, throw=False)
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True, retry=False)
    except Exception as error:  # noqa: BLE001 - kombu and redis raise many kinds; none may lose the task
        from .models import OutboxMessage

        log = logger.warning if isinstance(error, BROKER_ERRORS) else logger.exception
        log("Broker unavailable; %s kept in the outbox: %r", task.name, error)
        OutboxMessage.objects.create(task_name=task.name, args=args, kwargs=kwargs, last_error=repr(error)[:2000])
        return False
    return True


def outbox_size() -> int:
    from .models import OutboxMessage

    return OutboxMessage.objects.count()


def is_waiting(task, *args) -> bool:
    """Whether `task(*args)` waits in the outbox for the broker (so a page can say why nothing moves)."""
    from .models import OutboxMessage

    return OutboxMessage.objects.filter(task_name=task.name, args=list(args)).exists()


def outbox_flush(*, limit: int = 500, app=None) -> int:
    """Send what the outbox holds, oldest first; stop at the first broker error. Returns how many were sent.

    Rows are locked with SKIP LOCKED, so a beat run and a starting worker never send one task twice.
    """
    from .models import OutboxMessage

    app = app or current_app
    sent = 0
    with transaction.atomic():
        messages = list(OutboxMessage.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        for message in messages:
            task = app.tasks.get(message.task_name)
            if task is None:
                logger.error("Outbox: no task named %s; message %s dropped", message.task_name, message.pk)
                message.delete()
                continue
            try:
                task.apply_async(args=message.args, kwargs=message.kwargs, ignore_result=True, retry=False)
            except Exception as error:  # noqa: BLE001 - as in send(): keep it for the next flush
                message.attempts += 1
                message.last_error = repr(error)[:2000]
                message.save(update_fields=["attempts", "last_error"])
                break
            message.delete()
            sent += 1
    if sent:
        logger.info("Outbox: %s queued task(s) sent to the broker", sent)
    return sent
