"""The database itself enforces tenancy: catalogue checks and raw SQL through the runtime role."""

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from apps.tenancy.db import POLICY_NAME


def _tenant_tables(cursor) -> list[str]:
    cursor.execute(
        """
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_name = c.table_name AND t.table_schema = c.table_schema
        WHERE c.table_schema = 'public' AND c.column_name = 'organization_id'
          AND t.table_type = 'BASE TABLE'
        ORDER BY 1
        """
    )
    return [row[0] for row in cursor.fetchall()]


def test_every_tenant_table_has_forced_rls_and_a_policy(db):
    with connection.cursor() as cursor:
        tables = _tenant_tables(cursor)
        assert "tenancy_membership" in tables and "jobs_job" in tables
        for table in [*tables, "tenancy_organization"]:
            cursor.execute(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass",
                [table],
            )
            enabled, forced = cursor.fetchone()
            assert enabled and forced, f"{table}: RLS enabled={enabled} forced={forced}"
            cursor.execute(
                "SELECT qual, with_check FROM pg_policies WHERE tablename = %s AND policyname = %s",
                [table, POLICY_NAME],
            )
            policy = cursor.fetchone()
            assert policy is not None, f"{table} has no {POLICY_NAME} policy"
            qual, with_check = policy
            assert "app.organization_id" in qual and "app.organization_id" in with_check
            assert " OR " not in qual.upper(), f"{table}: a policy must have no OR branch"
            cursor.execute("SELECT count(*) FROM pg_policies WHERE tablename = %s", [table])
            assert cursor.fetchone()[0] == 1, f"{table}: exactly one policy expected"


def test_runtime_role_is_ordinary_and_owns_nothing(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
        )
        assert cursor.fetchone()[0] == 0


def test_every_index_on_a_tenant_table_leads_with_organization_id(db):
    with connection.cursor() as cursor:
        tables = _tenant_tables(cursor)
        cursor.execute(
            """
            SELECT t.relname, i.relname, a.attname
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
            """,
            [tables],
        )
        offenders = [(t, i, col) for t, i, col in cursor.fetchall() if col != "organization_id"]
    assert offenders == []


def test_foreign_keys_between_tenant_tables_include_the_tenant(db):
    """Every FK from a tenant table to another tenant table has a composite twin."""
    with connection.cursor() as cursor:
        tables = _tenant_tables(cursor)
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, con.confrelid::regclass::text,
                   array_length(con.conkey, 1)
            FROM pg_constraint con
            WHERE con.contype = 'f' AND con.conrelid::regclass::text = ANY(%s)
              AND con.confrelid::regclass::text = ANY(%s)
            """,
            [tables, tables],
        )
        rows = cursor.fetchall()
    pairs_single = {(a, b) for a, b, n in rows if n == 1}
    pairs_composite = {(a, b) for a, b, n in rows if n == 2}
    assert pairs_single <= pairs_composite, pairs_single - pairs_composite


def test_raw_sql_without_tenant_sees_no_rows_and_cannot_insert(world, other_world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.organization_id', true)")
        assert (cursor.fetchone()[0] or "") == ""
        tables = _tenant_tables(cursor)
        for table in [*tables, "tenancy_organization"]:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from catalogue
            assert cursor.fetchone()[0] == 0, f"{table} leaks rows without a tenant"
    with pytest.raises(ProgrammingError, match="row-level security"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tenancy_membership (created_at, updated_at, role, user_id, "
                "organization_id) VALUES (now(), now(), 'admin', %s, %s)",
                [world.admin.id, world.id],
            )


def test_raw_sql_in_one_tenant_cannot_write_into_another(world, other_world):
    with world.context():
        with pytest.raises(ProgrammingError, match="row-level security"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO tenancy_membership (created_at, updated_at, role, user_id, "
                    "organization_id) VALUES (now(), now(), 'admin', %s, %s)",
                    [world.admin.id, other_world.id],
                )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tenancy_membership SET role = 'salesperson' WHERE organization_id = %s",
                [other_world.id],
            )
            assert cursor.rowcount == 0


def test_tenant_setting_is_local_to_the_transaction(world):
    with world.context():
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tenancy_membership")
        assert cursor.fetchone()[0] == 0
