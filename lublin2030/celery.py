import logging
import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lublin2030.settings.base")

app = Celery("lublin2030")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _filesystem_broker_folders() -> None:
    """Without Redis the broker is a folder (settings.base): it must exist before anyone publishes."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


if str(app.conf.broker_url).startswith("filesystem://"):
    _filesystem_broker_folders()


@worker_ready.connect
def _send_what_waited_in_the_outbox(**kwargs):
    """A worker that starts after a broker outage sends what the web processes could not queue."""
    from lublin2030.queue import outbox_flush

    try:
        outbox_flush()
    except Exception:  # a worker must start even if the database is not there yet
        logger.exception("Could not flush the outbox at worker start")
