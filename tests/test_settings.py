"""Production settings: secrets required, `check --deploy` clean, security headers present."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lublin2030.settings.production",
    "SECRET_KEY": "x" * 64 + "-production-test-secret-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "strategia.lublin.eu",
    "DATABASE_URL": "sqlite:///" + str(BASE_DIR / "db.sqlite3"),
}


def run_manage(*args, env):
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_security_headers(client, reference_data):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_postgres_url_uses_psycopg_with_the_connection_pool():
    env = {"DATABASE_URL": "postgres://user:secret@db.example:5432/lublin", "DATABASE_POOL_MAX": "7"}
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['OPTIONS']['pool']['max_size'], d['CONN_MAX_AGE'])"
    )
    result = run_manage("shell", "-c", code, env={"DJANGO_SETTINGS_MODULE": "lublin2030.settings.base", **env})
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "lublin",
        "db.example",
        "7",
        "0",
    ]


def test_without_configuration_sqlite_locmem_and_a_broker_without_a_server():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'], "
        "settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "lublin2030.settings.base", "DATABASE_URL": "", "REDIS_URL": ""}
    result = run_manage("shell", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "filesystem://localhost/",
        "False",
    ]
