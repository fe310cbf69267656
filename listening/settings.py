"""Dengar settings.

Everything that differs between a laptop and production comes from the environment:
``DATABASE_URL`` and ``REDIS_URL`` select PostgreSQL and Redis; without them Dengar runs on an
embedded SQLite database and a filesystem Celery broker, so ``make run`` needs no services.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, TypedDict

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from listening.serving.logs import logging_config as _logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DENGAR_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Environment ------------------------------------------------------------------------------
# Production is the default. ``make run`` opts into "development" (DEBUG, plain HTTP, a local
# secret key) and the test suite into "test" (tests/settings.py): the same, without DEBUG.
DENGAR_ENV = os.environ.get("DENGAR_ENV", "production")
if DENGAR_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"DENGAR_ENV must be production, development or test, not {DENGAR_ENV!r}")
PRODUCTION = DENGAR_ENV == "production"

DEBUG = os.environ.get("DJANGO_DEBUG", "1" if DENGAR_ENV == "development" else "0") == "1"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG=1 is refused in production: it shows settings on error pages.")

_LOCAL_SECRET_KEY = "dengar-local-only-" + "x" * 40  # never accepted in production
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else _LOCAL_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == _LOCAL_SECRET_KEY):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random string of 50 characters or more, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value not in {"0", "1"}:
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


# --- Transport security -----------------------------------------------------------------------
# In production Dengar is reached over HTTPS only, behind a TLS-terminating proxy: plain HTTP is
# redirected (except the health probes, which come from inside), browsers are told to stay on
# HTTPS (HSTS) and cookies never travel in clear. Development and tests run plain HTTP on
# 127.0.0.1. Each can be overridden by its variable (0 or 1 / seconds).
SECURE_SSL_REDIRECT = _env_flag("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_flag("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
# The request header a trusted proxy sets to say the client used HTTPS, e.g.
# "HTTP_X_FORWARDED_PROTO". Only when that proxy always sets or strips it: a client could send it.
# (gunicorn also trusts X-Forwarded-Proto from FORWARDED_ALLOW_IPS; see listening/gunicorn_conf.py.)
if _proxy_ssl_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
SESSION_COOKIE_SECURE = _env_flag("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Even the development debug page hides settings and variables holding URLs, DSNs and brokers
# (DATABASE_URL's password), and error pages and logs never show a secret (listening/serving/).
DEFAULT_EXCEPTION_REPORTER_FILTER = "listening.serving.errors.SafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "listening.serving.errors.SafeExceptionReporter"
# The admin's address: set DJANGO_ADMIN_URL to move it off the well-known "admin/".
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` leaves static files to whitenoise, as gunicorn does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "listening",
    "dashboard",
    "workers",
]
# Evaluation, tuning and benchmarks (listening/research/: evaluate_classifier, evaluate_volume,
# train_classifier, import_twcs, bench): an app in development and tests only, and only where it
# is present (the built package and the image leave it out), so production never loads it.
if not PRODUCTION and importlib.util.find_spec("listening.research") is not None:
    INSTALLED_APPS.append("listening.research")

MIDDLEWARE = [
    # First: a request id and one log line for every response, redirects and static files too.
    "listening.serving.middleware.RequestLogMiddleware",
    "listening.serving.middleware.ContentSecurityPolicyMiddleware",
    # /healthz and /readyz, before the host check, the HTTPS redirect, sessions and login.
    "listening.serving.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the one chosen in the dashboard (its cookie), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers a locked-out login (dashboard or admin) with 429 and Retry-After.
    "listening.login_lockout.LoginLockoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "listening.urls"
WSGI_APPLICATION = "listening.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.tenant_switcher",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'dengar.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or EMBEDDED_DATABASE_URL
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not ":memory:", so that worker processes started by tests share the test database;
    # WAL and a busy timeout let the web server, worker and beat write side by side.
    # One per test run (the pid), so that concurrent runs never share or delete each other's.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-dengar-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A hung query must not hold a web process or a worker: PostgreSQL cancels any statement that
# runs longer than this. Web requests get the first; workers.celery switches a worker's
# connections to the second when the worker starts (a sweep or a big batch takes longer than a
# page should). SQLite's equivalent is the busy timeout above.
DB_STATEMENT_TIMEOUT_MS = {
    "web": int(os.environ.get("DENGAR_DB_STATEMENT_TIMEOUT_WEB_MS", "30000")),
    "worker": int(os.environ.get("DENGAR_DB_STATEMENT_TIMEOUT_WORKER_MS", "60000")),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = (
        f"{_db_options.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS['web']}".strip()
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The model backend, refusing a username or client IP locked out by too many failed logins
# before it checks the password (so a right guess during the lockout fails too).
AUTHENTICATION_BACKENDS = ["listening.login_lockout.LockoutModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The dashboard, e-mails, alerts and API errors speak both; the catalogues are locale/<lang>/*.po,
# compiled at install (`make install`, the image) into .mo files that are not committed.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# Static files are served by whitenoise in every environment. In production from STATIC_ROOT
# (`collectstatic`, done when the image is built) with hashed, compressed, far-future-cached names;
# elsewhere straight from the apps' folders, so that `make run` and the tests need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "listening.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "listening.api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("DENGAR_API_RATE_USER", "1200/min"),
        "anon": os.environ.get("DENGAR_API_RATE_ANON", "60/min"),
        # Making a token, by password or session: on top of the login lockout.
        "token_create": os.environ.get("DENGAR_API_RATE_TOKEN_CREATE", "10/min"),
    },
    # How many reverse proxies in front of Dengar append to X-Forwarded-For. 0 (the default):
    # the client is REMOTE_ADDR and the header is ignored, since any client can send it.
    "NUM_PROXIES": int(os.environ.get("DENGAR_TRUSTED_PROXIES", "0")),
    "DEFAULT_PAGINATION_CLASS": "listening.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON in, JSON out. The parser bounds nesting and refuses NaN/Infinity; the renderer never
    # writes them. The browsable API only in development: it is a page for people, not clients.
    "DEFAULT_PARSER_CLASSES": ["listening.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "listening.api.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "listening.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Dengar API",
    "DESCRIPTION": "Brand mentions, unanswered complaints and conversation volume, per tenant.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies described apart from responses, so that they say what input is refused
    # (minLength 1 where a blank string is), and responses what is written.
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's 400/401/403/404/415/429, where it can give them (listening/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "listening.api.schema.document_error_responses",
    ],
}

# --- Cache -----------------------------------------------------------------------------------
# Throttles and login lockouts count in the cache, so every web process must share it: Redis
# when there is one, else files under var/ (the processes of `make run` share them).
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "dengar",
    }}
else:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "KEY_PREFIX": "dengar",
    }}

# --- Celery -----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, str | int | bool] = {
        # Longer than the slowest poll, so an unacknowledged task is redelivered only when its
        # worker is really gone.
        "visibility_timeout": 600,
    }
else:
    # The embedded broker: messages are files in var/broker, shared by web, worker and beat.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
# One queue name per deployment; tests give their worker a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("DENGAR_TASK_QUEUE", "dengar")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0") == "1"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# No task may hold a worker for ever: at the soft limit the task gets SoftTimeLimitExceeded (a
# poll records it on the source's health and lets the claim go), at the hard limit its process is
# killed. Tasks that need other limits set their own (workers.tasks.polling). Every hard limit
# stays below Redis' visibility timeout, so a task still running is never handed to a second
# worker as if its worker were gone.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("DENGAR_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("DENGAR_TASK_TIME_LIMIT", "300"))

# --- Dengar -----------------------------------------------------------------------------------
class DengarSettings(TypedDict, total=False):
    """What ``settings.DENGAR`` holds, so that code reading it gets each value's type. Not total
    only because the dict is filled in steps below, by topic: every key is set in this module."""

    POLL_CLAIM_BATCH: int
    POLL_LEASE_SECONDS: float
    POLL_TICK_SECONDS: float
    POLL_SOFT_TIME_LIMIT: int
    POLL_TIME_LIMIT: int
    FEED_FETCH_DEADLINE_SECONDS: float
    MAX_TEXT_CHARS: int
    CLASSIFIER: str
    LOGIN_FAILURES_PER_USERNAME: int
    LOGIN_FAILURES_PER_IP: int
    LOGIN_LOCKOUT_SECONDS: int
    API_TOKEN_DEFAULT_DAYS: int
    API_TOKEN_MAX_DAYS: int
    API_TOKENS_PER_USER: int
    LIMITS: dict[str, int]
    ENABLE_MOCK_ADAPTER: bool
    ALERT_DELIVERY_MAX_ATTEMPTS: int
    ALERT_WEBHOOK_READ_TIMEOUT_SECONDS: float
    ALERT_WEBHOOK_DEADLINE_SECONDS: float
    ALERT_RETRY_COUNTDOWN_MAX_SECONDS: float
    WEBHOOK_ALLOW_PRIVATE: bool
    FEEDS_ALLOW_PRIVATE: bool
    CREDENTIAL_KEYS: list[str]
    OAUTH: dict[str, dict[str, str]]
    OAUTH_ALLOW_PRIVATE: bool


DENGAR: DengarSettings = {
    # How many sources one beat tick may claim, and how long a claim holds before another
    # worker may take the source again (a worker that died mid-poll, a poll message lost). Short,
    # because a working poll renews its claim every third of it (a heartbeat) and every batch of
    # a backfill renews it too: a lost poll is claimed again by beat within a lease and a tick.
    "POLL_CLAIM_BATCH": int(os.environ.get("DENGAR_POLL_CLAIM_BATCH", "100")),
    "POLL_LEASE_SECONDS": float(os.environ.get("DENGAR_POLL_LEASE_SECONDS", "30")),
    "POLL_TICK_SECONDS": float(os.environ.get("DENGAR_POLL_TICK_SECONDS", "10")),
    # A poll's own time limits (soft: recorded as the source's failure, hard: process killed);
    # above the feed deadline plus storing a batch, below the broker's visibility timeout.
    "POLL_SOFT_TIME_LIMIT": int(os.environ.get("DENGAR_POLL_SOFT_TIME_LIMIT", "120")),
    "POLL_TIME_LIMIT": int(os.environ.get("DENGAR_POLL_TIME_LIMIT", "150")),
    # The longest one fetch of an rss source may take in all (connect, headers and body, over
    # every redirect), however the server trickles its bytes.
    "FEED_FETCH_DEADLINE_SECONDS": float(os.environ.get("DENGAR_FEED_FETCH_DEADLINE_SECONDS", "60")),
    "MAX_TEXT_CHARS": 10_000,
    "CLASSIFIER": os.environ.get("DENGAR_CLASSIFIER", "listening.analysis.engine.EngineClassifier"),
}
_visibility = float(CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout") or 0)
for _what, _soft, _hard in (
    ("DENGAR_TASK_SOFT_TIME_LIMIT/DENGAR_TASK_TIME_LIMIT", CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT),
    ("DENGAR_POLL_SOFT_TIME_LIMIT/DENGAR_POLL_TIME_LIMIT", DENGAR["POLL_SOFT_TIME_LIMIT"], DENGAR["POLL_TIME_LIMIT"]),
):
    if not 0 < _soft < _hard or (_visibility and _hard >= _visibility):
        raise ImproperlyConfigured(
            f"{_what}: the soft limit must be below the hard one, and the hard one below the "
            f"broker's visibility timeout ({_visibility:g} s), not {_soft}/{_hard}"
        )

# --- Logins and API tokens ----------------------------------------------------------------------
# A username, or a client IP, with this many failed logins (dashboard, admin, token by password)
# in LOGIN_LOCKOUT_SECONDS is refused with 429 until the window ends, right password or not.
DENGAR["LOGIN_FAILURES_PER_USERNAME"] = int(os.environ.get("DENGAR_LOGIN_FAILURES_PER_USERNAME", "5"))
DENGAR["LOGIN_FAILURES_PER_IP"] = int(os.environ.get("DENGAR_LOGIN_FAILURES_PER_IP", "20"))
DENGAR["LOGIN_LOCKOUT_SECONDS"] = int(os.environ.get("DENGAR_LOGIN_LOCKOUT_SECONDS", "900"))
# API tokens: the expiry when none is asked for, and the longest one may ask for.
DENGAR["API_TOKEN_DEFAULT_DAYS"] = int(os.environ.get("DENGAR_API_TOKEN_DEFAULT_DAYS", "90"))
DENGAR["API_TOKEN_MAX_DAYS"] = int(os.environ.get("DENGAR_API_TOKEN_MAX_DAYS", "365"))
DENGAR["API_TOKENS_PER_USER"] = int(os.environ.get("DENGAR_API_TOKENS_PER_USER", "50"))

# --- Limits -----------------------------------------------------------------------------------
# How much shared work one tenant may ask for (listening/limits.py): each is overridable as
# DENGAR_LIMIT_<NAME>. What passes them is refused with a 400 naming the field.
DENGAR["LIMITS"] = {
    name: int(os.environ.get(f"DENGAR_LIMIT_{name}", default)) for name, default in {
        # Keywords (and as many aliases, and exclusions) per brand, and characters per keyword:
        # every mention is matched against all of them.
        "KEYWORDS_PER_BRAND": 200,
        "KEYWORD_CHARS": 100,
        "ACCOUNTS_PER_BRAND": 50,
        "BRANDS_PER_TENANT": 50,
        "SOURCES_PER_TENANT": 50,
        "SOURCE_CONFIG_BYTES": 8_192,  # a source's whole config, as JSON
        "POLL_INTERVAL_MIN_SECONDS": 60,
        "RULES_PER_TENANT": 500,
        "HOLIDAYS_PER_TENANT": 400,
        "ALERT_CHANNELS_PER_TENANT": 20,
        # The largest ?page_size= of a list endpoint (a larger one is a 400).
        "PAGE_SIZE_MAX": 500,
    }.items()
}
# The mock adapter makes up mentions: for development, tests and demos, not for tenants in
# production (where DENGAR_ENABLE_MOCK_ADAPTER=1 offers it anyway, e.g. for a public demo).
DENGAR["ENABLE_MOCK_ADAPTER"] = os.environ.get(
    "DENGAR_ENABLE_MOCK_ADAPTER", "0" if PRODUCTION else "1") == "1"

# --- Alerts -----------------------------------------------------------------------------------
# Email goes to the console in development; set DJANGO_EMAIL_BACKEND (and EMAIL_HOST…) to send.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Dengar alerts <alerts@dengar.local>")
# How many times a notification is tried before it is marked failed (backoff 30 s, 60 s, 120 s…
# or the receiver's Retry-After). How often beat runs the sweep is DENGAR_ALERT_SWEEP_SECONDS,
# read by the beat schedule (workers/schedule.py).
DENGAR["ALERT_DELIVERY_MAX_ATTEMPTS"] = int(os.environ.get("DENGAR_ALERT_DELIVERY_MAX_ATTEMPTS", "6"))
# A webhook POST: each read may wait READ_TIMEOUT (a receiver that works before answering is not
# a failure, and a failure sent again is a copy), the whole exchange at most DEADLINE.
DENGAR["ALERT_WEBHOOK_READ_TIMEOUT_SECONDS"] = float(os.environ.get("DENGAR_ALERT_WEBHOOK_READ_TIMEOUT_SECONDS", "25"))
DENGAR["ALERT_WEBHOOK_DEADLINE_SECONDS"] = float(os.environ.get("DENGAR_ALERT_WEBHOOK_DEADLINE_SECONDS", "30"))
# The longest countdown a delivery retry is queued with (and at most half the broker's
# visibility timeout): Redis hands a task waiting longer to a second worker. A longer wait is
# kept on the delivery, and the sweep queues it when it is due.
DENGAR["ALERT_RETRY_COUNTDOWN_MAX_SECONDS"] = float(os.environ.get("DENGAR_ALERT_RETRY_COUNTDOWN_MAX_SECONDS", "300"))
# Whether alert webhooks may reach private, loopback, link-local… addresses (a receiver on the
# same network). Off by default: a tenant's admin must not make Dengar call internal services.
DENGAR["WEBHOOK_ALLOW_PRIVATE"] = os.environ.get("DENGAR_WEBHOOK_ALLOW_PRIVATE", "0") == "1"
# The same for the URLs of rss sources: a tenant's admin must not make the workers read them.
DENGAR["FEEDS_ALLOW_PRIVATE"] = os.environ.get("DENGAR_FEEDS_ALLOW_PRIVATE", "0") == "1"
# Fernet keys that encrypt sources' secrets at rest (listening/services/credentials.py), comma-
# separated: the first encrypts, all decrypt, so a new key goes first and `manage.py
# rotate_credential_keys` re-encrypts under it before the old one is dropped. Generate one with
# python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'.
# Production has none unless set (a source with secrets is then refused, saying so); development
# and tests use a fixed key that protects nothing.
DENGAR["CREDENTIAL_KEYS"] = [
    key.strip() for key in os.environ.get(
        "DENGAR_CREDENTIAL_KEYS", "" if PRODUCTION else "ZGVuZ2FyLWRldi1rZXktcHJvdGVjdHMtbm90aGluZyE="
    ).split(",") if key.strip()
]
# Dengar's own app on each platform whose sources are connected through OAuth
# (listening/services/oauth.py): the client id and secret the platform gave it. Its callback
# address is /oauth/<provider>/callback/ on this site (register it with the platform).
DENGAR["OAUTH"] = {
    provider: {"client_id": os.environ.get(f"DENGAR_OAUTH_{provider.upper()}_CLIENT_ID", ""),
               "client_secret": os.environ.get(f"DENGAR_OAUTH_{provider.upper()}_CLIENT_SECRET", "")}
    for provider in ("google", "x", "meta")
}
# Whether the token exchange may reach a private address (a test authorization server only).
DENGAR["OAUTH_ALLOW_PRIVATE"] = False
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update({
    "AlertKindEnum": "listening.models.alerts.AlertKind",
    "AlertChannelKindEnum": "listening.models.alerts.ChannelKind",
    "BulkActionKindEnum": "listening.models.queue.BulkActionKind",
})

# --- Logs -------------------------------------------------------------------------------------
# Every record goes to stderr through a filter that masks secrets (passwords in URLs, the secret
# key, Authorization headers, token=…): JSON lines in production (time, level, logger, message,
# request id, method, path, status, duration, user, tenant; task name, id and outcome in workers),
# plain text in development. DENGAR_LOG_FORMAT=json|plain chooses; listening/serving/logs.py.
DENGAR_LOG_FORMAT = os.environ.get("DENGAR_LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = _logging_config(fmt=DENGAR_LOG_FORMAT, level=os.environ.get("DENGAR_LOG_LEVEL", "INFO"))
