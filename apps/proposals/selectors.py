"""Reads of the proposals app."""

from __future__ import annotations

from apps.tenancy.context import require_organization_id

from .models import Branding


def branding_get() -> Branding:
    """The active organisation's branding; an unsaved default when none was saved yet."""
    branding = Branding.objects.filter().first()
    if branding is None:
        branding = Branding(organization_id=require_organization_id())
    return branding
