"""Database security for tenant tables, applied by the owner role after every migration.

For every concrete subclass of `TenantModel`:

* row-level security is ENABLEd and FORCEd (so the table owner is bound as well) with one policy
  that compares `organization_id` to the transaction-local setting `app.organization_id`; no
  tenant set means no rows and no writes;
* each foreign key to another tenant table is doubled by a composite key
  ``(organization_id, fk) → (organization_id, id)``, so a row can never point into another tenant.

The runtime role gets plain DML rights and nothing else: not superuser, no BYPASSRLS, owns no
table.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from psycopg import sql

logger = logging.getLogger(__name__)

POLICY_NAME = "tenant_isolation"
TENANT_SETTING = "(SELECT nullif(current_setting('app.organization_id', true), '')::bigint)"


def tenant_models() -> list[type]:
    from .models import Organization, TenantModel

    found = [
        m
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not m._meta.abstract and m._meta.managed
    ]
    return [Organization, *found]


def _ensure_runtime_role(cursor: Any, role: str, password: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    options = sql.SQL(
        "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD {}"
    ).format(sql.Literal(password))
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE ROLE {} ").format(sql.Identifier(role)) + options)
    else:
        cursor.execute(sql.SQL("ALTER ROLE {} ").format(sql.Identifier(role)) + options)


def _grant(cursor: Any, role: str) -> None:
    ident = sql.Identifier(role)
    cursor.execute("SELECT current_database()")
    database = cursor.fetchone()[0]
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            ident
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident),
        sql.SQL("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {}").format(ident),
        # The migration history is the owner's business; the runtime role may only read it.
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}").format(ident),
    ]
    for statement in statements:
        cursor.execute(statement)


def _enable_rls(cursor: Any, table: str, column: str) -> None:
    t = sql.Identifier(table)
    cursor.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(t))
    cursor.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(t))
    cursor.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(POLICY_NAME), t))
    predicate = sql.SQL("{} = " + TENANT_SETTING).format(sql.Identifier(column))
    cursor.execute(
        sql.SQL("CREATE POLICY {} ON {} USING ({}) WITH CHECK ({})").format(
            sql.Identifier(POLICY_NAME), t, predicate, predicate
        )
    )


def _constraint_exists(cursor: Any, table: str, name: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
        [name, table],
    )
    return cursor.fetchone() is not None


def _ensure_same_tenant_fks(cursor: Any, model: type) -> None:
    from .models import TenantModel

    table = model._meta.db_table
    for field in model._meta.concrete_fields:
        target = getattr(field, "related_model", None)
        if not field.is_relation or target is None or field.name == "organization":
            continue
        if not (isinstance(target, type) and issubclass(target, TenantModel)):
            continue
        target_table = target._meta.db_table
        unique_name = f"{target_table[:40]}_org_id_key"
        if not _constraint_exists(cursor, target_table, unique_name):
            cursor.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE (organization_id, id)").format(
                    sql.Identifier(target_table), sql.Identifier(unique_name)
                )
            )
        fk_name = f"{table[:30]}_{field.column[:20]}_same_org"
        if not _constraint_exists(cursor, table, fk_name):
            cursor.execute(
                sql.SQL(
                    "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY (organization_id, {}) "
                    "REFERENCES {} (organization_id, id) DEFERRABLE INITIALLY DEFERRED"
                ).format(
                    sql.Identifier(table),
                    sql.Identifier(fk_name),
                    sql.Identifier(field.column),
                    sql.Identifier(target_table),
                )
            )


def sync_database_security(using: str = "owner") -> None:
    """Apply the runtime role, grants, RLS policies and same-tenant keys. Idempotent."""
    from .models import Organization

    connection = connections[using]
    role = settings.APP_DB_USER
    with connection.cursor() as cursor:
        _ensure_runtime_role(cursor, role, settings.APP_DB_PASSWORD)
        existing = set(connection.introspection.table_names(cursor))
        for model in tenant_models():
            table = model._meta.db_table
            if table not in existing:
                continue
            column = "id" if model is Organization else "organization_id"
            _enable_rls(cursor, table, column)
            if model is not Organization:
                _ensure_same_tenant_fks(cursor, model)
        _grant(cursor, role)
    logger.info("Tenant security applied for role %s on alias %s", role, using)


def sync_database_security_on_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # post_migrate fires once per app; do the work once, after the last app (this one is late).
    if sender.label != "tenancy" or using != "owner":
        return
    sync_database_security(using)
