"""Payback, break-even values and the tornado, on top of the expected-value model.

All values here are unrounded floats; output.py rounds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .model import Expected, Params, build_params, fee_pv_slope, savings_pv, with_override

__all__ = [
    "BREAK_EVEN_INPUTS",
    "Payback",
    "TornadoBar",
    "break_even",
    "monthly_cumulative",
    "payback",
    "tornado",
]

# The inputs of TCO_MODEL.md "break_even[x]", in the order of the output document.
BREAK_EVEN_INPUTS: tuple[str, ...] = (
    "managed.price_per_user",
    "tickets.per_user_per_month",
    "tickets.user_hours_lost_break_fix",
    "outages_per_year",
    "outages.reduction",
    "major_security.reduction",
    "labour.loaded_hourly_cost",
)


@dataclass(frozen=True, slots=True)
class Payback:
    month: int | None
    fractional: float | None
    discounted_month: int | None


def _first_month(start: float, steps: list[float], q: float) -> tuple[int, float] | None:
    """First month m with S(m) = start + Σ_{i≤m} steps[y(i)]·q^i ≥ 0, and S(m − 1).

    Within a year the monthly step is constant and the weights positive, so S is monotone
    there: a year whose step is negative, or whose end is still below zero, holds no crossing
    and is skipped whole; only the crossing year is walked month by month.
    """
    within = [q**k for k in range(1, 13)]
    year_weight, year_decay = sum(within), q**12
    cumulative, scale = start, 1.0
    for y, step in enumerate(steps):
        end = cumulative + step * scale * year_weight
        if step >= 0 and end >= 0:
            for k, weight in enumerate(within, start=1):
                before = cumulative
                cumulative = end if k == 12 else cumulative + step * scale * weight
                if cumulative >= 0:
                    return 12 * y + k, before
        cumulative = end
        scale *= year_decay
    return None


def payback(ev: Expected) -> Payback:
    """First month whose cumulative savings, after the onboarding fee at t = 0, reach zero."""
    # Monthly flows are the year's cost over 12.
    steps = [ev.net(y) / 12.0 for y in range(ev.years)]
    start = -ev.params.onboarding
    month = fractional = None
    if found := _first_month(start, steps, 1.0):
        month, before = found
        # Linear within the month; `before` ≥ 0 only when nothing was owed (O = 0, m = 1).
        step = steps[(month - 1) // 12]
        fractional = (month - 1) + (-before / step if before < 0 else 0.0)
    discounted = _first_month(start, steps, (1.0 + ev.params.discount) ** (-1.0 / 12.0))
    return Payback(month, fractional, discounted[0] if discounted else None)


def monthly_cumulative(ev: Expected) -> dict[str, list[float]]:
    """Cumulative undiscounted cost per month on each side, month 0 included (O for managed)."""
    bf, ms = [0.0], [ev.params.onboarding]
    for y in range(ev.years):
        bf_step, ms_step = ev.break_fix.total(y) / 12.0, ev.managed.total(y) / 12.0
        for _ in range(12):
            bf.append(bf[-1] + bf_step)
            ms.append(ms[-1] + ms_step)
    return {"months": list(range(len(bf))), "break_fix": bf, "managed": ms}


def _solve_linear(
    savings_at: Callable[[float], float], x0: float, s0: float, *, reduction: bool
) -> float | None:
    """Root of a function known to be linear in x; None when flat or outside the valid range."""
    step = max(1.0, abs(x0))
    slope = (savings_at(x0 + step) - s0) / step
    if abs(slope) < 1e-9 * max(1.0, abs(s0)):
        return None
    root = x0 - s0 / slope
    valid = 0.0 <= root < 1.0 if reduction else root >= 0.0
    return root if valid else None


def _break_even_price(p: Params, s0: float) -> float | None:
    """managed.price_per_user solved through the monthly fee (TCO_MODEL.md)."""
    slope = fee_pv_slope(p)
    if p.users <= 0 or abs(p.users * slope) < 1e-9 * max(1.0, abs(s0)):
        return None
    mrr_star = p.mrr + s0 / slope
    if mrr_star < p.minimum_fee:
        return None
    price = (mrr_star - p.other_recurring) / p.users
    return price if price >= 0 else None


def break_even(doc: Mapping[str, Any], base: Params | None = None) -> dict[str, float | None]:
    """The value of each break-even input at which savings are zero, all else fixed."""
    p = base if base is not None else build_params(doc)
    s0 = savings_pv(p)
    result: dict[str, float | None] = {}
    for path in BREAK_EVEN_INPUTS:
        if path == "managed.price_per_user":
            result[path] = _break_even_price(p, s0)
        elif path == "outages_per_year":
            # The derived λ_out, not one of its inputs: it is what an MSP can argue about.
            result[path] = _solve_linear(
                lambda x: savings_pv(replace(p, lam_out=x)), p.lam_out, s0, reduction=False
            )
        else:
            section, _, name = path.partition(".")
            result[path] = _solve_linear(
                partial(_savings_with, doc, path),
                float(doc[section][name]),
                s0,
                reduction=name == "reduction",
            )
    return result


def _savings_with(doc: Mapping[str, Any], path: str, value: float) -> float:
    return savings_pv(build_params(with_override(doc, path, value)))


@dataclass(frozen=True, slots=True)
class TornadoBar:
    input: str
    low: float
    high: float
    savings_at_low: float
    savings_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.savings_at_high - self.savings_at_low)


def tornado(doc: Mapping[str, Any]) -> list[TornadoBar]:
    """Savings at each end of each sensitivity range, the others at base; widest swing first."""
    bars = []
    for path, (low, high) in doc["sensitivity_ranges"].items():
        bars.append(
            TornadoBar(
                path,
                low,
                high,
                _savings_with(doc, path, low),
                _savings_with(doc, path, high),
            )
        )
    # Sort on the swing in cents: equal swings (φ and D scale outage cost alike) keep the
    # document's order instead of depending on the last bit of a float. sorted() is stable.
    bars.sort(key=lambda bar: -round(bar.swing, 2))
    return bars
