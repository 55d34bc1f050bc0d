"""Branding, proposal snapshots, their PDFs, share links, view events and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.tenancy.models import TenantModel

DEFAULT_PRIMARY_COLOR = "#1f5fbf"


class Branding(TenantModel):
    """The organisation's look on proposals: logo, colour, company details, legal text.

    One row per organisation, created on the first save. Logos are stored by content hash and
    never overwritten, so a proposal's snapshot keeps pointing at the logo it was sent with.
    """

    company_name = models.CharField(max_length=200, blank=True)
    primary_color = models.CharField(max_length=7, default=DEFAULT_PRIMARY_COLOR)
    # Relative to the media root: org/<organization id>/branding/<sha256>.<ext>
    logo_path = models.CharField(max_length=300, blank=True)
    logo_content_type = models.CharField(max_length=40, blank=True)
    logo_sha256 = models.CharField(max_length=64, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    legal_footer = models.TextField(blank=True)
    default_terms = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="branding_one_per_org"),
        ]

    def __str__(self) -> str:
        return f"Branding of organisation {self.organization_id}"

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_path)
