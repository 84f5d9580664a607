"""Thin Celery tasks of the consultation: they take ids and call a service."""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(name="consultation.tasks.request_report_pdf", ignore_result=True)
def request_report_pdf(consultation_id: int, actor_id: int) -> None:
    from . import services
    from .models import Consultation

    consultation = Consultation.objects.get(pk=consultation_id)
    services.report_pdf_request(actor=get_user_model().objects.get(pk=actor_id), consultation=consultation)


@shared_task(name="consultation.tasks.notify_commenters", bind=True, max_retries=5, acks_late=True)
def notify_commenters(self, consultation_id: int) -> None:
    """E-mail each online commenter the link to their answers; retry while some e-mails fail."""
    from . import services

    failed = services.commenters_notify(consultation_id=consultation_id)
    if failed:
        raise self.retry(countdown=min(60 * 2**self.request.retries, 3600))


@shared_task(name="consultation.tasks.send_report_reminders", acks_late=True)
def send_report_reminders() -> int:
    """Daily (beat): remind coordinators of the report's 30-day deadline."""
    from . import services

    return services.reminders_send()
