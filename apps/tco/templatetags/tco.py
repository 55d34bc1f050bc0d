"""Template helpers for analyses: money formatting and a client's analyses."""

from __future__ import annotations

from typing import Any

from django import template

from .. import presentation
from ..selectors import analysis_list, analysis_list_for_client

register = template.Library()


@register.filter
def money(value: Any, currency: str = "USD") -> str:
    """`{{ value|money:currency }}` → "$12,345" / "−$1,200" / "—"."""
    try:
        number = None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return "—"
    return presentation.money(number, currency or "USD")


@register.simple_tag
def client_analyses(client: Any, limit: int = 20) -> list[Any]:
    """The latest analyses of a client (for the client page)."""
    client_id = getattr(client, "id", client)
    return list(analysis_list_for_client(client_id)[:limit])


@register.simple_tag
def recent_analyses(limit: int = 5) -> list[Any]:
    """The latest analyses of the organisation, for the dashboard."""
    return list(analysis_list()[:limit])


@register.filter
def thousands(value: Any) -> str:
    """`10000` → "10,000"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
