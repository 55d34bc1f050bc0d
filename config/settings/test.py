"""Settings for the test-suite: the configured PostgreSQL and Redis, isolated per test run.

Each run gets an id (BREAKEVEN_TEST_RUN, random unless given). The test database, the Celery
queues and the cache prefix carry it, so concurrent runs on one machine, and the Celery worker a
test starts (which is given the same id), never see each other's data or messages.
"""

import uuid

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, env

TEST_RUN_ID = env("BREAKEVEN_TEST_RUN", default=uuid.uuid4().hex[:10])

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

TEST_DATABASE_NAME = f"test_{DATABASES['owner']['NAME']}_{TEST_RUN_ID}"[:63]
for _alias in ("default", "owner"):
    DATABASES[_alias]["NAME"] = TEST_DATABASE_NAME
    DATABASES[_alias]["CONN_MAX_AGE"] = 0

CACHES["default"]["KEY_PREFIX"] = f"test-{TEST_RUN_ID}"
CELERY_TASK_DEFAULT_QUEUE = f"default-{TEST_RUN_ID}"
CELERY_PDF_QUEUE = f"pdf-{TEST_RUN_ID}"
CELERY_TASK_ROUTES = {"proposals.*": {"queue": CELERY_PDF_QUEUE}}
JOB_REQUEUE_AFTER_SECONDS = 2
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / TEST_RUN_ID  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
