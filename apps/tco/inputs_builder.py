"""From an assessment, a pricing-tier version and an assumption-set version to the engine's input.

TCO_MODEL.md "From the assessment to the inputs" is the contract. Everything here is pure (no
database): `build_inputs` takes the assessment answers (a dict by section), the tier version (a
model instance or any object / mapping with the PricingTierVersion field names), the assumption
set's `values` and the salesperson's overrides, and returns the engine input document together
with, for every input, where its value came from:

    {"tickets.per_user_per_month": {"value": 0.31, "source": "derived", "detail": "...", ...}}

Sources: "assessment" (an answer), "tier" (the pricing tier version), "assumption" (the tenant's
assumption set, with its own source text and evidence grade; or the product default when the
set lacks the path), "derived" (a calibration of the prospect's history against a prior), and
"override" (the salesperson's value, with the reason).

Order: assumptions, then the tier, then the answers, then the overrides; the calibrations run
last on those values, so an overridden hourly rate feeds the ticket-rate calibration, and an
override of a calibrated input itself wins over the calibration.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from . import engine
from .presentation import input_label

# --- reading answers -------------------------------------------------------------------------

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def answer(answers: Mapping[str, Any], key: str) -> Any:
    """The answer at "section.key", or None when missing or blank."""
    section, _, name = key.partition(".")
    block = answers.get(section)
    if not isinstance(block, Mapping):
        return None
    value = block.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def answer_number(answers: Mapping[str, Any], key: str) -> float | None:
    """A numeric answer as a float (answers may be stored as numbers, Decimals or strings)."""
    value = answer(answers, key)
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(Decimal(str(value).replace(",", "").strip()))
    except ArithmeticError:
        return None
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def answer_bool(answers: Mapping[str, Any], key: str) -> bool | None:
    value = answer(answers, key)
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _whole(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


# --- the calibrations of TCO_MODEL.md (each named and tested) ------------------------------------


def outage_rate_credibility(
    *,
    prior_per_year: float,
    prior_weight_years: float,
    observed_count: float,
    observed_years: float,
) -> float:
    """λ_out = (λ0·β0 + k) / (β0 + t): the Gamma–Poisson blend of the prior and the history.

    The engine computes the same value from the four inputs; this function is what the
    results page and the sources use to show the blended rate.
    """
    return (prior_per_year * prior_weight_years + observed_count) / (
        prior_weight_years + observed_years
    )


@dataclass(frozen=True, slots=True)
class TicketRate:
    observed: float  # τ_obs from the invoices
    blended: float  # τ, the prior blended with τ_obs


def ticket_rate_from_invoices(
    *,
    spend: float,
    outages: float,
    users: float,
    prior_rate: float,
    billed_hours: float,
    hourly_rate: float,
    after_hours_share: float,
    after_hours_multiplier: float,
    emergency_multiplier: float,
    trip_fee: float,
    onsite_share: float,
    outage_tech_hours: float,
    years: float = 1.0,
) -> TicketRate | None:
    """Paid tickets per user a month implied by last year's break/fix bill `B = spend`.

    τ_obs = max(0, B − k·h_out·r_em(1)) / ((h_tk·r_eff(1) + q_on·c_trip) · 12 · U), blended with
    the prior like outages: τ = (τ_prior·1 + τ_obs·t) / (1 + t), t = `years` of invoices.
    None when there is nothing to calibrate against (no users, or a zero cost per ticket).
    """
    r_eff = hourly_rate * (1.0 + after_hours_share * (after_hours_multiplier - 1.0))
    r_em = hourly_rate * emergency_multiplier
    per_ticket = billed_hours * r_eff + onsite_share * trip_fee
    if users <= 0 or per_ticket <= 0 or years <= 0:
        return None
    observed = max(0.0, spend - outages * outage_tech_hours * r_em) / (per_ticket * 12.0 * users)
    blended = (prior_rate * 1.0 + observed * years) / (1.0 + years)
    return TicketRate(observed=observed, blended=blended)


def ticket_rate_from_calls(
    *, calls: float, users: float, prior_rate: float, years: float = 1.0
) -> TicketRate | None:
    """The same blend when the prospect counted last year's calls instead of the bill.

    Not in TCO_MODEL.md: used only when no spend is given; τ_obs = calls / (12·U).
    """
    if users <= 0 or years <= 0:
        return None
    observed = max(0.0, calls) / (12.0 * users * years)
    return TicketRate(observed=observed, blended=(prior_rate + observed * years) / (1.0 + years))


BACKUP_MULTIPLIERS = {"none": 2.0, "untested": 1.0, "tested_offsite": 0.3}


def backup_posture_multiplier(posture: str | None) -> float:
    """Multiplier of data_loss.events_per_year: none ×2, untested ×1, tested offsite ×0.3.

    An unanswered or unknown posture leaves the prior as it is (×1).
    """
    return BACKUP_MULTIPLIERS.get(str(posture or "").strip().lower(), 1.0)


# The controls of TCO_MODEL.md, as (answer key, label). MFA and EDR are the critical ones.
SECURITY_CONTROLS: tuple[tuple[str, str], ...] = (
    ("security.mfa_email", "MFA on email"),
    ("security.mfa_remote_access", "MFA on remote access"),
    ("security.edr_all_endpoints", "EDR on every endpoint"),
    ("security.email_filtering", "email filtering"),
    ("security.patch_cadence", "monthly patching"),
    ("security.staff_training", "staff training"),
    ("security.payment_change_verification", "payment-change verification"),
)
CRITICAL_CONTROLS = (
    "security.mfa_email",
    "security.mfa_remote_access",
    "security.edr_all_endpoints",
)


def security_controls(answers: Mapping[str, Any]) -> dict[str, bool | None]:
    """Each control: True in place, False missing, None unanswered."""
    found: dict[str, bool | None] = {}
    for key, _label in SECURITY_CONTROLS:
        if key == "security.patch_cadence":
            cadence = answer(answers, key)
            found[key] = None if cadence is None else str(cadence).strip().lower() == "monthly"
        else:
            found[key] = answer_bool(answers, key)
    return found


def security_posture_multiplier(answers: Mapping[str, Any]) -> float:
    """Multiplier of major_security.probability_per_year and minor_security.events_per_year.

    ×1.5 when MFA (email or remote access) or EDR is missing, ×0.7 when all seven controls are
    in place, else ×1.0. An unanswered control is not counted as missing (no penalty on a
    blank), but all seven must be answered "yes" for the discount.
    """
    controls = security_controls(answers)
    if any(controls[key] is False for key in CRITICAL_CONTROLS):
        return 1.5
    if all(value is True for value in controls.values()):
        return 0.7
    return 1.0


def informal_support_hours(
    *, staff_it_hours_per_week: float, users: float, managed_reduction: float
) -> tuple[float, float]:
    """Hours per user a month staff spend fixing IT: (break/fix, managed).

    Break/fix: hours a week × 52 / 12 / U; managed: that × (1 − the tier's reduction).
    """
    if users <= 0 or staff_it_hours_per_week <= 0:
        return 0.0, 0.0
    break_fix = staff_it_hours_per_week * 52.0 / 12.0 / users
    return break_fix, break_fix * (1.0 - managed_reduction)


def loaded_hourly_cost(
    *,
    loaded: float | None,
    salary: float | None,
    benefits_percent: float | None,
    working_hours: float,
) -> tuple[float, str] | None:
    """The loaded cost of an hour of staff time from the answers, and how it was found."""
    if loaded is not None and loaded > 0:
        return loaded, "Loaded hourly cost given in the assessment"
    if salary is not None and salary > 0 and working_hours > 0:
        benefits = benefits_percent or 0.0
        value = salary * (1.0 + benefits / 100.0) / working_hours
        return value, (
            f"Average salary {salary:,.0f} + {benefits:g}% benefits over "
            f"{working_hours:,.0f} working hours"
        )
    return None


REVENUE_AT_RISK = {"low": 0.05, "medium": 0.10, "high": 0.20}


def revenue_at_risk(dependence: str | None) -> float | None:
    """outages.revenue_at_risk from how much revenue depends on IT (low/medium/high)."""
    return REVENUE_AT_RISK.get(str(dependence or "").strip().lower())


def outage_duration_blend(
    *, prior_hours: float, prior_outages: float, observed_count: float, observed_hours: float
) -> float:
    """The mean outage length: the prior worth `prior_outages` outages, blended with the history.

    Not in TCO_MODEL.md, which leaves D to the assumptions; principle 7 (the prospect's history
    is blended with the priors, never used alone) applied with the prior's own pseudo-count
    λ0·β0, as in the outage-rate blend.
    """
    weight = prior_outages + observed_count
    if weight <= 0:
        return prior_hours
    return (prior_hours * prior_outages + observed_hours * observed_count) / weight


# --- the engine's fields -----------------------------------------------------------------------

_MINIMAL = {
    "environment": {
        "users": 0,
        "endpoints": 0,
        "servers": 0,
        "sites": 0,
        "network_devices": 0,
        "annual_revenue": 0,
    }
}


@cache
def engine_defaults() -> dict[str, Any]:
    """Every scalar input path of the engine → its product default (from engine.validate)."""
    normalised = engine.validate(_MINIMAL)
    flat: dict[str, Any] = {}
    for key, value in normalised.items():
        if key == "sensitivity_ranges":
            continue
        if isinstance(value, Mapping):
            for name, inner in value.items():
                flat[f"{key}.{name}"] = inner
        else:
            flat[key] = value
    flat.pop("simulation.seed", None)
    return flat


@cache
def default_sensitivity_ranges() -> dict[str, list[float]]:
    return dict(engine.validate(_MINIMAL)["sensitivity_ranges"])


def input_paths() -> list[str]:
    """Every scalar engine input path (environment counts included)."""
    return [*engine_defaults(), "simulation.seed"]


OVERRIDABLE_EXCLUDED = frozenset({"simulation.seed", "simulation.trials"})


def overridable_paths() -> list[str]:
    """Paths a salesperson may override (the simulation settings are not assumptions)."""
    return [p for p in engine_defaults() if p not in OVERRIDABLE_EXCLUDED]


# What a tier version gives: engine path → PricingTierVersion field (CONTRACTS.md).
TIER_FIELDS: dict[str, str] = {
    "managed.price_per_user": "price_per_user",
    "managed.price_per_endpoint": "price_per_endpoint",
    "managed.price_per_server": "price_per_server",
    "managed.price_per_site": "price_per_site",
    "managed.price_per_network_device": "price_per_network_device",
    "managed.minimum_monthly_fee": "minimum_monthly_fee",
    "managed.onboarding_fee": "onboarding_fee",
    "managed.onboarding_multiple": "onboarding_multiple",
    "managed.annual_escalator": "annual_escalator",
    "tickets.reduction": "tickets_reduction",
    "outages.reduction": "outages_reduction",
    "hardware.reduction": "hardware_reduction",
    "data_loss.reduction": "data_loss_reduction",
    "minor_security.reduction": "minor_security_reduction",
    "major_security.reduction": "major_security_reduction",
    "tickets.user_hours_lost_managed": "tickets_user_hours_lost_managed",
    "hardware.user_hours_lost_managed": "hardware_user_hours_lost_managed",
    "minor_security.user_hours_lost_managed": "minor_security_user_hours_lost_managed",
    "outages.duration_ratio_managed": "outages_duration_ratio_managed",
}
INFORMAL_SUPPORT_REDUCTION_FIELD = "informal_support_reduction"
DEFAULT_INFORMAL_SUPPORT_REDUCTION = 0.75


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def tier_label(tier_version: Any) -> str:
    """ "Standard v2" for a tier version, whatever shape it has."""
    tier = _field(tier_version, "tier")
    name = _field(tier_version, "name") or (_field(tier, "name") if tier is not None else None)
    number = _field(tier_version, "number")
    label = str(name or "Pricing tier")
    return f"{label} v{number}" if number is not None else label


# --- the builder --------------------------------------------------------------------------------


class _Doc:
    """The input document being built, and the source of each value."""

    def __init__(self) -> None:
        self.doc: dict[str, Any] = {}
        self.sources: dict[str, dict[str, Any]] = {}

    def get(self, path: str) -> Any:
        section, _, name = path.partition(".")
        if not name:
            return self.doc.get(section)
        return (self.doc.get(section) or {}).get(name)

    def number(self, path: str) -> float:
        value = self.get(path)
        if value is None:
            value = engine_defaults().get(path)
        return float(value) if value is not None else 0.0

    def set(self, path: str, value: Any, source: str, detail: str, **extra: Any) -> None:
        section, _, name = path.partition(".")
        if isinstance(value, float) and not isinstance(value, bool):
            value = _whole(value) if path in _INTEGER_PATHS else value
        if name:
            self.doc.setdefault(section, {})[name] = value
        else:
            self.doc[section] = value
        entry = {"value": value, "source": source, "detail": detail}
        entry.update({k: v for k, v in extra.items() if v not in (None, "")})
        self.sources[path] = entry


_INTEGER_PATHS = frozenset(
    {
        "horizon_years",
        "environment.users",
        "environment.endpoints",
        "environment.servers",
        "environment.sites",
        "environment.network_devices",
        "outages.observed_count",
        "simulation.trials",
        "simulation.seed",
    }
)


def build_inputs(
    answers: Mapping[str, Any],
    tier_version: Any,
    assumption_values: Mapping[str, Mapping[str, Any]],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    trials: int | None = None,
    seed: int | None = None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The engine input document and, per input path, the source of its value.

    `assumption_values` is an AssumptionSetVersion's `values`
    ({path: {"value", "low", "high", "grade", "source", "label"}}); `overrides` is
    {path: {"value", "reason", "by"}}. The document is not validated here: the engine does
    that (and the caller maps its errors back to the fields they came from).
    """
    overrides = overrides or {}
    out = _Doc()
    known = engine_defaults()
    _from_assumptions(out, assumption_values, known)
    label = tier_label(tier_version)
    _from_tier(out, tier_version, label)
    _from_answers(out, answers)
    for path, override in overrides.items():
        out.set(
            path,
            override.get("value"),
            "override",
            str(override.get("reason") or "").strip() or "Changed by the salesperson",
            by=override.get("by"),
            was=out.get(path),
        )
    _calibrate(out, answers, tier_version, label, set(overrides))
    if trials is not None:
        out.set("simulation.trials", int(trials), "assumption", "Chosen for this analysis")
    if seed is not None:
        out.set(
            "simulation.seed",
            int(seed),
            "derived",
            "Random seed stored with the analysis (the same for every tier of a comparison)",
        )
    _fill_defaults(out, known)
    out.doc["sensitivity_ranges"] = _sensitivity_ranges(out, assumption_values)
    return out.doc, out.sources


def _from_assumptions(
    out: _Doc, values: Mapping[str, Mapping[str, Any]], known: Mapping[str, Any]
) -> None:
    for path, entry in values.items():
        if path not in known or path.startswith("environment."):
            continue
        if not isinstance(entry, Mapping) or entry.get("value") is None:
            continue
        out.set(
            path,
            entry["value"],
            "assumption",
            str(entry.get("source") or "Assumption set"),
            grade=entry.get("grade"),
            label=entry.get("label"),
            low=entry.get("low"),
            high=entry.get("high"),
        )


def _from_tier(out: _Doc, tier_version: Any, label: str) -> None:
    for path, field in TIER_FIELDS.items():
        value = _field(tier_version, field)
        if value is None and path != "managed.onboarding_fee":
            continue
        number = _float(value)
        if path == "managed.onboarding_fee" and number is None:
            out.set(path, None, "tier", f"{label}: no fixed fee (a multiple of the monthly fee)")
            continue
        out.set(path, number, "tier", f"Pricing tier {label}")


def _from_answers(out: _Doc, answers: Mapping[str, Any]) -> None:
    def put(path: str, key: str, *, what: str | None = None, integer: bool = False) -> float | None:
        value = answer_number(answers, key)
        if value is None:
            return None
        out.set(
            path,
            int(value) if integer and value.is_integer() else value,
            "assessment",
            f"Assessment: {what or key}",
            answer=key,
        )
        return value

    put("environment.users", "company.users", what="users", integer=True)
    put("environment.sites", "company.sites", what="sites", integer=True)
    put("environment.annual_revenue", "company.annual_revenue", what="annual revenue")
    hours = put(
        "environment.working_hours_per_year",
        "company.working_hours_per_year",
        what="working hours per year",
    )
    for path, keys, what in (
        (
            "environment.endpoints",
            ("endpoints.desktops", "endpoints.laptops"),
            "desktops + laptops",
        ),
        (
            "environment.servers",
            ("servers.physical", "servers.virtual"),
            "physical + virtual servers",
        ),
        (
            "environment.network_devices",
            ("network.firewalls", "network.switches", "network.access_points"),
            "firewalls + switches + access points",
        ),
    ):
        parts = [answer_number(answers, key) for key in keys]
        if all(p is None for p in parts):
            continue
        total = sum(p or 0.0 for p in parts)
        shown = " + ".join(f"{_whole(p or 0.0)}" for p in parts)
        out.set(
            path,
            _whole(total),
            "assessment",
            f"Assessment: {what} ({shown})",
            answer=", ".join(keys),
        )

    working_hours = hours if hours else out.number("environment.working_hours_per_year")
    loaded = loaded_hourly_cost(
        loaded=answer_number(answers, "company.loaded_hourly_cost"),
        salary=answer_number(answers, "company.average_salary"),
        benefits_percent=answer_number(answers, "company.benefits_percent"),
        working_hours=working_hours,
    )
    if loaded is not None:
        out.set("labour.loaded_hourly_cost", loaded[0], "assessment", f"Assessment: {loaded[1]}")

    put("break_fix.hourly_rate", "support.bf_hourly_rate", what="break/fix hourly rate")
    put(
        "break_fix.after_hours_multiplier",
        "support.bf_after_hours_multiplier",
        what="after-hours multiplier",
    )
    put(
        "break_fix.emergency_multiplier",
        "support.bf_emergency_multiplier",
        what="emergency multiplier",
    )
    put("break_fix.trip_fee", "support.bf_trip_fee", what="trip fee")

    dependence = answer(answers, "company.revenue_dependence")
    share = revenue_at_risk(dependence)
    if share is not None:
        out.set(
            "outages.revenue_at_risk",
            share,
            "assessment",
            f"Assessment: revenue depends on IT '{dependence}' → {share:.0%} of revenue "
            "lost while IT is down",
            answer="company.revenue_dependence",
        )

    outages = answer_number(answers, "incidents.outages")
    months = answer_number(answers, "incidents.period_months")
    if outages is not None and months:
        out.set(
            "outages.observed_count",
            round(outages),
            "assessment",
            f"Assessment: {outages:g} outages in the last {months:g} months",
            answer="incidents.outages",
        )
        out.set(
            "outages.observed_years",
            months / 12.0,
            "assessment",
            f"Assessment: history of {months:g} months",
            answer="incidents.period_months",
        )


def _calibrate(
    out: _Doc, answers: Mapping[str, Any], tier_version: Any, label: str, overridden: set[str]
) -> None:
    def free(path: str) -> bool:
        return path not in overridden

    users = out.number("environment.users")

    # Outage length: the prospect's average, blended with the prior (see outage_duration_blend).
    observed_hours = answer_number(answers, "incidents.outage_average_hours")
    k = float(out.get("outages.observed_count") or 0)
    if free("outages.duration_hours_break_fix") and observed_hours is not None and k > 0:
        prior = out.number("outages.duration_hours_break_fix")
        pseudo = out.number("outages.prior_per_year") * out.number("outages.prior_weight_years")
        value = outage_duration_blend(
            prior_hours=prior, prior_outages=pseudo, observed_count=k, observed_hours=observed_hours
        )
        out.set(
            "outages.duration_hours_break_fix",
            value,
            "derived",
            f"Prior {prior:g} h (worth {pseudo:g} outages) blended with the reported "
            f"average {observed_hours:g} h over {k:g} outages",
            answer="incidents.outage_average_hours",
        )

    # Ticket rate from last year's invoices (or, failing that, last year's call count).
    if free("tickets.per_user_per_month"):
        prior = out.number("tickets.per_user_per_month")
        spend = answer_number(answers, "support.last_12m_spend")
        calls = answer_number(answers, "support.last_12m_calls")
        years = out.number("outages.observed_years")
        outages_last_year = k / years if years > 0 else 0.0
        rate, detail = None, ""
        if spend is not None:
            rate = ticket_rate_from_invoices(
                spend=spend,
                outages=outages_last_year,
                users=users,
                prior_rate=prior,
                billed_hours=out.number("tickets.billed_hours"),
                hourly_rate=out.number("break_fix.hourly_rate"),
                after_hours_share=out.number("break_fix.after_hours_share"),
                after_hours_multiplier=out.number("break_fix.after_hours_multiplier"),
                emergency_multiplier=out.number("break_fix.emergency_multiplier"),
                trip_fee=out.number("break_fix.trip_fee"),
                onsite_share=out.number("break_fix.onsite_share"),
                outage_tech_hours=out.number("outages.tech_hours"),
            )
            detail = (
                f"break/fix spend of {spend:,.0f} in the last 12 months, less the emergency work "
                f"of {outages_last_year:g} outages a year"
            )
            answer_key = "support.last_12m_spend"
        elif calls is not None:
            rate = ticket_rate_from_calls(calls=calls, users=users, prior_rate=prior)
            detail = f"{calls:g} support calls in the last 12 months"
            answer_key = "support.last_12m_calls"
        if rate is not None:
            out.set(
                "tickets.per_user_per_month",
                rate.blended,
                "derived",
                f"Prior {prior:g} blended 1:1 with {rate.observed:.3f} observed from {detail}",
                answer=answer_key,
                prior=prior,
                observed=round(rate.observed, 6),
            )

    # Backup posture → data-loss frequency.
    posture = answer(answers, "backup.posture")
    if free("data_loss.events_per_year") and posture is not None:
        multiplier = backup_posture_multiplier(str(posture))
        prior = out.number("data_loss.events_per_year")
        out.set(
            "data_loss.events_per_year",
            prior * multiplier,
            "derived",
            f"Prior {prior:g} a year × {multiplier:g} for backup posture '{posture}'",
            answer="backup.posture",
            prior=prior,
            multiplier=multiplier,
        )

    # Security posture → incident frequencies.
    controls = security_controls(answers)
    if any(v is not None for v in controls.values()):
        multiplier = security_posture_multiplier(answers)
        missing = [lbl for key, lbl in SECURITY_CONTROLS if controls[key] is False]
        why = (
            "critical controls missing: " + ", ".join(missing)
            if multiplier > 1
            else "all seven controls in place"
            if multiplier < 1
            else ("missing: " + ", ".join(missing) if missing else "some controls unanswered")
        )
        for path, unit in (
            ("major_security.probability_per_year", "chance a year"),
            ("minor_security.events_per_year", "a year"),
        ):
            if not free(path):
                continue
            prior = out.number(path)
            out.set(
                path,
                prior * multiplier,
                "derived",
                f"Prior {prior:g} {unit} × {multiplier:g} for security posture ({why})",
                answer="security",
                prior=prior,
                multiplier=multiplier,
            )

    # Informal support: staff time spent fixing IT themselves.
    weekly = answer_number(answers, "support.staff_it_hours_per_week")
    if weekly is not None:
        reduction = _float(_field(tier_version, INFORMAL_SUPPORT_REDUCTION_FIELD))
        if reduction is None:
            reduction = DEFAULT_INFORMAL_SUPPORT_REDUCTION
        bf, _managed = informal_support_hours(
            staff_it_hours_per_week=weekly, users=users, managed_reduction=reduction
        )
        if free("informal_support.hours_per_user_month_break_fix"):
            out.set(
                "informal_support.hours_per_user_month_break_fix",
                bf,
                "derived",
                f"{weekly:g} staff hours a week on IT × 52 / 12 / {users:g} users",
                answer="support.staff_it_hours_per_week",
            )
        if free("informal_support.hours_per_user_month_managed"):
            base = out.number("informal_support.hours_per_user_month_break_fix")
            out.set(
                "informal_support.hours_per_user_month_managed",
                base * (1.0 - reduction),
                "derived",
                f"Break/fix value × (1 − {reduction:g}), the informal-support reduction of {label}",
                answer="support.staff_it_hours_per_week",
            )


def _fill_defaults(out: _Doc, known: Mapping[str, Any]) -> None:
    for path, value in known.items():
        if path in out.sources:
            continue
        # The counts and revenue have no default: the assessment must give them.
        if path.startswith("environment.") and path != "environment.working_hours_per_year":
            continue
        out.set(
            path, value, "assumption", "Product default of TCO_MODEL.md (not in the assumption set)"
        )


def _sensitivity_ranges(
    out: _Doc, values: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[float]]:
    """The tornado's ranges: the assumption set's low/high, else the engine's defaults.

    Without a range in the assumption set, the price per user varies around the tier's own
    price, −20% / +40% (100–175 around 125, as in TCO_MODEL.md).
    """
    ranges: dict[str, list[float]] = {}
    for path, (low, high) in default_sensitivity_ranges().items():
        entry = values.get(path)
        if (
            isinstance(entry, Mapping)
            and entry.get("low") is not None
            and entry.get("high") is not None
        ):
            lo, hi = float(entry["low"]), float(entry["high"])
            ranges[path] = [lo, hi] if lo <= hi else [hi, lo]
        elif path == "managed.price_per_user" and _float(out.get(path)):
            price = float(out.get(path))
            ranges[path] = [round(price * 0.8, 2), round(price * 1.4, 2)]
        else:
            ranges[path] = [float(low), float(high)]
    return ranges


# --- overrides -----------------------------------------------------------------------------------


def validate_overrides(raw: Any) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Shape-check overrides: {path: {"value": number, "reason": text}}.

    Returns (clean overrides, field errors keyed "overrides.<path>"); range checks are the
    engine's (see `engine_errors_by_field`).
    """
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict[str, Any]] = {}
    if raw in (None, ""):
        return clean, errors
    if not isinstance(raw, Mapping):
        return clean, {"overrides": ["must be an object mapping input paths to {value, reason}"]}
    allowed = set(overridable_paths())
    for path, entry in raw.items():
        key = f"overrides.{path}"
        if path not in allowed:
            errors[key] = ["is not an input that can be overridden"]
            continue
        if not isinstance(entry, Mapping):
            entry = {"value": entry}
        value = entry.get("value")
        if path == "managed.onboarding_fee" and value is None:
            number: float | None = None
        else:
            number = _float(value) if not isinstance(value, str) else _float(value.strip() or None)
            if number is None or not math.isfinite(number):
                errors.setdefault(key, []).append("value must be a number")
                continue
        reason = str(entry.get("reason") or "").strip()
        if not reason:
            errors.setdefault(key, []).append("a reason is required for every override")
            continue
        if len(reason) > 500:
            errors.setdefault(key, []).append("reason must be at most 500 characters")
            continue
        if number is not None and path in _INTEGER_PATHS:
            number = _whole(number)
        clean[path] = {"value": number, "reason": reason}
        if entry.get("by") is not None:
            clean[path]["by"] = entry["by"]
    return clean, errors


# The answers behind each environment count (for errors about a missing count).
ENVIRONMENT_ANSWERS = {
    "environment.users": "company.users",
    "environment.sites": "company.sites",
    "environment.annual_revenue": "company.annual_revenue",
    "environment.endpoints": "endpoints.desktops",
    "environment.servers": "servers.physical",
    "environment.network_devices": "network.firewalls",
}


def engine_errors_by_field(
    errors: Mapping[str, list[str]], sources: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[str]]:
    """Engine field errors renamed after what the user can fix.

    An overridden input → "overrides.<path>"; an answer → "answers.<section.key>"; anything
    else (tier, assumption) → "inputs.<path>" with the origin in the message.
    """
    mapped: dict[str, list[str]] = {}
    for path, messages in errors.items():
        source = sources.get(path) or {}
        origin = source.get("source")
        if not source and path in ENVIRONMENT_ANSWERS:
            key, prefix = f"answers.{ENVIRONMENT_ANSWERS[path]}", f"{input_label(path)} "
        elif origin == "override":
            key, prefix = f"overrides.{path}", ""
        elif origin in ("assessment",) and source.get("answer"):
            key, prefix = f"answers.{source['answer']}", f"{input_label(path)} "
        elif origin == "derived" and source.get("answer"):
            key = f"answers.{source['answer']}"
            prefix = f"{input_label(path)} (calculated from this answer) "
        else:
            key = f"inputs.{path}"
            prefix = (
                f"{input_label(path)} ({source.get('detail') or 'not given'}) "
                if source
                else (f"{input_label(path)} ")
            )
        mapped.setdefault(key, []).extend(f"{prefix}{m}" for m in messages)
    return mapped
