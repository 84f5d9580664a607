import pytest


@pytest.fixture
def report_files(settings, tmp_path):
    """Reports write under a private root of their own."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def eager_celery(settings):
    """Tasks run inline (what `make run` does without Redis), whatever REDIS_URL this run has."""
    from lublin2030.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
