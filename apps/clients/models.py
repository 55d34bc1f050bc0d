"""Client accounts (prospects and customers of the MSP) and their contacts."""

from __future__ import annotations

from django.db import models

from apps.tenancy.models import TenantModel


class ClientStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    LOST = "lost", "Lost"


class Client(TenantModel):
    """A company the MSP sells to. Archived, not deleted, once anything refers to it."""

    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=100, blank=True)
    website = models.URLField(max_length=300, blank=True)
    address = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ClientStatus.choices, default=ClientStatus.PROSPECT
    )
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organization", "status", "name"], name="client_org_status_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(TenantModel):
    """A person at a client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["client_id", "name", "id"]

    def __str__(self) -> str:
        return self.name
