"""The proposal snapshot as data: canonical JSON, content hash, verdict flags, readable diff.

Pure functions over plain dicts (no database): the services build the snapshot from the
models, these functions hash and compare it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

SCHEMA_VERSION = 1

# Short names for the readable diff ("users 25 → 30; loaded cost 45 → 52").
SHORT_LABELS: dict[str, str] = {
    "environment.users": "users",
    "environment.endpoints": "endpoints",
    "environment.servers": "servers",
    "environment.sites": "sites",
    "environment.network_devices": "network devices",
    "environment.annual_revenue": "annual revenue",
    "environment.working_hours_per_year": "working hours a year",
    "labour.loaded_hourly_cost": "loaded cost",
    "labour.wage_escalation": "wage growth",
    "break_fix.hourly_rate": "break/fix rate",
    "managed.price_per_user": "price per user",
    "managed.price_per_endpoint": "price per endpoint",
    "managed.price_per_server": "price per server",
    "managed.price_per_site": "price per site",
    "managed.price_per_network_device": "price per network device",
    "managed.minimum_monthly_fee": "minimum monthly fee",
    "managed.onboarding_fee": "onboarding fee",
    "managed.onboarding_multiple": "onboarding multiple",
    "managed.annual_escalator": "contract escalator",
    "horizon_years": "horizon (years)",
    "discount_rate": "discount rate",
    "tickets.per_user_per_month": "tickets per user a month",
    "outages.observed_count": "outages reported",
    "outages.observed_years": "outage history (years)",
    "informal_support.hours_per_user_month_break_fix": "staff IT hours per user a month",
}
# The diff lists these first, in this order; other inputs follow alphabetically.
DIFF_ORDER = list(SHORT_LABELS)
# Inputs that never matter to a reader of the diff.
DIFF_SKIP = {"simulation.seed", "simulation.trials"}


def jsonable(value: Any) -> Any:
    """Decimals as strings (exact), dates as ISO strings, UUIDs as strings, recursively."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def canonical_json(snapshot: Mapping[str, Any]) -> bytes:
    return json.dumps(
        jsonable(snapshot), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON: the identity of what the prospect is shown."""
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def recommended_option(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    options = snapshot.get("options") or []
    for option in options:
        if option.get("recommended"):
            return option
    return options[0] if options else {}


def favours_break_fix(result: Mapping[str, Any] | None) -> bool:
    """True when Break/Fix is cheaper, or Managed Services wins only through the risk layer.

    Either way the proposal must say so plainly, and the salesperson is warned before sending.
    """
    result = result or {}
    savings = float((result.get("present_value") or {}).get("savings") or 0.0)
    layers = result.get("layers") or {}
    hard = float((layers.get("hard") or {}).get("savings") or 0.0)
    soft = float((layers.get("soft") or {}).get("savings") or 0.0)
    return savings < 0 or (hard + soft) < 0


def _flatten(doc: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in doc.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{path}.")
        else:
            yield path, value


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return str(number.normalize())
    return str(value)


def _same(a: Any, b: Any) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return a == b


def snapshot_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What a revision changed, in words: "users 25 → 30", "tier Standard → Premium"."""
    changes: list[str] = []
    old_option, new_option = recommended_option(old), recommended_option(new)
    old_tier, new_tier = old_option.get("tier") or {}, new_option.get("tier") or {}
    if old_tier.get("name") != new_tier.get("name"):
        changes.append(f"tier {old_tier.get('name')} → {new_tier.get('name')}")
    elif old_tier.get("version") != new_tier.get("version"):
        changes.append(
            f"{new_tier.get('name')} price list v{old_tier.get('version')} → "
            f"v{new_tier.get('version')}"
        )
    for key, label in (("monthly_recurring_fee", "monthly fee"), ("onboarding_fee", "onboarding")):
        a = ((old_option.get("result") or {}).get("derived") or {}).get(key)
        b = ((new_option.get("result") or {}).get("derived") or {}).get(key)
        if not _same(a, b):
            changes.append(f"{label} {_plain(a)} → {_plain(b)}")
    old_inputs = dict(_flatten(old_option.get("inputs") or {}))
    new_inputs = dict(_flatten(new_option.get("inputs") or {}))
    paths = [p for p in DIFF_ORDER if p in old_inputs or p in new_inputs]
    paths += sorted((set(old_inputs) | set(new_inputs)) - set(paths))
    for path in paths:
        if path in DIFF_SKIP or path.startswith("sensitivity_ranges"):
            continue
        a, b = old_inputs.get(path), new_inputs.get(path)
        if isinstance(a, list) or isinstance(b, list) or _same(a, b):
            continue
        changes.append(f"{SHORT_LABELS.get(path, path)} {_plain(a)} → {_plain(b)}")
    old_names = [o.get("tier", {}).get("name") for o in old.get("options") or []]
    new_names = [o.get("tier", {}).get("name") for o in new.get("options") or []]
    if len(old_names) > 1 or len(new_names) > 1:
        if sorted(map(str, old_names)) != sorted(map(str, new_names)):
            before, after = ", ".join(map(str, old_names)), ", ".join(map(str, new_names))
            changes.append(f"tiers compared {before} → {after}")
    old_answers = dict(_flatten((old.get("assessment") or {}).get("answers") or {}))
    new_answers = dict(_flatten((new.get("assessment") or {}).get("answers") or {}))
    answer_changes = sorted(
        k for k in set(old_answers) | set(new_answers) if old_answers.get(k) != new_answers.get(k)
    )
    if answer_changes:
        changes.append(f"assessment answers changed: {', '.join(answer_changes[:8])}")
        if len(answer_changes) > 8:
            changes[-1] += f" and {len(answer_changes) - 8} more"
    old_meta, new_meta = old.get("proposal") or {}, new.get("proposal") or {}
    for key, label in (("title", "title"), ("valid_until", "valid until")):
        if old_meta.get(key) != new_meta.get(key):
            changes.append(f"{label} {old_meta.get(key)} → {new_meta.get(key)}")
    if old_meta.get("terms") != new_meta.get("terms"):
        changes.append("terms changed")
    if old_meta.get("note") != new_meta.get("note"):
        changes.append("cover note changed")
    if (old.get("branding") or {}) != (new.get("branding") or {}):
        changes.append("branding updated")
    if old_option.get("engine_version") != new_option.get("engine_version"):
        changes.append(
            f"engine {old_option.get('engine_version')} → {new_option.get('engine_version')}"
        )
    return changes
