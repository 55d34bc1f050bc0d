"""The output document: rounding at the boundary and the key layout of the golden `expected`.

Money is rounded half-up (away from zero on a tie) to cents, rates and break-even values to four
places, fractional months to two. Rounding goes through the shortest decimal representation of the
float (`repr`), so 2.675 — stored as 2.67499999… — rounds to 2.68 as a person would expect.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .analysis import BREAK_EVEN_INPUTS, Payback, TornadoBar
from .model import CLASSES, HARD, LAYERS, RISK, SOFT, Expected, Side
from .simulation import SimulationStats

__all__ = [
    "break_even_section",
    "expected_section",
    "money",
    "rate",
    "round_half_up",
    "simulation_section",
    "tornado_section",
]

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(9)}


def round_half_up(value: float, places: int) -> float:
    """`value` rounded half away from zero to `places` decimals (never -0.0)."""
    rounded = Decimal(repr(float(value))).quantize(_QUANTA[places], rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0


def money(value: float) -> float:
    return round_half_up(value, 2)


def rate(value: float) -> float:
    return round_half_up(value, 4)


def _optional(value: float | None, places: int) -> float | None:
    return None if value is None else round_half_up(value, places)


def _side_year(side: Side, y: int, *, with_fee: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lines": {name: money(v) for name, v in zip(CLASSES, side.lines[y], strict=True)},
        "hard": money(side.layer(y, HARD)),
        "soft": money(side.layer(y, SOFT)),
        "risk": money(side.layer(y, RISK)),
    }
    if with_fee:
        out["fee"] = money(side.fee[y])
    out["total"] = money(side.total(y))
    return out


def _comparison(break_fix: float, managed: float) -> dict[str, float]:
    return {
        "break_fix": money(break_fix),
        "managed": money(managed),
        "savings": money(break_fix - managed),
    }


def expected_section(ev: Expected, pay: Payback) -> dict[str, Any]:
    """derived … discounted_payback_month of the output document."""
    p = ev.params
    pv_bf, pv_ms = ev.pv(ev.break_fix), ev.pv(ev.managed)
    fees_pv = ev.fees_pv()
    return {
        "derived": {
            # Event counts per year to cents as in the golden cases; r_h is a rate (4 places).
            "tickets_per_year": money(p.lam_tk),
            "outages_per_year": money(p.lam_out),
            "hardware_failures_per_year": money(p.lam_hw),
            "monthly_recurring_fee": money(p.mrr),
            "onboarding_fee": money(p.onboarding),
            "revenue_per_hour": rate(p.revenue_per_hour),
        },
        "years": [
            {
                "year": y + 1,
                "break_fix": _side_year(ev.break_fix, y, with_fee=False),
                "managed": _side_year(ev.managed, y, with_fee=True),
                "savings": money(ev.net(y)),
            }
            for y in range(ev.years)
        ],
        "present_value": _comparison(pv_bf, pv_ms),
        "undiscounted": _comparison(
            ev.pv(ev.break_fix, discounted=False), ev.pv(ev.managed, discounted=False)
        ),
        "layers": {
            name: _comparison(ev.layer_pv(ev.break_fix, i), ev.layer_pv(ev.managed, i))
            for i, name in enumerate(LAYERS)
        },
        # Nothing is spent on Managed Services when its fees are zero: no ratio to report.
        "roi": rate((pv_bf - pv_ms) / fees_pv) if fees_pv > 0 else None,
        "payback_month": pay.month,
        "payback_month_fractional": _optional(pay.fractional, 2),
        "discounted_payback_month": pay.discounted_month,
    }


def break_even_section(values: dict[str, float | None]) -> dict[str, float | None]:
    return {path: _optional(values[path], 4) for path in BREAK_EVEN_INPUTS}


def tornado_section(bars: list[TornadoBar]) -> list[dict[str, Any]]:
    return [
        {
            "input": bar.input,
            "low": bar.low,
            "high": bar.high,
            "savings_at_low": money(bar.savings_at_low),
            "savings_at_high": money(bar.savings_at_high),
            "swing": money(bar.swing),
        }
        for bar in bars
    ]


def _quantiles(values: tuple[float, float, float]) -> dict[str, float]:
    return dict(zip(("p10", "p50", "p90"), (money(v) for v in values), strict=True))


def simulation_section(stats: SimulationStats) -> dict[str, Any]:
    return {
        "trials": stats.trials,
        "seed": stats.seed,
        "savings": {
            "mean": money(stats.savings_mean),
            "se": money(stats.savings_se),
            **_quantiles(stats.savings_quantiles),
        },
        "break_fix_pv": _quantiles(stats.break_fix_quantiles),
        "managed_pv": _quantiles(stats.managed_quantiles),
        "probability_managed_cheaper": rate(stats.probability_managed_cheaper),
        "annual_p95": {
            "break_fix": money(stats.annual_p95_break_fix),
            "managed": money(stats.annual_p95_managed),
        },
    }
