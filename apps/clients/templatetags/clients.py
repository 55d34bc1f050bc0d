"""Template helpers for clients (the dashboard panel)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import client_list

register = template.Library()


@register.simple_tag
def recent_clients(limit: int = 5) -> list[Any]:
    """The clients touched most recently, for the dashboard."""
    return list(client_list().order_by("-updated_at", "-id")[:limit])
