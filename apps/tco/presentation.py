"""Words and number formats for analyses: labels of engine inputs, money, plain-language verdicts.

Pure functions (no database): the results page, the comparison page and the PDF all use them, so
the same result reads the same everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£"}
MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash in tables

# Plain names of the engine's input paths (TCO_MODEL.md "Inputs").
INPUT_LABELS: dict[str, str] = {
    "horizon_years": "Horizon (years)",
    "discount_rate": "Discount rate",
    "environment.users": "Users",
    "environment.endpoints": "Endpoints (desktops + laptops)",
    "environment.servers": "Servers (physical + virtual)",
    "environment.sites": "Sites",
    "environment.network_devices": "Network devices",
    "environment.annual_revenue": "Annual revenue",
    "environment.working_hours_per_year": "Working hours per year",
    "labour.loaded_hourly_cost": "Loaded cost of an hour of staff time",
    "labour.wage_escalation": "Wage growth per year",
    "break_fix.hourly_rate": "Break/fix hourly rate",
    "break_fix.after_hours_share": "Share of break/fix hours after hours",
    "break_fix.after_hours_multiplier": "After-hours rate multiplier",
    "break_fix.emergency_multiplier": "Emergency rate multiplier",
    "break_fix.trip_fee": "Trip fee per on-site visit",
    "break_fix.onsite_share": "Share of tickets needing a visit",
    "break_fix.rate_escalation": "Break/fix rate growth per year",
    "managed.price_per_user": "Price per user a month",
    "managed.price_per_endpoint": "Price per endpoint a month",
    "managed.price_per_server": "Price per server a month",
    "managed.price_per_site": "Price per site a month",
    "managed.price_per_network_device": "Price per network device a month",
    "managed.minimum_monthly_fee": "Minimum monthly fee",
    "managed.onboarding_fee": "Onboarding fee",
    "managed.onboarding_multiple": "Onboarding fee (× monthly fee)",
    "managed.annual_escalator": "Contract escalator per year",
    "tickets.per_user_per_month": "Paid support tickets per user a month",
    "tickets.billed_hours": "Billed hours per ticket",
    "tickets.user_hours_lost_break_fix": "Staff hours lost per ticket (break/fix)",
    "tickets.user_hours_lost_managed": "Staff hours lost per ticket (managed)",
    "tickets.reduction": "Tickets prevented by the tier",
    "outages.prior_per_year": "Typical outages a year (prior)",
    "outages.prior_weight_years": "Weight of the prior (years)",
    "outages.observed_count": "Outages reported",
    "outages.observed_years": "Years the outage history covers",
    "outages.duration_hours_break_fix": "Outage length with break/fix (hours)",
    "outages.duration_ratio_managed": "Outage length with managed ÷ break/fix",
    "outages.share_of_users_affected": "Share of users hit by an outage",
    "outages.productivity_loss": "Work lost during an outage",
    "outages.revenue_at_risk": "Revenue lost during an outage",
    "outages.tech_hours": "Emergency technician hours per outage",
    "outages.reduction": "Outages prevented by the tier",
    "hardware.failure_rate": "Endpoint failures per endpoint a year",
    "hardware.tech_hours": "Technician hours per failure",
    "hardware.replacement_cost": "Replacement cost per failure",
    "hardware.user_hours_lost_break_fix": "Staff hours lost per failure (break/fix)",
    "hardware.user_hours_lost_managed": "Staff hours lost per failure (managed)",
    "hardware.reduction": "Failures prevented by the tier",
    "data_loss.events_per_year": "Data-loss events a year",
    "data_loss.mean_cost": "Mean cost of a data-loss event",
    "data_loss.cost_sigma": "Spread of data-loss cost (σ)",
    "data_loss.reduction": "Data loss prevented by the tier",
    "minor_security.events_per_year": "Minor security incidents a year",
    "minor_security.tech_hours": "Technician hours per minor incident",
    "minor_security.user_hours_lost_break_fix": "Staff hours lost per minor incident (break/fix)",
    "minor_security.user_hours_lost_managed": "Staff hours lost per minor incident (managed)",
    "minor_security.reduction": "Minor incidents prevented by the tier",
    "major_security.probability_per_year": "Chance of a major security incident a year",
    "major_security.mean_cost": "Mean cost of a major incident",
    "major_security.median_cost": "Median cost of a major incident",
    "major_security.reduction": "Major incidents prevented by the tier",
    "informal_support.hours_per_user_month_break_fix": (
        "Staff hours on DIY IT per user a month (break/fix)"
    ),
    "informal_support.hours_per_user_month_managed": (
        "Staff hours on DIY IT per user a month (managed)"
    ),
    "simulation.trials": "Simulation trials",
    "simulation.seed": "Simulation seed",
    "simulation.outage_duration_sigma": "Spread of outage length (σ)",
    "outages_per_year": "Outages a year (blended)",
}

# How each kind of value is written: money, share (as %), or a plain number.
MONEY_PATHS = frozenset(
    {
        "environment.annual_revenue",
        "labour.loaded_hourly_cost",
        "break_fix.hourly_rate",
        "break_fix.trip_fee",
        "managed.price_per_user",
        "managed.price_per_endpoint",
        "managed.price_per_server",
        "managed.price_per_site",
        "managed.price_per_network_device",
        "managed.minimum_monthly_fee",
        "managed.onboarding_fee",
        "hardware.replacement_cost",
        "data_loss.mean_cost",
        "major_security.mean_cost",
        "major_security.median_cost",
    }
)
SHARE_PATHS = frozenset(
    {
        "discount_rate",
        "labour.wage_escalation",
        "break_fix.after_hours_share",
        "break_fix.onsite_share",
        "break_fix.rate_escalation",
        "managed.annual_escalator",
        "tickets.reduction",
        "outages.share_of_users_affected",
        "outages.productivity_loss",
        "outages.revenue_at_risk",
        "outages.reduction",
        "hardware.reduction",
        "data_loss.reduction",
        "minor_security.reduction",
        "major_security.probability_per_year",
        "major_security.reduction",
    }
)
LAYER_LABELS = {"hard": "Hard cash", "soft": "Staff time & revenue", "risk": "Risk of rare losses"}
CLASS_LABELS = {
    "tickets": "Support tickets",
    "outages": "Outages",
    "hardware": "Hardware failures",
    "data_loss": "Data loss",
    "minor_security": "Minor security incidents",
    "major_security": "Major security incidents",
    "informal_support": "Staff fixing IT themselves",
}


def input_label(path: str, labels: Mapping[str, str] | None = None) -> str:
    """The plain name of an engine input path (an assumption set's own label first)."""
    if labels and labels.get(path):
        return labels[path]
    return INPUT_LABELS.get(path, path)


def currency_symbol(currency: str) -> str:
    return CURRENCY_SYMBOLS.get((currency or "USD").upper(), f"{currency} ")


def _half_up(value: float, places: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: float | None, currency: str = "USD", *, cents: bool = False) -> str:
    """`$12,345` (or with cents); a negative amount as `−$12,345`; None as an em dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    amount = _half_up(abs(value), 2 if cents else 0)
    text = f"{currency_symbol(currency)}{amount:,.{2 if cents else 0}f}"
    return f"{MINUS}{text}" if value < 0 and amount != 0 else text


def money_compact(value: float | None, currency: str = "USD") -> str:
    """`$1.2M`, `$45k`, `$950`: for chart axes and labels."""
    if value is None:
        return "—"
    sign = MINUS if value < 0 else ""
    x = abs(float(value))
    symbol = currency_symbol(currency)
    if x >= 1e6:
        text = f"{x / 1e6:.1f}".rstrip("0").rstrip(".") + "M"
    elif x >= 1e4:
        text = f"{x / 1e3:.0f}k"
    elif x >= 1e3:
        text = f"{x / 1e3:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{x:.0f}"
    if text in ("0", "0k"):
        sign = ""
    return f"{sign}{symbol}{text}"


def percent(value: float | None, places: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{_half_up(abs(value) * 100, places):.{places}f}%"
    return f"{MINUS}{text}" if value < 0 and text.strip("0.%") else text


def number(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{_half_up(value, places):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_input(path: str, value: Any, currency: str = "USD") -> str:
    """An input value as a person reads it: money, percent or number."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if path in MONEY_PATHS:
        return money(value, currency, cents=not float(value).is_integer())
    if path in SHARE_PATHS:
        return percent(value, 1 if round(value * 100, 1) != round(value * 100) else 0)
    return number(value, 4)


def month_text(month: float | int | None) -> str:
    if month is None:
        return "not within the horizon"
    return f"month {number(month, 1)}"


# --- Break-even values in plain words ------------------------------------------------------

# What each break-even value means: the condition under which Managed Services pays off.
_BREAK_EVEN_PHRASES: dict[str, str] = {
    "managed.price_per_user": "the price is {word} {value} per user a month",
    "tickets.per_user_per_month": "the business logs {word} {value} paid support tickets "
    "per user a month",
    "tickets.user_hours_lost_break_fix": "each break/fix ticket costs staff {word} {value} "
    "hours of work",
    "outages_per_year": "the business has {word} {value} outages a year",
    "outages.reduction": "it prevents {word} {value} of outages",
    "major_security.reduction": "it prevents {word} {value} of major security incidents",
    "labour.loaded_hourly_cost": "an hour of staff time costs {word} {value}",
}


@dataclass(frozen=True)
class BreakEvenSentence:
    path: str
    label: str
    sentence: str
    current: str
    value: str


def _current_value(path: str, inputs: Mapping[str, Any], result: Mapping[str, Any]) -> Any:
    if path == "outages_per_year":
        return (result.get("derived") or {}).get("outages_per_year")
    section, _, name = path.partition(".")
    return (inputs.get(section) or {}).get(name) if name else inputs.get(section)


def break_even_sentences(
    inputs: Mapping[str, Any], result: Mapping[str, Any], currency: str = "USD"
) -> list[BreakEvenSentence]:
    """ "Managed Services pays off if it prevents at least 27% of outages", one per value.

    Savings are linear in each of these inputs, so the side of the break-even value that pays
    off is the side the current value is on when savings are positive, and the other side when
    they are negative.
    """
    savings = float((result.get("present_value") or {}).get("savings") or 0.0)
    sentences = []
    order = list(_BREAK_EVEN_PHRASES)
    values = result.get("break_even") or {}
    # Stored results come back from jsonb with their keys re-ordered: show the model's order.
    for path in sorted(values, key=lambda p: order.index(p) if p in order else len(order)):
        be = values[path]
        label = input_label(path)
        current = _current_value(path, inputs, result)
        current_text = format_input(path, current, currency)
        phrase = _BREAK_EVEN_PHRASES.get(path)
        if be is None or phrase is None or current is None:
            sentences.append(
                BreakEvenSentence(
                    path,
                    label,
                    f"{label}: no break-even value in the valid range; changing it alone does "
                    f"not turn {'savings into a loss' if savings >= 0 else 'the loss into savings'}"
                    ".",
                    current_text,
                    "—",
                )
            )
            continue
        above = float(current) > float(be)
        word = (
            ("at least" if above else "at most")
            if savings >= 0
            else ("at most" if above else "at least")
        )
        if math.isclose(float(current), float(be), rel_tol=1e-9, abs_tol=1e-12):
            word = "at least" if savings >= 0 else "more than"
        value_text = format_input(path, be, currency)
        if path in SHARE_PATHS:
            value_text = percent(be, 0)
        elif path not in MONEY_PATHS:
            value_text = number(be, 2)
        sentence = "Managed Services pays off if " + phrase.format(word=word, value=value_text)
        sentences.append(
            BreakEvenSentence(
                path, label, f"{sentence} (now {current_text}).", current_text, value_text
            )
        )
    return sentences


# --- The verdict: when the numbers favour Break/Fix, say so --------------------------------


@dataclass(frozen=True)
class Verdict:
    """A one-line conclusion and the plain notes that must accompany it."""

    favours: str  # "managed" | "break_fix"
    headline: str
    notes: list[str]
    tone: str  # "ok" | "warn" | "bad": the badge colour


def verdict(result: Mapping[str, Any], currency: str = "USD", years: int | None = None) -> Verdict:
    pv = result.get("present_value") or {}
    layers = result.get("layers") or {}
    savings = float(pv.get("savings") or 0.0)
    hard = float((layers.get("hard") or {}).get("savings") or 0.0)
    soft = float((layers.get("soft") or {}).get("savings") or 0.0)
    risk = float((layers.get("risk") or {}).get("savings") or 0.0)
    horizon = years or len(result.get("years") or []) or None
    over = f" over {horizon} years" if horizon else ""
    notes: list[str] = []
    if savings < 0:
        headline = (
            f"On these numbers Break/Fix is cheaper by {money(-savings, currency)}{over} "
            "(present value). Managed Services does not pay for itself here."
        )
        favours, tone = "break_fix", "bad"
    elif hard + soft < 0 < savings:
        headline = (
            f"Managed Services comes out {money(savings, currency)} ahead{over}, but only "
            "through the risk layer: it lowers the expected cost of rare losses "
            f"({money(risk, currency)}), while it costs {money(-(hard + soft), currency)} more "
            "in cash and staff time."
        )
        favours, tone = "managed", "warn"
    else:
        headline = f"Managed Services saves {money(savings, currency)}{over} (present value)."
        favours, tone = "managed", "ok"
    if hard < 0:
        notes.append(
            f"In hard cash Managed Services costs {money(-hard, currency)} more{over}; "
            "the savings come from staff time, revenue and lower risk."
        )
    elif hard > 0:
        notes.append(f"Managed Services also saves {money(hard, currency)} in hard cash{over}.")
    simulation = result.get("simulation") or {}
    probability = simulation.get("probability_managed_cheaper")
    if probability is not None and savings > 0 and probability < 0.5:
        notes.append(
            f"In only {percent(probability)} of simulated futures is Managed Services cheaper: "
            "the average is carried by a few costly incidents avoided."
        )
    for warning in result.get("warnings") or []:
        if warning.get("message"):
            notes.append(warning["message"])
    return Verdict(favours, headline, notes, tone)


def headline(result: Mapping[str, Any] | None) -> dict[str, Any]:
    """The few numbers a list or a comparison shows (stored as `Analysis.summary`)."""
    result = result or {}
    simulation = result.get("simulation") or {}
    layers = result.get("layers") or {}
    derived = result.get("derived") or {}
    return {
        "savings": (result.get("present_value") or {}).get("savings"),
        "hard_savings": (layers.get("hard") or {}).get("savings"),
        "soft_savings": (layers.get("soft") or {}).get("savings"),
        "risk_savings": (layers.get("risk") or {}).get("savings"),
        "payback_month": result.get("payback_month"),
        "payback_month_fractional": result.get("payback_month_fractional"),
        "probability_managed_cheaper": simulation.get("probability_managed_cheaper"),
        "monthly_fee": derived.get("monthly_recurring_fee"),
        "onboarding_fee": derived.get("onboarding_fee"),
        "roi": result.get("roi"),
        "horizon_years": len(result.get("years") or []),
    }
