"""Writes of the proposals app: branding, proposals, PDFs, share links, views, decisions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.core.errors import ApplicationError
from apps.tenancy.context import require_organization_id

from .branding import color_is_valid
from .logos import LogoRejected, logo_clean
from .models import Branding
from .selectors import branding_get
from .storage import store_by_hash

BRANDING_FIELDS = (
    "company_name",
    "primary_color",
    "address",
    "phone",
    "email",
    "website",
    "legal_footer",
    "default_terms",
)


@transaction.atomic
def branding_update(
    *,
    user: Any,
    data: dict[str, Any],
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Branding:
    """Save the organisation's branding; a new logo is validated, cleaned and stored by hash.

    Proposals already created keep the logo and details of their snapshot.
    """
    branding = branding_get()
    if branding.pk is not None:
        branding = Branding.objects.select_for_update().get(pk=branding.pk)
    for name in BRANDING_FIELDS:
        if name in data and data[name] is not None:
            setattr(branding, name, str(data[name]).strip())
    if not color_is_valid(branding.primary_color):
        raise ApplicationError(
            "Choose a colour.", extra={"primary_color": ["Use a colour like #1f5fbf."]}
        )
    branding.primary_color = branding.primary_color.lower()
    if remove_logo:
        branding.logo_path = branding.logo_content_type = branding.logo_sha256 = ""
    if logo is not None:
        try:
            clean = logo_clean(logo)
        except LogoRejected as exc:
            raise ApplicationError(str(exc), extra={"logo": [str(exc)]}) from exc
        name = store_by_hash(
            organization_id=require_organization_id(),
            folder="branding",
            content=clean.content,
            extension=clean.extension,
        )
        branding.logo_path = name
        branding.logo_content_type = clean.content_type
        branding.logo_sha256 = name.rsplit("/", 1)[-1].split(".")[0]
    branding.updated_by = user
    branding.full_clean(exclude=["organization", "updated_by"])
    branding.save()
    return branding
