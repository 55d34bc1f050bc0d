"""Settings shared by every environment.

Every value that differs between machines comes from the environment (see `.env.example` and the
configuration table in README.md). Two database aliases exist on purpose:

* ``default`` connects as the *runtime* role: not superuser, no BYPASSRLS, owns no table. Web
  requests, Celery tasks and the test-suite all run through it, so row-level security applies.
* ``owner`` connects as the role that owns the schema. Only migrations and the role/RLS set-up use
  it (``manage.py migrate --database owner``).
"""

from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import environ

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.core",
    "apps.tenancy",
    "apps.accounts",
    "apps.jobs",
    "apps.clients",
    "apps.pricing",
    "apps.assessments",
    "apps.tco",
    "apps.proposals",
    "apps.demo",
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
    # Opens the tenant transaction around the view; must come after authentication.
    "apps.tenancy.middleware.TenantMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "apps.tenancy.context_processors.tenancy",
            ],
        },
    }
]

# --- Databases ------------------------------------------------------------------------------
OWNER_DATABASE_URL = env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/breakeven")
APP_DB_USER = env("APP_DB_USER", default="breakeven_app")
APP_DB_PASSWORD = env("APP_DB_PASSWORD", default="breakeven_app")


def _runtime_url(owner_url: str) -> str:
    """The owner's URL with the runtime role's credentials in place of the owner's."""
    parts = urlsplit(owner_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{quote(APP_DB_USER, safe='')}:{quote(APP_DB_PASSWORD, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


APP_DATABASE_URL = env("APP_DATABASE_URL", default=_runtime_url(OWNER_DATABASE_URL))

DATABASES = {
    "default": env.db_url_config(APP_DATABASE_URL),
    "owner": env.db_url_config(OWNER_DATABASE_URL),
}
for _db in DATABASES.values():
    _db["ENGINE"] = "django.db.backends.postgresql"
    # A Unix-socket directory arrives percent-encoded in the URL host.
    _db["HOST"] = unquote(_db.get("HOST") or "")
    _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    # Requests are not atomic by themselves: the tenant middleware opens the transaction once
    # it knows the tenant, so that `SET LOCAL app.organization_id` precedes every query.
    _db["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed logins allowed per e-mail and per IP within the window before logins are refused.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)
INVITATION_TTL_DAYS = 14

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")


def _next_redis_database(url: str) -> str:
    """The same Redis server, next database number: the cache must never share the broker's
    database, since clearing a cache (FLUSHDB) would drop queued tasks with it."""
    parts = urlsplit(url)
    current = int(parts.path.strip("/") or 0)
    return urlunsplit((parts.scheme, parts.netloc, f"/{current + 1}", parts.query, ""))


CACHE_URL = env("CACHE_URL", default=_next_redis_database(REDIS_URL))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="breakeven"),
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None  # the Job row is the result; nobody reads Celery's backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time: prefetched messages are redelivered only after the visibility timeout.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
# Above the longest hard time limit (PDF: 300 s), so a running task is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_DEFAULT_QUEUE", default="default")
# PDF rendering runs on its own queue so slow renders never hold up analyses.
CELERY_PDF_QUEUE = env("CELERY_PDF_QUEUE", default="pdf")
CELERY_TASK_ROUTES = {"proposals.*": {"queue": CELERY_PDF_QUEUE}}
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-jobs": {"task": "jobs.requeue_stale", "schedule": 60.0},
}
# A job still `queued` after this long is enqueued again by the sweeper.
JOB_REQUEUE_AFTER_SECONDS = env.int("JOB_REQUEUE_AFTER_SECONDS", default=120)
# A job `running` without progress this long lost its worker and message; the sweeper resends it.
JOB_STALE_RUNNING_SECONDS = env.int("JOB_STALE_RUNNING_SECONDS", default=1800)
# A job delivered this many times without finishing is failed (it keeps killing its worker).
JOB_MAX_DELIVERIES = env.int("JOB_MAX_DELIVERIES", default=4)

# --- E-mail ---------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {},
    }
}
if _email_host := env("EMAIL_HOST", default=""):
    MAILERS["default"]["OPTIONS"] = {
        "host": _email_host,
        "port": env.int("EMAIL_PORT", default=587),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=True),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Breakeven <no-reply@localhost>")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.TenantTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.tenancy.permissions.IsTenantMember"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.DefaultPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth_token": "10/min", "public": "120/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Breakeven API",
    "DESCRIPTION": "Assessments, TCO analyses and proposals for MSP sales teams.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` or `kind`; name their enums after the model.
    "ENUM_NAME_OVERRIDES": {
        "ClientStatusEnum": "apps.clients.models.ClientStatus",
        "AssessmentStatusEnum": "apps.assessments.models.AssessmentStatus",
        "QuestionKindEnum": "apps.assessments.models.QuestionKind",
        "JobStatusEnum": "apps.jobs.models.JobStatus",
        "ProposalStatusEnum": "apps.proposals.models.ProposalStatus",
        "DocumentKindEnum": "apps.proposals.models.DocumentKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
