"""Thin Celery tasks of the implementation: they take ids and call a service."""

from celery import shared_task


@shared_task(name="implementation.tasks.queue_follow_digests", ignore_result=True)
def queue_follow_digests() -> int:
    """Beat, once a day: one digest task per person following opinions."""
    from .following import digests_queue

    return digests_queue()


@shared_task(
    name="implementation.tasks.send_follow_digest", bind=True, max_retries=5, acks_late=True, ignore_result=True
)
def send_follow_digest(self, user_id: int) -> bool:
    """One person's digest; sent at most once a day however often this runs. A mail error retries later."""
    from .following import digest_send

    try:
        return digest_send(user_id=user_id)
    except OSError as error:  # the mail server did not answer: nothing was marked as sent
        raise self.retry(exc=error, countdown=min(300 * 2**self.request.retries, 6 * 3600)) from error
