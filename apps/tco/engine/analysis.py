"""Payback, break-even values and the tornado, on top of the expected-value model.

All values here are unrounded floats; output.py rounds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .inputs import field_spec
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


def _monthly_net(ev: Expected) -> list[float]:
    """(C_BF(y) − C_MS(y)) / 12 for each year: monthly flows are the year's cost over 12."""
    return [ev.net(y) / 12.0 for y in range(ev.years)]


def payback(ev: Expected) -> Payback:
    """First month whose cumulative savings, after the onboarding fee at t = 0, reach zero."""
    net = _monthly_net(ev)
    month: int | None = None
    fractional: float | None = None
    cumulative = -ev.params.onboarding
    for m in range(1, 12 * ev.years + 1):
        step = net[(m - 1) // 12]
        before, cumulative = cumulative, cumulative + step
        if cumulative >= 0:
            month = m
            # Linear within the month; `before` ≥ 0 only when nothing was owed (O = 0, m = 1).
            fractional = (m - 1) + (-before / step if before < 0 else 0.0)
            break

    discounted_month: int | None = None
    monthly_discount = (1.0 + ev.params.discount) ** (-1.0 / 12.0)
    cumulative, weight = -ev.params.onboarding, 1.0
    for m in range(1, 12 * ev.years + 1):
        weight *= monthly_discount  # (1 + d)^(−m/12)
        cumulative += net[(m - 1) // 12] * weight
        if cumulative >= 0:
            discounted_month = m
            break
    return Payback(month, fractional, discounted_month)


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
                lambda x, path=path: savings_pv(build_params(with_override(doc, path, x))),
                float(doc[section][name]),
                s0,
                reduction=name == "reduction",
            )
    return result


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
        assert field_spec(path) is not None, path  # inputs.validate only admits known paths
        bars.append(
            TornadoBar(
                path,
                low,
                high,
                savings_pv(build_params(with_override(doc, path, low))),
                savings_pv(build_params(with_override(doc, path, high))),
            )
        )
    # Sort on the swing in cents: equal swings (φ and D scale outage cost alike) keep the
    # document's order instead of depending on the last bit of a float. sorted() is stable.
    bars.sort(key=lambda bar: -round(bar.swing, 2))
    return bars
