import pytest


@pytest.fixture(autouse=True)
def _emails_are_sent_in_place(eager_celery):
    """allauth's e-mails go through the queue: here they run inline once the request commits
    (`django_capture_on_commit_callbacks(execute=True)` around the request)."""
