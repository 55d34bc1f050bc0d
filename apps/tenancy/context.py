"""The active tenant: a context variable plus a PostgreSQL setting local to the transaction.

`tenant_context(org_id)` opens a transaction (or a savepoint inside one) and runs
``set_config('app.organization_id', id, true)``. The `true` makes the setting local to the
transaction, so a pooled connection never carries a tenant into the next request or task.
Row-level security policies read that setting; the ORM managers read the context variable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, transaction

_current_organization: ContextVar[int | None] = ContextVar("organization_id", default=None)


class TenantNotSetError(RuntimeError):
    """Tenant-owned data was touched with no tenant active."""


def current_organization_id() -> int | None:
    """The id of the active tenant, or None."""
    return _current_organization.get()


def require_organization_id() -> int:
    """The id of the active tenant; raises when none is active."""
    organization_id = _current_organization.get()
    if organization_id is None:
        raise TenantNotSetError("No tenant is active: wrap the work in tenant_context(...).")
    return organization_id


def _set_database_tenant(using: str, value: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config('app.organization_id', %s, true)", [value])


@contextmanager
def tenant_context(organization_id: int, *, using: str = "default") -> Iterator[int]:
    """Run the block as `organization_id`, inside a transaction that carries the tenant."""
    if isinstance(organization_id, bool) or not isinstance(organization_id, int):
        raise TenantNotSetError(f"A tenant id must be an int, not {organization_id!r}.")
    if organization_id <= 0:
        raise TenantNotSetError(f"Invalid tenant id {organization_id!r}.")
    previous = _current_organization.get()
    token = _current_organization.set(organization_id)
    try:
        with transaction.atomic(using=using):
            _set_database_tenant(using, str(organization_id))
            yield organization_id
            # On success inside an outer transaction the savepoint is released and the setting
            # would outlive the block: restore the enclosing tenant. On error, or when the block
            # asked for a rollback, the savepoint rollback already restores it.
            if not connections[using].needs_rollback:
                _set_database_tenant(using, "" if previous is None else str(previous))
    finally:
        _current_organization.reset(token)
