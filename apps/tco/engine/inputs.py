"""The engine's input document: schema, defaults and validation.

`validate` is the only way into the engine. It reports every problem of a document in one
`EngineInputError` (dotted field path -> messages) so a form or an API can show them all at once,
and returns a normalised copy: every section and field present, defaults filled in, whole numbers
as `int`, everything else as `float`, and a simulation seed even when the caller gave none.

The defaults are the product defaults of shared/TCO_MODEL.md (the Standard tier for the managed
side). A tenant's assumption set normally supplies every field; the defaults keep the engine usable
from a script or a test with only the assessment counts.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_SENSITIVITY_RANGES",
    "MAX_TRIALS",
    "MIN_TRIALS",
    "SCHEMA",
    "EngineInputError",
    "FieldSpec",
    "check_trials",
    "field_spec",
    "validate",
]

MIN_TRIALS = 100
MAX_TRIALS = 1_000_000
MAX_HORIZON = 10
# numpy seeds must be non-negative; 2**63 keeps them exact in JSON and in a bigint column.
MAX_SEED = 2**63 - 1


class EngineInputError(ValueError):
    """The input document is invalid; `.errors` maps each bad dotted path to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {path: list(msgs) for path, msgs in errors.items()}
        summary = "; ".join(
            f"{path}: {', '.join(msgs)}" for path, msgs in sorted(self.errors.items())
        )
        super().__init__(f"invalid TCO input: {summary}")


# A checker returns an error message, or None when the value is acceptable.
Check = Callable[[float], str | None]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One scalar field: its rule, default and whether it must be a whole number."""

    check: Check
    default: float | int | None = None
    required: bool = False
    integer: bool = False
    nullable: bool = False


def _at_least(low: float) -> Check:
    return lambda x: None if x >= low else f"must be ≥ {low:g}"


def _above(low: float) -> Check:
    return lambda x: None if x > low else f"must be > {low:g}"


def _between(low: float, high: float) -> Check:
    return lambda x: None if low <= x <= high else f"must be between {low:g} and {high:g}"


def _reduction(x: float) -> str | None:
    # Principle 4: Managed Services never removes every incident, so 1 itself is excluded.
    return None if 0 <= x < 1 else "must be in [0, 1)"


def _escalation(x: float) -> str | None:
    return None if -1 < x <= 1 else "must be greater than -1 and at most 1"


NONNEG = _at_least(0)
SHARE = _between(0, 1)
PREMIUM = _at_least(1)  # a premium multiplier below 1 would be a discount


def _f(check: Check, default: float | None = None, **kw: Any) -> FieldSpec:
    return FieldSpec(check=check, default=default, **kw)


def _count(default: int | None = None, *, required: bool = False) -> FieldSpec:
    return FieldSpec(check=NONNEG, default=default, required=required, integer=True)


# Top-level scalars, then one mapping per section. Order is the order of the output document.
TOP_LEVEL: dict[str, FieldSpec] = {
    "horizon_years": FieldSpec(check=_between(1, MAX_HORIZON), default=3, integer=True),
    "discount_rate": _f(_between(0, 1), 0.10),
}

SCHEMA: dict[str, dict[str, FieldSpec]] = {
    "environment": {
        "users": _count(required=True),
        "endpoints": _count(required=True),
        "servers": _count(required=True),
        "sites": _count(required=True),
        "network_devices": _count(required=True),
        "annual_revenue": _f(NONNEG, required=True),
        "working_hours_per_year": _f(_above(0), 2080.0),
    },
    "labour": {
        "loaded_hourly_cost": _f(NONNEG, 45.0),
        "wage_escalation": _f(_escalation, 0.04),
    },
    "break_fix": {
        "hourly_rate": _f(NONNEG, 150.0),
        "after_hours_share": _f(SHARE, 0.15),
        "after_hours_multiplier": _f(PREMIUM, 1.5),
        "emergency_multiplier": _f(PREMIUM, 2.0),
        "trip_fee": _f(NONNEG, 50.0),
        "onsite_share": _f(SHARE, 0.40),
        "rate_escalation": _f(_escalation, 0.04),
    },
    "managed": {
        "price_per_user": _f(NONNEG, 125.0),
        "price_per_endpoint": _f(NONNEG, 0.0),
        "price_per_server": _f(NONNEG, 150.0),
        "price_per_site": _f(NONNEG, 100.0),
        "price_per_network_device": _f(NONNEG, 0.0),
        "minimum_monthly_fee": _f(NONNEG, 0.0),
        "onboarding_fee": _f(NONNEG, None, nullable=True),
        "onboarding_multiple": _f(NONNEG, 1.0),
        "annual_escalator": _f(_escalation, 0.03),
    },
    "tickets": {
        "per_user_per_month": _f(NONNEG, 0.30),
        "billed_hours": _f(NONNEG, 1.25),
        "user_hours_lost_break_fix": _f(NONNEG, 2.0),
        "user_hours_lost_managed": _f(NONNEG, 0.75),
        "reduction": _f(_reduction, 0.30),
    },
    "outages": {
        "prior_per_year": _f(NONNEG, 2.0),
        "prior_weight_years": _f(_above(0), 1.0),
        "observed_count": _count(0),
        "observed_years": _f(NONNEG, 0.0),
        "duration_hours_break_fix": _f(NONNEG, 6.0),
        "duration_ratio_managed": _f(NONNEG, 0.5),
        "share_of_users_affected": _f(SHARE, 1.0),
        "productivity_loss": _f(SHARE, 0.5),
        "revenue_at_risk": _f(SHARE, 0.10),
        "tech_hours": _f(NONNEG, 4.0),
        "reduction": _f(_reduction, 0.50),
    },
    "hardware": {
        "failure_rate": _f(NONNEG, 0.068),
        "tech_hours": _f(NONNEG, 2.0),
        "replacement_cost": _f(NONNEG, 1000.0),
        "user_hours_lost_break_fix": _f(NONNEG, 8.0),
        "user_hours_lost_managed": _f(NONNEG, 4.0),
        "reduction": _f(_reduction, 0.0),
    },
    "data_loss": {
        "events_per_year": _f(NONNEG, 0.10),
        "mean_cost": _f(NONNEG, 6000.0),
        "cost_sigma": _f(_between(0, 5), 1.0),
        "reduction": _f(_reduction, 0.75),
    },
    "minor_security": {
        "events_per_year": _f(NONNEG, 0.5),
        "tech_hours": _f(NONNEG, 4.0),
        "user_hours_lost_break_fix": _f(NONNEG, 8.0),
        "user_hours_lost_managed": _f(NONNEG, 4.0),
        "reduction": _f(_reduction, 0.5),
    },
    "major_security": {
        # A yearly probability; the engine uses it as the Poisson rate of major incidents.
        "probability_per_year": _f(SHARE, 0.03),
        "mean_cost": _f(NONNEG, 115_000.0),
        "median_cost": _f(NONNEG, 30_000.0),
        "reduction": _f(_reduction, 0.5),
    },
    "informal_support": {
        "hours_per_user_month_break_fix": _f(NONNEG, 0.0),
        "hours_per_user_month_managed": _f(NONNEG, 0.0),
    },
    "simulation": {
        "trials": FieldSpec(check=_between(MIN_TRIALS, MAX_TRIALS), default=10_000, integer=True),
        # None means "derive one from the document", so a document always simulates the same way.
        "seed": FieldSpec(check=_between(0, MAX_SEED), default=None, integer=True, nullable=True),
        "outage_duration_sigma": _f(_between(0, 5), 0.8),
    },
}

# Free-form top-level keys the engine ignores (a case's label, the caller's bookkeeping).
IGNORED_TOP_LEVEL = frozenset({"name", "meta"})

# The ranges of shared/TCO_MODEL.md, used when a document gives no sensitivity_ranges at all.
DEFAULT_SENSITIVITY_RANGES: dict[str, tuple[float, float]] = {
    "managed.price_per_user": (100.0, 175.0),
    "tickets.per_user_per_month": (0.15, 0.6),
    "tickets.user_hours_lost_break_fix": (1.0, 4.0),
    "tickets.user_hours_lost_managed": (0.25, 1.5),
    "tickets.billed_hours": (0.75, 2.0),
    "tickets.reduction": (0.0, 0.5),
    "labour.loaded_hourly_cost": (35.27, 60.0),
    "break_fix.hourly_rate": (125.0, 250.0),
    "outages.duration_hours_break_fix": (3.0, 12.0),
    "outages.reduction": (0.25, 0.75),
    "outages.revenue_at_risk": (0.0, 0.3),
    "outages.productivity_loss": (0.25, 1.0),
    "major_security.probability_per_year": (0.015, 0.08),
    "major_security.mean_cost": (50_000.0, 250_000.0),
    "major_security.reduction": (0.2, 0.7),
    "managed.onboarding_multiple": (0.5, 1.5),
    "managed.annual_escalator": (0.0, 0.05),
    "discount_rate": (0.05, 0.15),
}

# Sections a tornado may not vary: the simulation settings do not change the expected value.
_NOT_SENSITIVE = frozenset({"simulation", "horizon_years"})


def field_spec(path: str) -> FieldSpec | None:
    """The spec of a dotted input path (`"tickets.reduction"`, `"discount_rate"`), or None."""
    if "." not in path:
        return TOP_LEVEL.get(path)
    section, _, name = path.partition(".")
    return SCHEMA.get(section, {}).get(name)


def sensitive_paths() -> list[str]:
    """Every dotted path a sensitivity range may name."""
    paths = [p for p in TOP_LEVEL if p not in _NOT_SENSITIVE]
    for section, fields in SCHEMA.items():
        if section not in _NOT_SENSITIVE:
            paths.extend(f"{section}.{name}" for name in fields)
    return paths


def _is_number(value: object) -> bool:
    # bool is an int subclass; True as a user count is a bug upstream, not a 1.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _coerce(value: object, spec: FieldSpec) -> tuple[float | int | None, str | None]:
    """Type-check and range-check one value; returns (normalised value, error)."""
    if value is None:
        return (None, None) if spec.nullable else (None, "must be a number, not null")
    if not _is_number(value):
        return None, "must be a number"
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return None, "must be a finite number"
    if spec.integer:
        if not number.is_integer():
            return None, "must be a whole number"
        # An int stays an int: going through float would silently change seeds above 2**53.
        exact = value if isinstance(value, int) else int(number)
        error = spec.check(exact)
        return (None, error) if error else (exact, None)
    error = spec.check(number)
    return (None, error) if error else (number, None)


def check_trials(trials: object) -> str | None:
    """Error message for a trials override, or None; 0 means "skip the simulation"."""
    if trials == 0 and _is_number(trials):
        return None
    _, error = _coerce(trials, SCHEMA["simulation"]["trials"])
    return error


def validate(doc: object) -> dict[str, Any]:
    """Validate an input document and return its normalised copy.

    Raises EngineInputError listing every bad field: missing required fields, wrong types,
    values outside their range, unknown fields, and bad sensitivity ranges.
    """
    errors: dict[str, list[str]] = {}

    def bad(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    if not isinstance(doc, Mapping):
        raise EngineInputError({"": ["the input document must be a JSON object"]})

    out: dict[str, Any] = {}
    for name, spec in TOP_LEVEL.items():
        _read_field(doc, name, name, spec, out, bad)

    for section, fields in SCHEMA.items():
        raw = doc.get(section, {})
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            bad(section, "must be an object")
            raw = {}
        values: dict[str, Any] = {}
        for name, spec in fields.items():
            _read_field(raw, name, f"{section}.{name}", spec, values, bad)
        for name in raw:
            if name not in fields:
                bad(f"{section}.{name}", "unknown field")
        out[section] = values

    known = set(TOP_LEVEL) | set(SCHEMA) | {"sensitivity_ranges"} | IGNORED_TOP_LEVEL
    for name in doc:
        if name not in known:
            bad(str(name), "unknown field")

    _check_cross_fields(out, bad)
    out["sensitivity_ranges"] = _read_ranges(doc.get("sensitivity_ranges"), bad)

    if errors:
        raise EngineInputError(errors)
    if out["simulation"]["seed"] is None:
        out["simulation"]["seed"] = _derived_seed(out)
    return out


def _read_field(
    source: Mapping[str, Any],
    name: str,
    path: str,
    spec: FieldSpec,
    into: dict[str, Any],
    bad: Callable[[str, str], None],
) -> None:
    if name not in source:
        if spec.required:
            bad(path, "is required")
        into[name] = spec.default
        return
    value, error = _coerce(source[name], spec)
    if error:
        bad(path, error)
    into[name] = value


def _check_cross_fields(out: dict[str, Any], bad: Callable[[str, str], None]) -> None:
    major = out["major_security"]
    mean, median = major["mean_cost"], major["median_cost"]
    # The severity is lognormal with sigma = sqrt(2 ln(mean/median)): it needs 0 < median <= mean.
    if isinstance(mean, float) and isinstance(median, float) and mean > 0:
        if median <= 0:
            bad("major_security.median_cost", "must be > 0 when mean_cost is > 0")
        elif median > mean:
            bad("major_security.median_cost", "must not exceed mean_cost")


def _read_ranges(raw: object, bad: Callable[[str, str], None]) -> dict[str, list[float]]:
    if raw is None:
        return {path: [low, high] for path, (low, high) in DEFAULT_SENSITIVITY_RANGES.items()}
    if not isinstance(raw, Mapping):
        bad("sensitivity_ranges", "must be an object mapping input paths to [low, high]")
        return {}
    allowed = set(sensitive_paths())
    ranges: dict[str, list[float]] = {}
    for path, pair in raw.items():
        where = f"sensitivity_ranges.{path}"
        if path not in allowed:
            bad(where, "unknown input path")
            continue
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            bad(where, "must be a list [low, high]")
            continue
        spec = field_spec(path)
        assert spec is not None  # allowed paths all have a spec
        # A range is a pair of values the field itself accepts (never null).
        spec = FieldSpec(check=spec.check, integer=spec.integer)
        values: list[float] = []
        for end, value in zip(("low", "high"), pair, strict=True):
            number, error = _coerce(value, spec)
            if error:
                bad(where, f"{end} {error}")
            else:
                values.append(float(number))  # type: ignore[arg-type]
        if len(values) == 2:
            if values[0] > values[1]:
                bad(where, "low must not exceed high")
            else:
                ranges[path] = values
    return ranges


def _derived_seed(doc: dict[str, Any]) -> int:
    """A seed that depends only on the document, so an unseeded document is still reproducible."""
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(canonical.encode()).digest()[:8], "big") & MAX_SEED
