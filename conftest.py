"""Test-suite set-up: a test database built by the owner role, used through the runtime role.

Migrations run as the owner (`owner` alias). Every test, live server and Celery worker talks
through the `default` alias, which connects as the non-superuser runtime role: row-level
security applies to the tests exactly as it does in production.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment: None, django_db_blocker) -> Iterator[None]:
    from apps.tenancy.testdb import test_database_create, test_database_drop

    with django_db_blocker.unblock():
        test_database_create()
    yield
    with django_db_blocker.unblock():
        test_database_drop()


KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def truncate_all_tables() -> None:
    """Empty every application table through the owner (the runtime role may not TRUNCATE)."""
    from django.db import connections

    with connections["owner"].cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall() if row[0] not in KEEP_TABLES]
        if tables:
            cursor.execute(
                sql.SQL("TRUNCATE {} CASCADE")
                .format(sql.SQL(", ").join(sql.Identifier(t) for t in tables))
                .as_string(cursor.connection)
            )
    connections["owner"].close()


@pytest.fixture
def transactional_db(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """Real commits (for live servers and Celery workers); tables emptied afterwards."""
    with django_db_blocker.unblock():
        yield
        from django.db import connections

        for connection in connections.all():
            connection.close()
        truncate_all_tables()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            raise pytest.UsageError(
                f"{item.nodeid}: use the `transactional_db` fixture, not "
                "django_db(transaction=True): Django's flush would need TRUNCATE rights that "
                "the runtime role does not have."
            )


def clear_run_cache() -> None:
    """Delete this test run's cache keys only (other runs share the Redis database)."""
    from django.conf import settings
    from django.core.cache import cache

    client = cache._cache.get_client(None, write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


@pytest.fixture
def clean_cache():
    clear_run_cache()
    yield
    clear_run_cache()


@pytest.fixture
def world(db):
    """An organisation with an admin and a salesperson."""
    from apps.tenancy.testing import make_world

    return make_world("Alpha IT")


@pytest.fixture
def other_world(db):
    """A second, unrelated organisation."""
    from apps.tenancy.testing import make_world

    return make_world("Bravo Networks")


def worker_environment() -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["BREAKEVEN_TEST_RUN"] = settings.TEST_RUN_ID
    return env


def start_worker(*extra: str) -> subprocess.Popen:
    """A real Celery worker on this test run's queues, with the test settings."""
    from django.conf import settings

    queues = f"{settings.CELERY_TASK_DEFAULT_QUEUE},{settings.CELERY_PDF_QUEUE}"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        queues,
        "--concurrency",
        "1",
        "--pool",
        "prefork",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        *extra,
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_environment(),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process


def stop_worker(process: subprocess.Popen, sig: int = signal.SIGTERM) -> str:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return output or ""


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[subprocess.Popen]:
    process = start_worker()
    time.sleep(0.5)
    yield process
    output = stop_worker(process)
    if os.environ.get("SHOW_WORKER_LOG"):
        print(output)
