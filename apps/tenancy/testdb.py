"""A throw-away database for tests and benchmarks, built by the owner role.

The database is named after the test run (settings.TEST_DATABASE_NAME); migrations run as the
owner, which also creates the runtime role and applies row-level security. Everything else
then connects as the runtime role.
"""

from __future__ import annotations

import psycopg
from psycopg import sql


def _server_connection() -> psycopg.Connection:
    from django.conf import settings

    owner = settings.DATABASES["owner"]
    return psycopg.connect(
        host=owner.get("HOST") or None,
        port=owner.get("PORT") or None,
        user=owner.get("USER") or None,
        password=owner.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def _drop(conn: psycopg.Connection, name: str) -> None:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_database_create() -> None:
    """(Re)create this run's database and migrate it as the owner."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    name = settings.TEST_DATABASE_NAME
    with _server_connection() as conn:
        _drop(conn, name)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    call_command("migrate", database="owner", verbosity=0, interactive=False)
    connections["owner"].close()


def test_database_drop() -> None:
    """Close every connection and drop this run's database."""
    from django.conf import settings
    from django.db import connections

    for connection in connections.all():
        connection.close()
    with _server_connection() as conn:
        _drop(conn, settings.TEST_DATABASE_NAME)
