"""Organisations (tenants), memberships, invitations and the abstract tenant model."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import class_prepared

from apps.core.models import BaseModel

from .context import require_organization_id
from .managers import TenantManager


class Organization(BaseModel):
    """An MSP: the tenant. Visible only to its own tenant context (row-level security on `id`)."""

    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="USD")

    class Meta(BaseModel.Meta):
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TenantModel(BaseModel):
    """Base of every tenant-owned table: `organization_id` NOT NULL, RLS, scoped manager."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, editable=False, related_name="+"
    )

    objects = TenantManager()
    # For data migrations and the owner's maintenance only; RLS still applies at runtime.
    unscoped = models.Manager()

    class Meta(BaseModel.Meta):
        abstract = True
        base_manager_name = "unscoped"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.organization_id is None:
            self.organization_id = require_organization_id()
        super().save(*args, **kwargs)


def _lead_indexes_with_tenant(sender: type, **kwargs: Any) -> None:
    """Rewrite every single-column index of a tenant model as (organization_id, column).

    Every index on a tenant table leads with `organization_id`: queries always filter by it,
    and a sharded deployment (Citus, distributed by organization_id) needs it. Foreign keys and
    `db_index=True` fields would otherwise get single-column indexes.
    """
    if not issubclass(sender, TenantModel) or sender._meta.abstract:
        return
    for field in sender._meta.local_fields:
        if field.name == "organization" or not field.db_index or field.primary_key:
            continue
        field.db_index = False
        digest = hashlib.sha256(f"{sender._meta.db_table}.{field.column}".encode()).hexdigest()
        name = f"{sender._meta.model_name[:14]}_{field.column[:6]}_{digest[:6]}"
        index = models.Index(fields=["organization", field.name], name=name)
        index.set_name_with_model = lambda model: None  # the name above is final
        sender._meta.indexes = [*sender._meta.indexes, index]
        # Migrations read Meta options from `original_attrs`; keep the two in step.
        sender._meta.original_attrs["indexes"] = sender._meta.indexes


class_prepared.connect(_lead_indexes_with_tenant, dispatch_uid="tenancy-lead-indexes")


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SALESPERSON = "salesperson", "Salesperson"


class Membership(TenantModel):
    """A user's role in one organisation. A user may belong to several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SALESPERSON)

    class Meta(TenantModel.Meta):
        ordering = ["organization_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_unique_user_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Invitation(TenantModel):
    """An admin's invitation: a one-time link that creates the membership when accepted."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SALESPERSON)
    token_hash = models.CharField(max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        indexes = [models.Index(fields=["organization", "email"], name="invitation_org_email")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "token_hash"], name="invitation_unique_token"
            )
        ]

    def __str__(self) -> str:
        return f"Invitation {self.email} → {self.organization_id}"
