"""Settings for Weft. Everything that differs between a laptop and production comes from the
environment: DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, WEFT_SECRET_KEY, WEFT_DEBUG, WEFT_FERNET_KEYS, ..."""

import base64
import hashlib
import os
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
    "rest_framework.authtoken",
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
STORAGES = {
    # Export archives are the only files the app stores; swap the backend (S3 and alike) here.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": EXPORTS_DIR}},
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

REST_FRAMEWORK = {
    # Token first: an anonymous caller is then answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "designer.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Weft API",
    "DESCRIPTION": "Design data-centre and cloud network fabrics: designs, revisions, plans, findings and exports.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
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
CHANNEL_LAYERS = {
    "default": ({"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
                if REDIS_URL else {"BACKEND": "channels.layers.InMemoryChannelLayer"}),
}
# Without a shared channel layer a worker in another process cannot reach the browser's socket, so
# the socket reads the job from the database at this interval instead.
JOB_POLL_SECONDS = float(os.environ.get("WEFT_JOB_POLL_SECONDS", "0.5"))
# A running job's worker writes a heartbeat this often; a job not heard of for JOB_STALE_SECONDS has lost
# its worker: it is shown as failed, and a broker that delivers it again has it run afresh.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("WEFT_JOB_HEARTBEAT_SECONDS", "15"))
JOB_STALE_SECONDS = float(os.environ.get("WEFT_JOB_STALE_SECONDS", "120"))
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
