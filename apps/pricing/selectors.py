"""Reads of pricing tiers and assumption sets (always inside the active tenant)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AssumptionSet, AssumptionSetVersion, PricingTier, PricingTierVersion


def pricing_tier_list(*, include_archived: bool = False) -> QuerySet[PricingTier]:
    """Tiers in display order, with their current version loaded."""
    queryset = PricingTier.objects.select_related("current_version")
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset


def pricing_tier_list_active() -> QuerySet[PricingTier]:
    """The tiers a salesperson can sell today (not archived), with `current_version` loaded."""
    return pricing_tier_list(include_archived=False).filter(current_version__isnull=False)


def pricing_tier_get(*, tier_id: int) -> PricingTier | None:
    return PricingTier.objects.select_related("current_version").filter(id=tier_id).first()


def pricing_tier_version_get(version_id: int) -> PricingTierVersion | None:
    """One tier version (current or old), with its tier; None when not in this tenant."""
    return PricingTierVersion.objects.select_related("tier").filter(id=version_id).first()


def pricing_tier_version_list(*, tier_id: int) -> QuerySet[PricingTierVersion]:
    return PricingTierVersion.objects.filter(tier_id=tier_id).select_related("created_by")


def assumption_set_list() -> QuerySet[AssumptionSet]:
    return AssumptionSet.objects.select_related("current_version")


def assumption_set_get(*, assumption_set_id: int) -> AssumptionSet | None:
    return assumption_set_list().filter(id=assumption_set_id).first()


def assumption_set_default() -> AssumptionSet | None:
    """The organisation's default assumption set, with `current_version` loaded."""
    return assumption_set_list().filter(is_default=True).first()


def assumption_set_version_get(version_id: int) -> AssumptionSetVersion | None:
    return (
        AssumptionSetVersion.objects.select_related("assumption_set").filter(id=version_id).first()
    )


def assumption_set_version_list(*, assumption_set_id: int) -> QuerySet[AssumptionSetVersion]:
    return AssumptionSetVersion.objects.filter(assumption_set_id=assumption_set_id).select_related(
        "created_by"
    )
