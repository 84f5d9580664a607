"""Project-wide Celery tasks."""

from celery import shared_task

from . import queue


@shared_task(ignore_result=True)
def outbox_flush() -> int:
    """Send tasks that waited in the outbox while the broker was down (beat runs it every minute)."""
    return queue.outbox_flush()
