import pytest
from django.db import connection

from apps.jobs.models import Job
from apps.tenancy.context import TenantNotSetError, current_organization_id, tenant_context
from apps.tenancy.models import Membership


def test_scoped_manager_raises_without_tenant(world):
    with pytest.raises(TenantNotSetError):
        list(Membership.objects.all())


def test_tenant_context_sets_and_restores_database_setting(world, other_world):
    with tenant_context(world.id):
        with tenant_context(other_world.id):
            assert current_organization_id() == other_world.id
            assert {m.organization_id for m in Membership.objects.all()} == {other_world.id}
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.organization_id', true)")
            assert cursor.fetchone()[0] == str(world.id)
        assert current_organization_id() == world.id
    assert current_organization_id() is None


def test_runtime_connection_is_not_owner(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, bypass = cursor.fetchone()
    assert user == "breakeven_app" and not superuser and not bypass


def test_create_without_tenant_is_refused(world):
    with pytest.raises(TenantNotSetError):
        Job.objects.create(kind="x", task_name="y")
