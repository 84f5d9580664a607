import logging
import os

from celery import Celery
from celery.signals import worker_ready

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lublin2030.settings.base")

app = Celery("lublin2030")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _send_what_waited_in_the_outbox(**kwargs):
    """A worker that starts after a broker outage sends what the web processes could not queue."""
    from lublin2030.queue import outbox_flush

    try:
        outbox_flush()
    except Exception:  # a worker must start even if the database is not there yet
        logger.exception("Could not flush the outbox at worker start")
