import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lublin2030.settings.base")

app = Celery("lublin2030")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
