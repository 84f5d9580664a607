"""Background work of accounts: the e-mails django-allauth sends (rendered in the request)."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(ignore_result=True, autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, to: list[str], from_email: str, html: str | None = None) -> None:
    services.email_send(subject=subject, body=body, to=to, from_email=from_email, html=html)
