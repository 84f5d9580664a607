"""Thin Celery tasks of participation: they take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=5, acks_late=True)
def notify_moderation_decision(self, opinion_ids: list[int]) -> int:
    """E-mail each author the moderation decision; retry only the e-mails that failed."""
    failed = services.opinion_decisions_notify(opinion_ids=opinion_ids)
    if failed:
        raise self.retry(kwargs={"opinion_ids": failed}, countdown=min(60 * 2**self.request.retries, 3600))
    return len(opinion_ids)


@shared_task(acks_late=True)
def import_opinions(job_id: str) -> str | None:
    """Run a confirmed import of offline opinions in the worker, away from the web timeout."""
    from .imports import import_job_run

    job = import_job_run(public_id=job_id)
    return job.status if job else None
