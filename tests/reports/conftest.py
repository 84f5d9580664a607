import pytest


@pytest.fixture
def report_files(settings, tmp_path):
    """Reports write under a private root of their own."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
