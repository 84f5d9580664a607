"""A database outage, for real: gunicorn talks to PostgreSQL through a proxy the test cuts and restores."""

import json

import pytest
from django.db import connection

from tests.servers import TcpProxy, gunicorn, http_get

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def database_behind_a_proxy():
    settings_dict = connection.settings_dict
    proxy = TcpProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    proxy.restore()
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    url = f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{settings_dict['NAME']}"
    try:
        yield proxy, url
    finally:
        proxy.cut()


def test_pages_answer_503_while_the_database_is_down_and_recover_at_once(database_behind_a_proxy):
    proxy, database_url = database_behind_a_proxy
    with gunicorn({"DATABASE_URL": database_url, "REDIS_URL": "", "DATABASE_POOL_TIMEOUT": "2"}) as server:
        assert http_get(server + "/healthz")[0] == 200
        assert http_get(server + "/wydarzenia/")[0] == 200

        # A restart between two requests: the pooled connection it broke is replaced, not handed out.
        proxy.cut()
        proxy.restore()
        assert http_get(server + "/wydarzenia/")[0] == 200

        proxy.cut()
        status, headers, body = http_get(server + "/wydarzenia/")
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert "Portal jest chwilowo niedostępny" in body
        assert '<html lang="pl">' in body
        assert "Traceback" not in body
        assert "OperationalError" not in body

        status, headers, body = http_get(server + "/api/v1/opinions")
        assert status == 503
        assert headers["Content-Type"].startswith("application/json")
        assert "Retry-After" in headers

        status, _, body = http_get(server + "/healthz")
        assert status == 503
        health = json.loads(body)
        assert health["status"] == "down"
        assert health["checks"]["database"] == {"status": "down"}  # no exception name for the public
        assert "Error" not in body
        assert "Timeout" not in body

        proxy.restore()
        # The very first requests after the database is back are served: no stale connection, no backoff.
        status, _, body = http_get(server + "/healthz")
        assert status == 200, body
        assert json.loads(body)["status"] == "ok"
        assert http_get(server + "/wydarzenia/")[0] == 200

        # A restart between two requests: the pooled connection it broke is replaced, not handed out.
        proxy.cut()
        proxy.restore()
        assert http_get(server + "/wydarzenia/")[0] == 200
