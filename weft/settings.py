"""Settings for Weft. Everything that differs between a laptop and production comes from the
environment: DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, WEFT_SECRET_KEY, WEFT_DEBUG, WEFT_FERNET_KEYS, ..."""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("WEFT_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_seconds(name: str, default: str) -> float:
    value = os.environ.get(name, default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ImproperlyConfigured(f"{name} must be a number of seconds above 0, not {value!r}")
    return seconds


def _fernet_keys(keys: list[str]) -> list[str]:
    """The keys, each checked now: a bad one would otherwise surface at the first save, as a server error."""
    from cryptography.fernet import Fernet

    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:  # the key itself is never repeated: it is a secret, or most of one
            raise ImproperlyConfigured(
                f"WEFT_FERNET_KEYS: key {number} of {len(keys)} is not a Fernet key (32 bytes in url-safe base64, "
                "44 characters); make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'") from None
    return keys


DEBUG = _env_bool("WEFT_DEBUG", True)
SECRET_KEY = os.environ.get("WEFT_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789"
                            if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("WEFT_SECRET_KEY must be set when WEFT_DEBUG is off")
ALLOWED_HOSTS = _env_list("WEFT_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("WEFT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "channels",
    "designer",
    "designer.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "designer.middleware.RequestChecks",
]

ROOT_URLCONF = "weft.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = "weft.wsgi.application"
ASGI_APPLICATION = "weft.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        # Under ASGI every request may run in another thread: persistent connections would pile up.
        default=f"sqlite:///{DATA_DIR / 'weft.sqlite3'}", conn_max_age=int(os.environ.get("WEFT_CONN_MAX_AGE", "0")),
        conn_health_checks=True),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE takes the write lock up front, so two saves of one design queue up instead of
    # both reading the same current revision; the timeout is how long a save waits in that queue.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
    # A file, not shared memory, so threads and a worker process in the tests see the same rows.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-weft.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "collected-static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
EXPORTS_DIR = Path(os.environ.get("WEFT_EXPORTS_DIR", BASE_DIR / "exports"))
EXAMPLES_DIR = BASE_DIR / "examples"
# The most a request body may hold, whatever its kind (JSON, a YAML file, a form): a 10,000-node design
# is 8 MB of JSON. Django's own limit is the same, so no body meets a second, different one.
MAX_REQUEST_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("WEFT_MAX_REQUEST_MB", "10")) * 2**20)
STORAGES = {
    # Export archives are the only files the app stores, each 0600 in folders 0700 (they hold private keys);
    # swap the backend (S3 and alike) here.
    "default": {"BACKEND": "designer.storage.PrivateFileSystemStorage", "OPTIONS": {"location": EXPORTS_DIR}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Allocation records hold WireGuard private keys: they are sealed with Fernet before they reach the
# database. WEFT_FERNET_KEYS is a comma-separated list, newest first, so keys can be rotated.
FERNET_KEYS = _env_list("WEFT_FERNET_KEYS")
if not FERNET_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("WEFT_FERNET_KEYS must be set when WEFT_DEBUG is off "
                                   "(make one with: python -c 'from cryptography.fernet import Fernet; "
                                   "print(Fernet.generate_key().decode())')")
    FERNET_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(f"fernet:{SECRET_KEY}".encode()).digest()).decode()]
FERNET_KEYS = _fernet_keys(FERNET_KEYS)

# API tokens: stored as hashes (django-rest-knox), valid for WEFT_TOKEN_DAYS unless asked for fewer.
KNOX_TOKEN_MODEL = "designer.ApiToken"  # noqa: S105 - a model, not a secret
# knox's own migrations would make a table for its AuthToken, swapped out here; left unused, it would still
# hold a key to auth_user that keeps PostgreSQL from emptying that table (flush, tests).
MIGRATION_MODULES = {"knox": None}
TOKEN_DAYS = int(os.environ.get("WEFT_TOKEN_DAYS", "30"))
REST_KNOX = {"TOKEN_TTL": timedelta(days=TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}

REST_FRAMEWORK = {
    # Token first: an anonymous caller is then answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "designer.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Failed sign-ins (the API's and the page's) allowed per account and per address before a 429.
    "DEFAULT_THROTTLE_RATES": {"sign_in_account": os.environ.get("WEFT_SIGN_IN_RATE_ACCOUNT", "10/hour"),
                               "sign_in_address": os.environ.get("WEFT_SIGN_IN_RATE_ADDRESS", "30/hour")},
    # Behind N proxies, the caller's address is the Nth from the end of X-Forwarded-For; else the peer's.
    "NUM_PROXIES": int(os.environ.get("WEFT_PROXIES", "0")),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "designer.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "designer.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "designer.api.metadata.ViewMetadata",
    # The API speaks JSON (a YAML file is imported as a file): forms would blur a value's type.
    "DEFAULT_PARSER_CLASSES": ["designer.api.parsers.JsonParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Weft API",
    "DESCRIPTION": "Design data-centre and cloud network fabrics: designs, revisions, plans, findings and exports.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "OAS_VERSION": "3.1.0",  # the design document's schema is JSON Schema 2020-12, as pydantic writes it
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "designer.api.schema.design_document_and_refusals"],
    "ENUM_NAME_OVERRIDES": {"ReviewStateEnum": "designer.review.choices.ReviewState",
                            "ShareStateEnum": "designer.review.services.shares.SHARE_STATES",
                            "AnchorKindEnum": "designer.review.choices.Anchor"},
}

# Whether workers run `fabric lab verify` on a review's head (they must run as root, with FRR and ifupdown2).
LAB_JOBS = _env_bool("WEFT_LAB_JOBS", False)

# Review notifications by email; the console backend prints them until a real one is configured.
EMAIL_BACKEND = os.environ.get("WEFT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("WEFT_EMAIL_FROM", "weft@localhost")

REDIS_URL = os.environ.get("REDIS_URL", "")
# The sign-in throttles count in the cache: on Redis when there is one, so every server process counts alike.
CACHES = {
    "default": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
                if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}),
}
# A socket's consumer waits on Redis with BZPOPMIN for 5 s (channels_redis) and redis-py gives up reading after
# its default socket timeout, also 5 s: on a busy server the answer comes a moment late, the read times out and
# the consumer dies with its websocket. The read may take longer than the wait.
CHANNEL_LAYER_READ_SECONDS = 30
CHANNEL_LAYERS = {
    "default": ({"BACKEND": "channels_redis.core.RedisChannelLayer",
                 "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": CHANNEL_LAYER_READ_SECONDS}]}}
                if REDIS_URL else {"BACKEND": "channels.layers.InMemoryChannelLayer"}),
}
# Planner processes beside each server process: the canvas's live plans are computed there, so a server
# process goes on answering other requests meanwhile (designer.services.live).
PLANNER_PROCESSES = int(os.environ.get("WEFT_PLANNER_PROCESSES", "1"))
# Several server processes (python -m weft.serve --workers, as WEB_CONCURRENCY tells) share sockets' groups and
# the sign-in counts only through Redis: in memory, each process would see its own.
SERVER_PROCESSES = int(os.environ.get("WEB_CONCURRENCY", "1"))
if SERVER_PROCESSES > 1 and not REDIS_URL:
    raise ImproperlyConfigured(f"{SERVER_PROCESSES} server processes (WEB_CONCURRENCY) need REDIS_URL, such as "
                               "redis://127.0.0.1:6379/0: websockets and sign-in throttles are shared through it")
# Without a shared channel layer a worker in another process cannot reach the browser's socket, so
# the socket reads the job from the database at this interval instead.
JOB_POLL_SECONDS = _env_seconds("WEFT_JOB_POLL_SECONDS", "0.5")
# A running job's worker writes a heartbeat this often; a job not heard of for JOB_STALE_SECONDS has lost
# its worker: it is shown as failed, and a broker that delivers it again has it run afresh.
JOB_HEARTBEAT_SECONDS = _env_seconds("WEFT_JOB_HEARTBEAT_SECONDS", "15")
JOB_STALE_SECONDS = _env_seconds("WEFT_JOB_STALE_SECONDS", "120")
if JOB_HEARTBEAT_SECONDS * 2 > JOB_STALE_SECONDS:
    raise ImproperlyConfigured(
        f"WEFT_JOB_HEARTBEAT_SECONDS ({JOB_HEARTBEAT_SECONDS:g}) must be at most half of WEFT_JOB_STALE_SECONDS "
        f"({JOB_STALE_SECONDS:g}): a worker that beats more rarely would have its running jobs read as failed")
# The worker driving a push run renews its lease this often (a third of it); a run whose lease lapsed lost its
# worker, and the next worker to start takes it up where it stopped.
PUSH_LEASE_SECONDS = float(os.environ.get("WEFT_PUSH_LEASE_SECONDS", "30"))
# Every design a push reached is checked for drift this often by the worker's beat (0: only on demand).
PUSH_DRIFT_SECONDS = float(os.environ.get("WEFT_PUSH_DRIFT_SECONDS", str(6 * 3600)))
CELERY_BEAT_SCHEDULE = ({"push-drift": {"task": "designer.push_drift_all", "schedule": PUSH_DRIFT_SECONDS}}
                        if PUSH_DRIFT_SECONDS > 0 else {})

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"designer": {"handlers": ["console"], "level": os.environ.get("WEFT_LOG_LEVEL", "INFO")}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("WEFT_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("WEFT_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
