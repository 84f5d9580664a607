"""Settings for every environment. The environment is read here and only here.

With no environment at all the project runs on a SQLite file, a local-memory cache and eager
Celery, so that `make run` works on a fresh machine. `.env.example` documents every variable.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Development defaults; production.py refuses to start without real values.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = env_bool("DEBUG", default=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails point here
SITE_NAME = os.environ.get("SITE_NAME", "Lublin 2030")  # the site's name in e-mails

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "ninja",  # serves the API documentation's Swagger UI from our static files (the CDN is blocked by our CSP)
    "lublin2030",
    "accounts",
    "stages",
    "participation",
    "workgroups",
    "recommendations",
    "reports",
    "strategy",
    "consultation",
    "implementation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.UserWithRolesMiddleware",  # Django's AuthenticationMiddleware, one query
    "django.contrib.messages.middleware.MessageMiddleware",
    "lublin2030.middleware.RejectUnreadableQueryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "lublin2030.urls"
WSGI_APPLICATION = "lublin2030.wsgi.application"
ASGI_APPLICATION = "lublin2030.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lublin2030.context_processors.site",
            ],
        },
    }
]

# Database: PostgreSQL through psycopg 3 with Django's connection pool, or a local SQLite file.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        from psycopg_pool import ConnectionPool

        options = DATABASES["default"].setdefault("OPTIONS", {})
        # A server that does not answer at all (not even a refusal) costs this long per attempt.
        options.setdefault("connect_timeout", 2)
        options["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
            # The longest a request waits for a connection. With the database down it then answers
            # 503 (lublin2030.views.server_error) instead of holding a web worker for long.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "2")),
            # psycopg's pool retries a lost server with a backoff that grows to minutes, so a database
            # back up would wait for the next retry. Giving up after a second makes the next request
            # start a fresh attempt: the first request after the database returns is served.
            "reconnect_timeout": float(os.environ.get("DATABASE_POOL_RECONNECT_TIMEOUT", "1")),
            # Each connection is checked when it leaves the pool: one a database restart broke is
            # replaced instead of failing the request it was handed to.
            "check": ConnectionPool.check_connection,
        }
else:
    # The worker that `make run` starts writes beside the web server: WAL lets readers go on while one
    # writes, and IMMEDIATE transactions wait for the lock (up to the timeout) instead of failing.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache (rate limits too), Celery broker and results. Without it: a local-memory cache and a
# broker that needs no server (kombu's filesystem transport under CELERY_FILESYSTEM_ROOT), so that
# `make run` (which starts a worker beside runserver) works the way a city's server does.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lublin2030.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "lublin2030"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_FILESYSTEM_ROOT = Path(os.environ.get("CELERY_FILESYSTEM_ROOT", BASE_DIR / ".celery"))
# kombu warns "No hostname was supplied" at every connection of a URL without one; the folder transport ignores it.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None  # no task result is read back; states live in our models
CELERY_TASK_ALWAYS_EAGER = False  # tests run tasks in place themselves (tests/conftest.py)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "360"))
# Redis redelivers an unacknowledged task after the visibility timeout: it must exceed the hard
# time limit, or a long task would run twice.
# A publisher (a web request, a task queuing the next step) tries the broker twice, 0.2 s apart, each
# connection attempt bounded to 0.5 s: with the broker down, the person asking hears so within ~1.2 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
if not REDIS_URL:
    # One folder both ways: every process of this checkout reads and writes the same queue.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_FILESYSTEM_ROOT / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_ROOT / "queue"),
        "control_folder": str(CELERY_FILESYSTEM_ROOT / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TIMEZONE = "Europe/Warsaw"
# With late acknowledgement, a task still running when the worker loses the broker would run twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Each pool process is replaced after this many tasks or once it holds this much memory (KiB), so a
# long-lived worker never accumulates what WeasyPrint and the allocator keep after a report part.
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "50"))
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "600000"))
CELERY_RESULT_EXPIRES = 3600
# `celery -A lublin2030 beat` (or `worker -B` on a single machine) runs these.
# The hour (Europe/Warsaw) the daily digest of followed opinions goes out: one e-mail a day at most.
FOLLOW_DIGEST_HOUR = int(os.environ.get("FOLLOW_DIGEST_HOUR", "17"))
CELERY_BEAT_SCHEDULE = {
    "reports-sweep-stale": {"task": "reports.tasks.sweep_stale_reports", "schedule": 30.0},
    "outbox-flush": {"task": "lublin2030.tasks.outbox_flush", "schedule": 60.0},
    "consultation-report-reminders": {
        "task": "consultation.tasks.send_report_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "implementation-follow-digests": {
        "task": "implementation.tasks.queue_follow_digests",
        "schedule": crontab(hour=FOLLOW_DIGEST_HOUR, minute=0),
    },
}

# PDF reports (see docs/reports.md). Opinions per part rendered by one task; 0 renders in one pass.
REPORTS_CHUNK_SIZE = int(os.environ.get("REPORTS_CHUNK_SIZE", "250"))
# Smaller reports are still cut in this many parts (of at least REPORTS_MIN_CHUNK_SIZE opinions).
REPORTS_MIN_PARTS = int(os.environ.get("REPORTS_MIN_PARTS", "4"))
REPORTS_MIN_CHUNK_SIZE = int(os.environ.get("REPORTS_MIN_CHUNK_SIZE", "200"))
# A running report with no sign of life for this long has lost its worker (longer than a task may run).
REPORTS_STALE_SECONDS = int(os.environ.get("REPORTS_STALE_SECONDS", str(CELERY_TASK_TIME_LIMIT + 60)))
# While a worker renders, it shows a sign of life this often; a step silent for REPORTS_LOST_AFTER_SECONDS
# has lost its worker and is queued again (services/liveness.py), long before REPORTS_STALE_SECONDS.
REPORTS_HEARTBEAT_SECONDS = float(os.environ.get("REPORTS_HEARTBEAT_SECONDS", "10"))
REPORTS_LOST_AFTER_SECONDS = int(os.environ.get("REPORTS_LOST_AFTER_SECONDS", "45"))
# A queued report no worker has picked up for this long is queued again (its message was lost).
REPORTS_QUEUED_TIMEOUT_SECONDS = int(os.environ.get("REPORTS_QUEUED_TIMEOUT_SECONDS", "3600"))
# How many times a report is started in all (the sweeper re-queues it after a lost worker).
REPORTS_MAX_ATTEMPTS = int(os.environ.get("REPORTS_MAX_ATTEMPTS", "2"))
# How many times one part may be started (a part that kills its worker must not loop forever).
REPORTS_PART_MAX_ATTEMPTS = int(os.environ.get("REPORTS_PART_MAX_ATTEMPTS", "3"))

# Sessions are written to the database and the cache, and read from the cache: a signed-in request
# reads no session row, and a Redis outage or flush logs no one out (reads fall back to the table).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",  # every action permission: accounts/rules.py and each app's
    "accounts.backends.ModelPermissionBackend",  # admin login, and Django's model permissions only
    "accounts.backends.AuthenticationBackend",  # allauth's sign-in by e-mail, no permissions
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: log in by e-mail, no usernames, verified e-mail before any contribution.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lublin 2030] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# Second factor (django-allauth's MFA): an authenticator app (TOTP) with recovery codes, and security
# keys or passkeys (WebAuthn) where the browser offers them. Anyone may turn it on; moderators,
# coordinators and admins must, before any staff page (/panel/...) or the Django admin opens
# (accounts/middleware.py). STAFF_MFA_REQUIRED=false only for `make run`'s demo accounts (the
# Makefile sets it) and the test settings; production.py refuses it.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", default=True)
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # security keys on http://127.0.0.1 during development

# Our rate limits (lublin2030/ratelimit.py): "count/period" per key, period in s, m, h or d; an empty
# value switches one off. Counted atomically in the cache (Redis), per process while Redis is down.
RATE_LIMITS = {
    "opinion:user": os.environ.get("RATE_LIMIT_OPINION_USER", "10/h"),
    "opinion:ip": os.environ.get("RATE_LIMIT_OPINION_IP", "30/h"),
    "flag:user": os.environ.get("RATE_LIMIT_FLAG_USER", "20/h"),
    "comment:user": os.environ.get("RATE_LIMIT_COMMENT_USER", "10/h"),
    "comment:ip": os.environ.get("RATE_LIMIT_COMMENT_IP", "30/h"),
    # Password logins (accounts/adapter.py): attempts from one address, and failures for one account
    # from one address (not per account alone: that let anyone lock anyone out), and from one address.
    "login:ip": os.environ.get("RATE_LIMIT_LOGIN_IP", "30/m"),
    "login_failed:account_ip": os.environ.get("RATE_LIMIT_LOGIN_FAILED_ACCOUNT_IP", "5/15m"),
    "login_failed:ip": os.environ.get("RATE_LIMIT_LOGIN_FAILED_IP", "30/15m"),
    # Online comments in the formal consultation of the draft (consultation/services/ratelimits.py).
    "consultation_comment:user": os.environ.get("RATE_LIMIT_CONSULTATION_COMMENT_USER", "20/h"),
    "consultation_comment:ip": os.environ.get("RATE_LIMIT_CONSULTATION_COMMENT_IP", "60/h"),
}
# django-allauth's own limits, for its own flows (sign-up, e-mails it sends, second-factor codes:
# "login_failed" counts only those once accounts.adapter has taken password logins over).
ACCOUNT_RATE_LIMITS = {
    "login": "",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": os.environ.get("RATE_LIMIT_SIGNUP", "20/m/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
# The first wins: corrections of django-allauth's Polish, then the project's own strings.
LOCALE_PATHS = [BASE_DIR / "accounts" / "allauth" / "locale", BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files that only some people may read (reports, uploads) live here and are never served by URL.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
# The search lexicon (lublin2030/search.py), built from the installed simplemma: beside the
# interpreter's packages by default, so that each virtualenv or image builds its own once.
SEARCH_LEXICON_DIR = Path(os.environ.get("SEARCH_LEXICON_DIR", Path(sys.prefix) / "share" / "lublin2030"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def mailers(default_backend: str) -> dict:
    """Django 6.1's MAILERS from EMAIL_* variables; SMTP options only for the SMTP backend."""
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    mailer = {"BACKEND": backend}
    if backend.endswith("smtp.EmailBackend"):
        mailer["OPTIONS"] = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": 10,
        }
    return {"default": mailer}


MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lublin 2030 <noreply@lublin2030.localhost>")

# Security headers that hold in every environment; production.py adds the HTTPS-only ones.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Longer query strings (bytes, percent-encoded) get the 400 page: no search or filter needs more.
MAX_QUERY_STRING_LENGTH = int(os.environ.get("MAX_QUERY_STRING_LENGTH", "4096"))
# While the database does not answer, pages answer 503 and ask to come back after this many seconds.
SERVICE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("SERVICE_UNAVAILABLE_RETRY_AFTER", "30"))
# /healthz waits at most this long (seconds) for a database connection, so it answers within a second.
HEALTHZ_DATABASE_TIMEOUT = float(os.environ.get("HEALTHZ_DATABASE_TIMEOUT", "0.8"))

# Domain settings a deployment may tune.
PROCESS_NAME = os.environ.get("PROCESS_NAME", "Strategia Lublin 2030")
OPINION_FLAGS_TO_HIDE = int(os.environ.get("OPINION_FLAGS_TO_HIDE", "3"))
# Opinions per account and per address: RATE_LIMITS above.
# How long derived public data (facets, statistics) and rendered list pages stay cached, in seconds;
# the publication version (lublin2030.versions) retires them at once when what they show changes.
PARTICIPATION_CACHE_SECONDS = int(os.environ.get("PARTICIPATION_CACHE_SECONDS", "600"))
PARTICIPATION_LIST_CACHE_SECONDS = int(os.environ.get("PARTICIPATION_LIST_CACHE_SECONDS", "60"))
# The coordinators are e-mailed this many days before the consultation report is due (art. 6 ust. 6: 30 days
# after the deadline), once each.
CONSULTATION_REPORT_REMINDER_DAYS = [
    int(day) for day in env_list("CONSULTATION_REPORT_REMINDER_DAYS", "7,2") if day.strip().isdigit()
]
