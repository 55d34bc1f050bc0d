"""Range rules for tier fields and assumption values, shared by forms, the API and services."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from .defaults import ASSUMPTION_INPUTS, GRADES, INPUT_SPECS, InputSpec

ASSUMPTION_PATHS = frozenset(s.path for s in ASSUMPTION_INPUTS)


@dataclass(frozen=True)
class Rule:
    """Bounds of one numeric tier field."""

    label: str
    min: Decimal
    max: Decimal
    max_exclusive: bool = False
    integer: bool = False
    nullable: bool = False
    help: str = ""
    places: int = 2


_MONEY_MAX = Decimal("1000000")
_P = "Monthly price"
TIER_RULES: dict[str, Rule] = {
    "price_per_user": Rule(f"{_P} per user", Decimal(0), _MONEY_MAX),
    "price_per_endpoint": Rule(f"{_P} per endpoint", Decimal(0), _MONEY_MAX),
    "price_per_server": Rule(f"{_P} per server", Decimal(0), _MONEY_MAX),
    "price_per_site": Rule(f"{_P} per site", Decimal(0), _MONEY_MAX),
    "price_per_network_device": Rule(f"{_P} per network device", Decimal(0), _MONEY_MAX),
    "minimum_monthly_fee": Rule("Minimum monthly fee", Decimal(0), _MONEY_MAX),
    "onboarding_fee": Rule(
        "Onboarding fee (fixed)",
        Decimal(0),
        _MONEY_MAX,
        nullable=True,
        help="Leave empty to charge a multiple of the monthly fee instead.",
    ),
    "onboarding_multiple": Rule(
        "Onboarding, multiple of the monthly fee",
        Decimal(0),
        Decimal(12),
        help="Used when no fixed onboarding fee is set.",
    ),
    "annual_escalator": Rule(
        "Annual escalator", Decimal(0), Decimal("0.5"), help="A rate: 0.03 is 3% a year."
    ),
    "contract_term_months": Rule("Contract term (months)", Decimal(1), Decimal(120), integer=True),
    "tickets_reduction": Rule("Tickets prevented", Decimal(0), Decimal(1), max_exclusive=True),
    "outages_reduction": Rule("Outages prevented", Decimal(0), Decimal(1), max_exclusive=True),
    "hardware_reduction": Rule(
        "Hardware failures prevented", Decimal(0), Decimal(1), max_exclusive=True
    ),
    "data_loss_reduction": Rule(
        "Data-loss events prevented", Decimal(0), Decimal(1), max_exclusive=True
    ),
    "minor_security_reduction": Rule(
        "Minor security incidents prevented", Decimal(0), Decimal(1), max_exclusive=True
    ),
    "major_security_reduction": Rule(
        "Major security incidents prevented", Decimal(0), Decimal(1), max_exclusive=True
    ),
    "informal_support_reduction": Rule(
        "Informal support reduction",
        Decimal(0),
        Decimal(1),
        help="Share of the hours staff spend fixing IT that the tier takes over.",
    ),
    "tickets_user_hours_lost_managed": Rule(
        "User hours lost per ticket (managed)", Decimal(0), Decimal(100)
    ),
    "hardware_user_hours_lost_managed": Rule(
        "User hours lost per hardware failure (managed)", Decimal(0), Decimal(1000)
    ),
    "minor_security_user_hours_lost_managed": Rule(
        "User hours lost per minor security incident (managed)", Decimal(0), Decimal(1000)
    ),
    "outages_duration_ratio_managed": Rule(
        "Outage duration, managed ÷ break/fix", Decimal(0), Decimal(2)
    ),
}
# Rates are stored with 4 decimal places (0.0300), money and hours with 2.
RATE_FIELDS = (
    "annual_escalator",
    "tickets_reduction",
    "outages_reduction",
    "hardware_reduction",
    "data_loss_reduction",
    "minor_security_reduction",
    "major_security_reduction",
    "informal_support_reduction",
    "outages_duration_ratio_managed",
)
for _name in RATE_FIELDS:
    TIER_RULES[_name] = replace(TIER_RULES[_name], places=4)
TIER_NUMERIC_FIELDS = list(TIER_RULES)
TIER_FIELDS = ["description", "included_services", *TIER_NUMERIC_FIELDS]
MAX_SERVICES = 40
MAX_SERVICE_LENGTH = 200


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def tier_field_errors(field: str, value: Any) -> list[str]:
    """Messages for one tier field's value (empty when valid)."""
    rule = TIER_RULES[field]
    if value is None or value == "":
        return [] if rule.nullable else ["This field is required."]
    number = _as_decimal(value)
    if number is None:
        return ["Enter a number."]
    if rule.integer and number != number.to_integral_value():
        return ["Enter a whole number."]
    if not rule.integer and number != number.quantize(Decimal(1).scaleb(-rule.places)):
        return [f"At most {rule.places} decimal places."]
    if number < rule.min:
        return [f"Must be at least {rule.min}."]
    if rule.max_exclusive and number >= rule.max:
        return [f"Must be less than {rule.max} (a tier never prevents every incident)."]
    if number > rule.max:
        return [f"Must be at most {rule.max}."]
    return []


def tier_services_errors(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        return ["Give a list of services (text)."]
    if len(value) > MAX_SERVICES:
        return [f"At most {MAX_SERVICES} services."]
    if any(len(s) > MAX_SERVICE_LENGTH for s in value):
        return [f"Each service at most {MAX_SERVICE_LENGTH} characters."]
    return []


def tier_fields_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Field messages for every given tier field."""
    errors: dict[str, list[str]] = {}
    for field, value in data.items():
        if field in TIER_RULES:
            messages = tier_field_errors(field, value)
        elif field == "included_services":
            messages = tier_services_errors(value)
        elif field == "description":
            messages = [] if isinstance(value, str) else ["Enter text."]
        else:
            continue
        if messages:
            errors[field] = messages
    return errors


# --- Assumption values ---------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def spec_value_errors(spec: InputSpec, value: Any) -> list[str]:
    """Is `value` acceptable for the engine input `spec` at all (its hard validity bounds)?"""
    number = _number(value)
    if number is None:
        return ["Enter a number."]
    if spec.integer and not float(number).is_integer():
        return ["Enter a whole number."]
    if spec.min is not None:
        if spec.min_exclusive and number <= spec.min:
            return [f"Must be greater than {spec.min:g}."]
        if number < spec.min:
            return [f"Must be at least {spec.min:g}."]
    if spec.max is not None:
        if spec.max_exclusive and number >= spec.max:
            return [f"Must be less than {spec.max:g}."]
        if number > spec.max:
            return [f"Must be at most {spec.max:g}."]
    return []


def assumption_validate_override(path: str, value: Any) -> list[str]:
    """Messages for overriding the engine input `path` with `value` ([] when acceptable).

    Checks the input's valid range (what the engine accepts), not its plausible low–high range:
    a salesperson may go outside the plausible range when the prospect's facts say so, and the
    override records why.
    """
    spec = INPUT_SPECS.get(path)
    if spec is None:
        return [f"Unknown input {path!r}."]
    if value is None:
        if path in ("managed.onboarding_fee", "simulation.seed"):
            return []
        return ["Enter a number."]
    return spec_value_errors(spec, value)


def assumption_entry_errors(path: str, entry: Any) -> dict[str, list[str]]:
    """Messages for one assumption entry ({value, low, high, grade, source}), by key."""
    spec = INPUT_SPECS.get(path)
    if spec is None or path not in ASSUMPTION_PATHS:
        return {"path": [f"Unknown input {path!r}."]}
    if not isinstance(entry, dict):
        return {"value": ["Give value, low, high, grade and source."]}
    errors: dict[str, list[str]] = {}
    value = entry.get("value")
    if spec.value is None:
        if value not in (None, ""):
            errors["value"] = ["This input is set by the pricing tier or derived; leave it empty."]
    elif value is None or value == "":
        errors["value"] = ["This field is required."]
    else:
        if messages := spec_value_errors(spec, value):
            errors["value"] = messages
    bounds: dict[str, float] = {}
    for key in ("low", "high"):
        raw = entry.get(key)
        if raw is None or raw == "":
            continue
        if messages := spec_value_errors(spec, raw):
            errors[key] = messages
        else:
            bounds[key] = float(raw)
    if "low" in bounds and "high" in bounds and bounds["low"] > bounds["high"]:
        errors.setdefault("high", []).append("Must be at least the low value.")
    if "value" not in errors and value not in (None, ""):
        number = float(value)
        if "low" in bounds and number < bounds["low"]:
            errors.setdefault("value", []).append("Below the low end of its range.")
        if "high" in bounds and number > bounds["high"]:
            errors.setdefault("value", []).append("Above the high end of its range.")
    grade = entry.get("grade", "")
    if grade not in GRADES:
        errors["grade"] = ["Choose A, B, C, D or leave empty."]
    source = entry.get("source", "")
    if not isinstance(source, str) or len(source) > 500:
        errors["source"] = ["Text of at most 500 characters."]
    return errors
