import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def english():
    """Assertions that read messages read the msgids (English); the Polish is in consultation/locale."""
    with translation.override("en"):
        yield


@pytest.fixture
def consultation_open(open_window):
    """Stage VII pinned: the calendar's consultation window is open (its days come from the consultation)."""
    return open_window("consultation")
