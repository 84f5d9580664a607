import pytest
from django.core.cache import cache
from django.utils import translation

from tests import services


def pytest_runtest_setup(item):
    for marker, check in services.REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if services.strict():
            pytest.fail(f"{reason} (LUBLIN_REQUIRE_SERVICES=1 turns this skip into a failure)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached statistics live in the cache: each test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_place():
    """Queued tasks run in this process, as soon as the commit happens, whatever REDIS_URL says.

    Tests of real workers (tests/reports/test_worker.py) and of a broker outage (`broker_down`)
    turn this off; everything else sees the work done the way a worker would do it.
    """
    from celery import current_app

    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = before


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


@pytest.fixture(autouse=True)
def _polish_by_default():
    """A request to /en/ leaves English active in the thread; every test starts in Polish."""
    translation.activate("pl")
    yield
    translation.activate("pl")


@pytest.fixture
def reference_data(db):
    """The nine Lublin stages, their windows, the areas, districts and channels."""
    from django.utils.module_loading import import_string

    from stages.management.commands.load_reference_data import LOADERS

    for path in LOADERS:
        import_string(path)()


@pytest.fixture
def open_window(reference_data):
    """`open_window("opinions")` makes the stage holding that window current, through the override."""
    from stages.models import ParticipationWindow
    from stages.services import process_set_current_stage
    from tests.accounts.factories import coordinator

    def _open(kind):
        window = ParticipationWindow.objects.select_related("stage").get(kind=kind)
        process_set_current_stage(actor=coordinator(), stage=window.stage, reason="test")
        return window

    return _open


@pytest.fixture
def close_all_windows(reference_data):
    """Pins stage I, which opens no window."""
    from stages.models import Stage
    from stages.services import process_set_current_stage
    from tests.accounts.factories import coordinator

    process_set_current_stage(actor=coordinator(), stage=Stage.objects.get(number=1), reason="test")


@pytest.fixture
def browser_context(live_server, monkeypatch):
    """A fresh Chromium page (Debian's binary, never a downloaded one) on the live server."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(services.CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            context.close()
            browser.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def queued_tasks(monkeypatch):
    """Background work captured as the broker would take it: a list of (task name, args, kwargs).

    `lublin2030.queue.enqueue` still waits for the commit; nothing runs until the test calls the
    service the task would call.
    """
    sent = []

    def capture(task, args, kwargs):
        sent.append((task.name, list(args), dict(kwargs)))
        return True

    monkeypatch.setattr("lublin2030.queue.send", capture)
    return sent


@pytest.fixture
def broker_down(monkeypatch):
    """Every publish fails the way kombu fails when Redis does not answer."""
    from celery import current_app
    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    def refuse(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)
    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    yield
    current_app.conf.task_always_eager = before
