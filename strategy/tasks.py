"""Thin Celery tasks of the strategy app: they take ids and call a service."""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(name="strategy.tasks.request_version_pdf", ignore_result=True)
def request_version_pdf(version_id: int, actor_id: int) -> None:
    from . import services
    from .models import StrategyVersion

    version = StrategyVersion.objects.select_related("strategy").get(pk=version_id)
    services.version_pdf_request(actor=get_user_model().objects.get(pk=actor_id), version=version)


@shared_task(name="strategy.tasks.refresh_version_pdf", ignore_result=True)
def refresh_version_pdf(version_id: int, actor_id: int) -> None:
    """After an adoption: the version's PDF is made again, so that it names its new state."""
    from .adoption.services import adopted_pdf_refresh
    from .models import StrategyVersion

    version = StrategyVersion.objects.select_related("strategy").get(pk=version_id)
    adopted_pdf_refresh(actor=get_user_model().objects.get(pk=actor_id), version=version)
