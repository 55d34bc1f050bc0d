"""Writes of pricing tiers and assumption sets. Every change writes a new, immutable version."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.errors import ApplicationError

from .defaults import DEFAULT_TIERS, default_assumption_values
from .models import AssumptionSet, AssumptionSetVersion, PricingTier, PricingTierVersion
from .validation import (
    TIER_FIELDS,
    TIER_NUMERIC_FIELDS,
    TIER_RULES,
    assumption_entry_errors,
    tier_fields_errors,
)

DEFAULT_ASSUMPTION_SET_NAME = "Default assumptions"
ENTRY_KEYS = ("value", "low", "high", "grade", "source")


def _normalise_tier_fields(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in data.items():
        if field in TIER_RULES:
            if value is None or value == "":
                out[field] = None
            elif TIER_RULES[field].integer:
                out[field] = int(Decimal(str(value)))
            else:
                out[field] = Decimal(str(value))
        elif field == "included_services":
            out[field] = [s.strip() for s in value if s.strip()]
        elif field == "description":
            out[field] = value.strip()
    return out


def _validate_name(name: Any, *, exclude_id: int | None = None) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise ApplicationError("Name the tier.", extra={"name": ["This field is required."]})
    if len(name) > 100:
        raise ApplicationError("Name too long.", extra={"name": ["At most 100 characters."]})
    clash = PricingTier.objects.filter(name__iexact=name, archived_at__isnull=True)
    if exclude_id is not None:
        clash = clash.exclude(id=exclude_id)
    if clash.exists():
        raise ApplicationError(
            "A tier with that name exists.", extra={"name": ["A tier with this name exists."]}
        )
    return name


def _write_tier_version(*, tier: PricingTier, fields: dict[str, Any], user) -> PricingTierVersion:
    number = (tier.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PricingTierVersion.objects.create(
        tier=tier, number=number, name=tier.name, created_by=user, **fields
    )
    tier.current_version = version
    tier.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def pricing_tier_create(
    *, name: str, user, position: int | None = None, **fields: Any
) -> PricingTier:
    """Create a tier with its first version. Every numeric field is required except
    `onboarding_fee` (null means "a multiple of the monthly fee")."""
    errors: dict[str, list[str]] = {}
    try:
        name = _validate_name(name)
    except ApplicationError as exc:
        errors.update(exc.extra)
    unknown = set(fields) - set(TIER_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {sorted(unknown)}.")
    full = {"description": "", "included_services": [], **fields}
    for field in TIER_NUMERIC_FIELDS:
        full.setdefault(field, None)
    errors.update(tier_fields_errors(full))
    if errors:
        raise ApplicationError("The tier is not valid.", extra=errors)
    if position is None:
        position = (PricingTier.objects.aggregate(p=Max("position"))["p"] or 0) + 1
    tier = PricingTier.objects.create(name=name, position=position)
    _write_tier_version(tier=tier, fields=_normalise_tier_fields(full), user=user)
    return tier


def _version_fields(version: PricingTierVersion) -> dict[str, Any]:
    return {field: copy.deepcopy(getattr(version, field)) for field in TIER_FIELDS}


@transaction.atomic
def pricing_tier_update(
    *, tier: PricingTier, user, name: str | None = None, position: int | None = None, **fields: Any
) -> PricingTierVersion:
    """Change a tier: a new version when any number, text or service changed.

    Old versions stay as they were, so analyses and proposals that refer to them keep their
    numbers. Returns the (possibly unchanged) current version.
    """
    tier = PricingTier.objects.select_for_update().get(id=tier.id)
    if tier.archived_at is not None:
        raise ApplicationError("Restore the tier before changing it.")
    unknown = set(fields) - set(TIER_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {sorted(unknown)}.")
    errors = tier_fields_errors(fields)
    new_name = tier.name
    if name is not None:
        try:
            new_name = _validate_name(name, exclude_id=tier.id)
        except ApplicationError as exc:
            errors.update(exc.extra)
    if errors:
        raise ApplicationError("The tier is not valid.", extra=errors)
    renamed = new_name != tier.name
    if renamed or (position is not None and position != tier.position):
        tier.name = new_name
        if position is not None:
            tier.position = position
        tier.save(update_fields=["name", "position", "updated_at"])
    current = tier.current_version
    merged = _version_fields(current) if current else {}
    merged.update(_normalise_tier_fields(fields))
    if current is not None and merged == _version_fields(current) and not renamed:
        return current
    return _write_tier_version(tier=tier, fields=merged, user=user)


def pricing_tier_archive(*, tier: PricingTier, user=None) -> PricingTier:
    """Take a tier off the price book. Its versions stay for the analyses that use them."""
    if tier.archived_at is None:
        tier.archived_at = timezone.now()
        tier.is_active = False
        tier.save(update_fields=["archived_at", "is_active", "updated_at"])
    return tier


def pricing_tier_restore(*, tier: PricingTier, user=None) -> PricingTier:
    """Put an archived tier back on the price book (its name must be free)."""
    if tier.archived_at is not None:
        _validate_name(tier.name, exclude_id=tier.id)
        tier.archived_at = None
        tier.is_active = True
        tier.save(update_fields=["archived_at", "is_active", "updated_at"])
    return tier


# --- Assumption sets -----------------------------------------------------------------------------


def _write_assumption_version(
    *, assumption_set: AssumptionSet, values: dict[str, Any], user, note: str = ""
) -> AssumptionSetVersion:
    number = (assumption_set.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = AssumptionSetVersion.objects.create(
        assumption_set=assumption_set, number=number, values=values, note=note, created_by=user
    )
    assumption_set.current_version = version
    assumption_set.save(update_fields=["current_version", "updated_at"])
    return version


def _clean_entry(entry: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key in ENTRY_KEYS:
        if key not in entry:
            continue
        value = entry[key]
        if key in ("value", "low", "high"):
            if value is None or value == "":
                value = None
            else:
                number = float(value)
                value = int(number) if number.is_integer() and "." not in str(value) else number
        elif key in ("grade", "source"):
            value = (value or "").strip()
        out[key] = value
    return out


@transaction.atomic
def assumption_set_update(
    *, assumption_set: AssumptionSet, values: dict[str, Any], user, note: str = ""
) -> AssumptionSetVersion:
    """Change some inputs of an assumption set: a new version when anything changed.

    `values` maps dotted paths to partial entries ({"value": .., "low": .., "high": ..,
    "grade": .., "source": ..}); labels are fixed by the product. Every entry is validated
    (value within the input's valid range and its low–high range, grade A–D).
    """
    assumption_set = AssumptionSet.objects.select_for_update().get(id=assumption_set.id)
    if not isinstance(values, dict):
        raise ApplicationError("Give the values by input path.", extra={"values": ["Not a map."]})
    current = assumption_set.current_version
    base_values: dict[str, Any] = copy.deepcopy(current.values) if current else {}
    defaults = default_assumption_values()
    errors: dict[str, list[str]] = {}
    merged = copy.deepcopy(base_values)
    for path, entry in values.items():
        if not isinstance(entry, dict):
            errors[path] = ["Give value, low, high, grade and source."]
            continue
        base = base_values.get(path) or defaults.get(path)
        if base is None:
            errors[path] = [f"Unknown input {path!r}."]
            continue
        candidate = {**base, **{k: entry[k] for k in ENTRY_KEYS if k in entry}}
        entry_errors = assumption_entry_errors(path, candidate)
        if entry_errors:
            for key, messages in entry_errors.items():
                errors[f"{path}.{key}" if key != "path" else path] = messages
            continue
        merged[path] = _clean_entry(candidate, base)
    if errors:
        raise ApplicationError("Some assumptions are not valid.", extra=errors)
    if current is not None and merged == current.values:
        return current
    return _write_assumption_version(
        assumption_set=assumption_set, values=merged, user=user, note=(note or "")[:300]
    )


# --- Defaults for a new organisation -------------------------------------------------------------


@transaction.atomic
def pricing_seed_defaults(*, user=None) -> None:
    """Give the active tenant the starter tiers and the default assumption set. Idempotent."""
    if not PricingTier.objects.exists():
        for position, spec in enumerate(DEFAULT_TIERS, start=1):
            fields = {k: v for k, v in spec.items() if k != "name"}
            tier = PricingTier.objects.create(name=spec["name"], position=position)
            _write_tier_version(tier=tier, fields=copy.deepcopy(fields), user=user)
    if not AssumptionSet.objects.filter(is_default=True).exists():
        assumption_set = AssumptionSet.objects.create(
            name=DEFAULT_ASSUMPTION_SET_NAME, is_default=True
        )
        _write_assumption_version(
            assumption_set=assumption_set,
            values=default_assumption_values(),
            user=user,
            note="Product defaults of TCO_MODEL.md",
        )


def on_organization_created(sender: Any, organization: Any, created_by: Any = None, **kw: Any):
    # Runs inside the new tenant's context (see apps.tenancy.services.organization_create).
    pricing_seed_defaults(user=created_by)
