"""Template helpers for proposals (the dashboard panel)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import proposal_list

register = template.Library()


@register.simple_tag
def recent_proposals(limit: int = 5) -> list[Any]:
    """The latest proposals of the organisation, for the dashboard."""
    return list(proposal_list()[:limit])
