"""Celery tasks always run inside an explicit tenant context."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .context import TenantNotSetError, tenant_context


def tenant_task(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a task body that takes `organization_id` as a keyword: run it in that tenant.

    A task without a tenant fails loudly rather than running with whatever a previous task left.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, organization_id: int | None = None, **kwargs: Any) -> Any:
        if organization_id is None:
            raise TenantNotSetError(f"Task {func.__name__} was called without organization_id.")
        with tenant_context(int(organization_id)):
            return func(*args, organization_id=int(organization_id), **kwargs)

    return wrapper
