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


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what services schedule after commit (tasks, then the tasks they schedule), inside the test."""

    def _run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(*args, **kwargs)
        if hasattr(result, "refresh_from_db"):
            result.refresh_from_db()
        return result

    return _run
