"""Thin Celery tasks: they take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_application_decision(self, application_id: int) -> bool:
    return services.application_send_decision_email(application_id=application_id)
