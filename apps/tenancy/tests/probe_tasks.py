"""Celery tasks for the isolation tests only (loaded by the test worker with --include)."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.db import connections

from apps.tenancy.context import current_organization_id
from apps.tenancy.tasks import tenant_task


def _observe() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT current_setting('app.organization_id', true)")
        setting = cursor.fetchone()[0]
        cursor.execute("SELECT DISTINCT organization_id FROM tenancy_membership ORDER BY 1")
        visible = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM tenancy_organization ORDER BY 1")
        organizations = [row[0] for row in cursor.fetchall()]
    return {
        "setting": setting or "",
        "visible_membership_orgs": visible,
        "visible_organizations": organizations,
        "context": current_organization_id(),
    }


@shared_task(name="tests.probe_tenant")
def probe_tenant(*, key: str, organization_id: int) -> None:
    @tenant_task
    def body(*, organization_id: int) -> dict:
        return _observe()

    cache.set(key, body(organization_id=organization_id), 120)


@shared_task(name="tests.probe_no_tenant")
def probe_no_tenant(*, key: str) -> None:
    # Raw SQL with no tenant context: row-level security must hide every row.
    cache.set(key, _observe(), 120)


@shared_task(name="tests.probe_missing_tenant_argument")
def probe_missing_tenant_argument(*, key: str) -> None:
    @tenant_task
    def body(*, organization_id: int) -> dict:
        return _observe()

    try:
        body()
    except Exception as exc:  # the point: it must refuse, loudly
        cache.set(key, {"error": type(exc).__name__}, 120)
        raise
