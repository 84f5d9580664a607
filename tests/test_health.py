import pytest

from lublin2030 import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_is_degraded_not_failed_when_redis_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "lublin2030.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "down"


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    # tests/test_database_outage.py stops a real database; this one runs on SQLite too.
    def broken_ping():
        raise OSError("database is down")

    monkeypatch.setattr(health, "_ping_database", broken_ping)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "down"}


def test_healthz_tells_the_public_the_status_and_staff_the_details(client, settings):
    from tests.accounts.factories import UserFactory, moderator

    settings.CACHES = {
        "default": {
            "BACKEND": "lublin2030.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    public = client.get("/healthz").json()
    assert public["checks"]["cache"] == {"status": "down"}
    assert "error" not in str(public)
    assert "ms" not in public["checks"]["database"]

    client.force_login(UserFactory())
    assert client.get("/healthz").json() == public

    client.force_login(moderator())
    details = client.get("/healthz").json()
    assert details["checks"]["cache"]["error"] == "ConnectionError"
    assert "ms" in details["checks"]["database"]


def test_pages_still_render_when_redis_is_down(client, settings, reference_data):
    settings.CACHES = {
        "default": {
            "BACKEND": "lublin2030.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert client.get("/").status_code == 200
    assert client.get("/konto/login/").status_code == 200
