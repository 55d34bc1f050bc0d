"""Pricing tiers (what the MSP sells) and assumption sets (the model's defaults), versioned.

A version is immutable once written: changing a tier or an assumption set writes a new version
and points `current_version` at it, so an analysis or a proposal that refers to an older version
keeps exactly the numbers it was built from.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from apps.tenancy.models import TenantModel

RATE = {"max_digits": 6, "decimal_places": 4}
MONEY = {"max_digits": 12, "decimal_places": 2}
HOURS = {"max_digits": 8, "decimal_places": 2}


class ImmutableVersionError(RuntimeError):
    """A stored version was about to be changed."""


def _refuse_update(instance: Any) -> None:
    # Versions are written once: a second save of the same row is a bug.
    if not instance._state.adding:
        raise ImmutableVersionError(f"{type(instance).__name__} rows are immutable.")


class PricingTier(TenantModel):
    """A tier of the MSP's price book; its numbers live in `current_version`."""

    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    current_version = models.ForeignKey(
        "pricing.PricingTierVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(TenantModel.Meta):
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(archived_at__isnull=True),
                name="pricingtier_unique_active_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PricingTierVersion(TenantModel):
    """The prices and service levels of a tier at one point in time. Immutable."""

    tier = models.ForeignKey(PricingTier, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # The tier's name when this version was written, so an old proposal keeps it.
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    included_services = models.JSONField(default=list, blank=True)
    price_per_user = models.DecimalField(**MONEY)
    price_per_endpoint = models.DecimalField(**MONEY, default=0)
    price_per_server = models.DecimalField(**MONEY, default=0)
    price_per_site = models.DecimalField(**MONEY, default=0)
    price_per_network_device = models.DecimalField(**MONEY, default=0)
    minimum_monthly_fee = models.DecimalField(**MONEY, default=0)
    # A fixed onboarding fee; when null the fee is `onboarding_multiple` × the monthly fee.
    onboarding_fee = models.DecimalField(**MONEY, null=True, blank=True)
    onboarding_multiple = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    annual_escalator = models.DecimalField(**RATE, default=0)
    contract_term_months = models.PositiveSmallIntegerField(default=36)
    tickets_reduction = models.DecimalField(**RATE, default=0)
    outages_reduction = models.DecimalField(**RATE, default=0)
    hardware_reduction = models.DecimalField(**RATE, default=0)
    data_loss_reduction = models.DecimalField(**RATE, default=0)
    minor_security_reduction = models.DecimalField(**RATE, default=0)
    major_security_reduction = models.DecimalField(**RATE, default=0)
    informal_support_reduction = models.DecimalField(**RATE, default="0.75")
    tickets_user_hours_lost_managed = models.DecimalField(**HOURS, default="0.75")
    hardware_user_hours_lost_managed = models.DecimalField(**HOURS, default=4)
    minor_security_user_hours_lost_managed = models.DecimalField(**HOURS, default=4)
    outages_duration_ratio_managed = models.DecimalField(**RATE, default="0.5")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["tier_id", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "tier", "number"], name="pricingtierversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_update(self)
        super().save(*args, **kwargs)


class AssumptionSet(TenantModel):
    """The organisation's default model inputs; the numbers live in `current_version`."""

    name = models.CharField(max_length=100)
    is_default = models.BooleanField(default=False)
    current_version = models.ForeignKey(
        "pricing.AssumptionSetVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(TenantModel.Meta):
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="assumptionset_unique_name"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_default=True),
                name="assumptionset_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssumptionSetVersion(TenantModel):
    """Every model input's value, range, grade and source at one point in time. Immutable.

    `values`: {"<dotted.engine.path>": {"value", "low", "high", "grade", "source", "label"}}.
    """

    assumption_set = models.ForeignKey(
        AssumptionSet, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    values = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["assumption_set_id", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "assumption_set", "number"],
                name="assumptionsetversion_unique_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assumption_set_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_update(self)
        super().save(*args, **kwargs)

    def value(self, path: str) -> Any:
        """The value of one input (None when the tier or the assessment supplies it)."""
        entry = self.values.get(path) or {}
        return entry.get("value")
