"""Managers that scope every query to the active tenant, and refuse to run without one.

Row-level security already hides other tenants' rows; filtering in the ORM as well keeps the
`organization_id` in every query, so indexes that lead with it are used and a sharded
deployment (Citus) can route the query.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from .context import require_organization_id


class TenantQuerySet(models.QuerySet):
    def create(self, **kwargs: Any) -> Any:
        kwargs.setdefault("organization_id", require_organization_id())
        return super().create(**kwargs)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """The default manager of tenant models: `organization_id = <active tenant>` always."""

    use_in_migrations = False

    def get_queryset(self) -> TenantQuerySet:
        return super().get_queryset().filter(organization_id=require_organization_id())

    def none(self) -> TenantQuerySet:
        # An empty queryset reads nothing, so it needs no tenant; class attributes such as a
        # DRF view's `queryset = Model.objects.none()` are built at import time.
        return super().get_queryset().none()
