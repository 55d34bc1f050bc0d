"""Server-side SVG charts of an analysis: pure functions from numbers to an SVG string.

Used inline by the results page and by the PDF (WeasyPrint), so they keep to what WeasyPrint's
SVG renderer draws: plain presentation attributes (fill, stroke, stroke-dasharray, opacity), no
CSS, no filters or gradients, no fonts to fetch, no external references of any kind. Every label
is XML-escaped here, so the string can be marked safe in a template. Each chart has a viewBox, a
fixed intrinsic size (scaled down by CSS on narrow screens), and an accessible <title>/<desc>.

The inputs are the stored engine output (`result`) and input (`inputs`) documents, or parts of
them; `analysis_charts` builds the four charts of the results page from those.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from . import presentation as fmt

FONT = "DejaVu Sans, sans-serif"
INK = "#1d2330"
MUTED = "#5d6677"
GRID = "#e3e7ee"
AXIS = "#9aa3b2"
BREAK_FIX = "#c2410c"  # burnt orange: the status quo
MANAGED = "#1f5fbf"  # the product's primary blue
GOOD = "#1b7f4a"
BAD = "#b3261e"
GOOD_LIGHT = "#8cc9a6"
BAD_LIGHT = "#eea79f"
LOW_END = "#94a3b8"
HIGH_END = "#334155"


# --- small helpers -------------------------------------------------------------------------


def _esc(text: object) -> str:
    return escape(str(text), {'"': "&quot;", "'": "&#x27;"})


def _n(x: float) -> str:
    """A coordinate with at most one decimal (keeps the SVG small and diff-stable)."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _uid(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"chart-{kind}-{digest}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 × a power of ten apart)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    ticks = []
    value = start
    while value <= stop + step / 2:
        ticks.append(round(value, 10) + 0.0)
        value += step
    return ticks


def _text(
    x: float,
    y: float,
    text: object,
    *,
    anchor: str = "start",
    size: float = 12,
    fill: str = INK,
    weight: str | None = None,
    cls: str | None = None,
) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    extra += f' class="{cls}"' if cls else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{extra}>{_esc(text)}</text>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, **kw: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        f'stroke-width="{width}"{extra}/>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, **kw: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(max(h, 0.0))}" '
        f'fill="{fill}"{extra}/>'
    )


def _svg(kind: str, width: int, height: int, title: str, desc: str, body: Iterable[str]) -> str:
    uid = _uid(kind, width, height, title, desc)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart chart-{kind}" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}" font-size="12">'
        f'<title id="{uid}-title">{_esc(title)}</title>'
        f'<desc id="{uid}-desc">{_esc(desc)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def _legend(x: float, y: float, items: Sequence[tuple[str, str, str]]) -> list[str]:
    """Legend entries (label, colour, 'line'|'box') laid out left to right."""
    out = []
    for label, colour, shape in items:
        if shape in ("line", "dash"):
            extra = {"stroke_dasharray": "5 3"} if shape == "dash" else {}
            out.append(
                _line(x, y - 4, x + 22, y - 4, colour, 3 if shape == "line" else 1.5, **extra)
            )
            x += 28
        else:
            out.append(_rect(x, y - 10, 12, 12, colour, rx="2"))
            x += 18
        out.append(_text(x, y, label, size=12, fill=INK))
        x += 8 + 7.2 * len(label)
    return out


class _Scale:
    """A linear map from data values to pixels."""

    def __init__(self, d0: float, d1: float, p0: float, p1: float) -> None:
        self.d0, self.d1, self.p0, self.p1 = d0, d1, p0, p1
        self.k = (p1 - p0) / (d1 - d0) if d1 != d0 else 0.0

    def __call__(self, value: float) -> float:
        return self.p0 + (value - self.d0) * self.k


# --- 1. cumulative cost with the payback point -----------------------------------------------


def cumulative_cost_chart(
    *,
    months: Sequence[int],
    break_fix: Sequence[float],
    managed: Sequence[float],
    payback_month: float | None,
    currency: str = "USD",
) -> str:
    """Cumulative cost of both scenarios by month, with the payback point marked.

    `managed[0]` holds the onboarding fee; `payback_month` is the engine's fractional payback
    month (None when Managed Services does not pay back within the horizon).
    """
    width, height = 720, 340
    left, right, top, bottom = 78, 64, 46, 46
    last = months[-1] if months else 12
    top_value = max([*break_fix, *managed, 1.0])
    ticks = nice_ticks(0.0, top_value, 5)
    x = _Scale(0, last, left, width - right)
    y = _Scale(0, ticks[-1], height - bottom, top)
    body: list[str] = []
    for tick in ticks:
        body.append(_line(left, y(tick), width - right, y(tick), GRID))
        body.append(
            _text(
                left - 8,
                y(tick) + 4,
                fmt.money_compact(tick, currency),
                anchor="end",
                size=11,
                fill=MUTED,
            )
        )
    for month in range(0, last + 1, 12 if last > 24 else 6):
        body.append(_line(x(month), height - bottom, x(month), height - bottom + 5, AXIS))
        body.append(
            _text(x(month), height - bottom + 18, month, anchor="middle", size=11, fill=MUTED)
        )
    body.append(
        _text(
            (left + width - right) / 2, height - 8, "Months", anchor="middle", size=11, fill=MUTED
        )
    )
    body.append(_line(left, height - bottom, width - right, height - bottom, AXIS))
    for values, colour in ((break_fix, BREAK_FIX), (managed, MANAGED)):
        points = " ".join(f"{_n(x(m))},{_n(y(v))}" for m, v in zip(months, values, strict=True))
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    if months:
        # The totals at the right end, nudged apart when the two curves end close together.
        ends = sorted(
            ((y(break_fix[-1]), break_fix[-1], BREAK_FIX), (y(managed[-1]), managed[-1], MANAGED))
        )
        upper, lower = ends[0][0], ends[1][0]
        if lower - upper < 14:
            middle = (upper + lower) / 2
            upper, lower = middle - 7, middle + 7
        for (_, value, colour), py in zip(ends, (upper, lower), strict=True):
            body.append(
                _text(
                    width - right + 6,
                    py + 4,
                    fmt.money_compact(value, currency),
                    size=11,
                    fill=colour,
                    weight="bold",
                )
            )
    body += _legend(
        left, 24, [("Break/Fix", BREAK_FIX, "line"), ("Managed Services", MANAGED, "line")]
    )

    if payback_month is not None and months:
        pm = min(max(float(payback_month), 0.0), float(last))
        cost = _interpolate(months, break_fix, pm)
        px, py = x(pm), y(cost)
        label = f"Payback: month {fmt.number(pm, 1)}"
        anchor = "start" if px < width - right - 150 else "end"
        dx = 8 if anchor == "start" else -8
        body.append(
            '<g class="payback" id="payback-marker">'
            + _line(px, height - bottom, px, py, INK, 1, stroke_dasharray="4 3")
            + f'<circle cx="{_n(px)}" cy="{_n(py)}" r="6" fill="#ffffff" stroke="{INK}" '
            + 'stroke-width="2"/>'
            + _text(px + dx, py - 12, label, anchor=anchor, size=12, weight="bold")
            + "</g>"
        )
        desc_payback = f"Managed Services pays back in month {fmt.number(pm, 1)}."
    else:
        body.append(
            _text(
                width - right,
                top - 4,
                f"No payback within {last} months",
                anchor="end",
                size=12,
                fill=BAD,
                weight="bold",
                cls="no-payback",
            )
        )
        desc_payback = f"Managed Services does not pay back within {last} months."
    end_bf = break_fix[-1] if break_fix else 0.0
    end_ms = managed[-1] if managed else 0.0
    desc = (
        f"Over {last} months Break/Fix costs {fmt.money(end_bf, currency)} and Managed Services "
        f"{fmt.money(end_ms, currency)} (undiscounted, onboarding included). {desc_payback}"
    )
    return _svg("cumulative", width, height, "Cumulative cost by month", desc, body)


def _interpolate(xs: Sequence[float], ys: Sequence[float], at: float) -> float:
    for i in range(1, len(xs)):
        if xs[i] >= at:
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            return y0 + (y1 - y0) * ((at - x0) / (x1 - x0) if x1 != x0 else 0.0)
    return ys[-1]


# --- 2. cost by layer ----------------------------------------------------------------------


def layer_chart(*, layers: Mapping[str, Mapping[str, float]], currency: str = "USD") -> str:
    """Present value of each layer (hard, soft, risk) on each side, with the difference.

    Principle 2 of TCO_MODEL.md: the layers are always shown apart, so a reader sees at once
    when Managed Services costs more in hard cash and wins on staff time and risk.
    """
    width, height = 720, 330
    left, right, top, bottom = 78, 24, 46, 64
    names = [n for n in ("hard", "soft", "risk") if n in layers]
    values = [float(layers[n][side]) for n in names for side in ("break_fix", "managed")]
    ticks = nice_ticks(min(0.0, *values) if values else 0.0, max([1.0, *values]), 5)
    y = _Scale(ticks[0], ticks[-1], height - bottom, top)
    body: list[str] = []
    for tick in ticks:
        body.append(_line(left, y(tick), width - right, y(tick), GRID))
        body.append(
            _text(
                left - 8,
                y(tick) + 4,
                fmt.money_compact(tick, currency),
                anchor="end",
                size=11,
                fill=MUTED,
            )
        )
    body.append(_line(left, y(0), width - right, y(0), AXIS))
    group_w = (width - left - right) / max(1, len(names))
    bar_w = min(70.0, group_w / 3.2)
    parts = []
    for i, name in enumerate(names):
        cx = left + group_w * (i + 0.5)
        for j, (side, colour) in enumerate((("break_fix", BREAK_FIX), ("managed", MANAGED))):
            value = float(layers[name][side])
            bx = cx - bar_w - 3 if j == 0 else cx + 3
            y0, y1 = y(0), y(value)
            body.append(_rect(bx, min(y0, y1), bar_w, abs(y1 - y0), colour, rx="2"))
            body.append(
                _text(
                    bx + bar_w / 2,
                    min(y0, y1) - 6,
                    fmt.money_compact(value, currency),
                    anchor="middle",
                    size=11,
                )
            )
        body.append(
            _text(
                cx,
                height - bottom + 18,
                fmt.LAYER_LABELS.get(name, name),
                anchor="middle",
                size=12,
                weight="bold",
            )
        )
        diff = float(
            layers[name].get("savings", layers[name]["break_fix"] - layers[name]["managed"])
        )
        if diff >= 0:
            note, colour = f"Managed saves {fmt.money_compact(diff, currency)}", GOOD
        else:
            note, colour = f"Managed costs {fmt.money_compact(-diff, currency)} more", BAD
        body.append(_text(cx, height - bottom + 36, note, anchor="middle", size=11, fill=colour))
        parts.append(
            f"{fmt.LAYER_LABELS.get(name, name)}: Break/Fix "
            f"{fmt.money(layers[name]['break_fix'], currency)}, "
            f"Managed Services {fmt.money(layers[name]['managed'], currency)}"
        )
    body += _legend(
        left, 24, [("Break/Fix", BREAK_FIX, "box"), ("Managed Services", MANAGED, "box")]
    )
    desc = "Present value by layer. " + "; ".join(parts) + "."
    return _svg("layers", width, height, "Cost by layer (present value)", desc, body)


# --- 3. tornado ----------------------------------------------------------------------------


def tornado_chart(
    *,
    bars: Sequence[Mapping[str, Any]],
    base_savings: float,
    currency: str = "USD",
    labels: Mapping[str, str] | None = None,
    limit: int = 10,
) -> str:
    """Savings at each end of each input's range, the widest swing on top.

    The vertical line is the base case; the dashed one is zero savings (break-even), drawn when
    some range crosses it.
    """
    rows = list(bars)[:limit]
    width = 720
    left, right, top, row_h = 300, 60, 50, 28
    height = top + row_h * max(1, len(rows)) + 44
    ends = [float(base_savings), 0.0]
    for bar in rows:
        ends += [float(bar["savings_at_low"]), float(bar["savings_at_high"])]
    ticks = nice_ticks(min(ends), max(ends), 5)
    x = _Scale(ticks[0], ticks[-1], left, width - right)
    body: list[str] = []
    axis_y = top + row_h * max(1, len(rows)) + 4
    for tick in ticks:
        body.append(_line(x(tick), top - 6, x(tick), axis_y, GRID))
        body.append(
            _text(
                x(tick),
                axis_y + 16,
                fmt.money_compact(tick, currency),
                anchor="middle",
                size=11,
                fill=MUTED,
            )
        )
    body.append(
        _text(
            (left + width - right) / 2,
            height - 6,
            "Present-value savings of Managed Services",
            anchor="middle",
            size=11,
            fill=MUTED,
        )
    )
    parts = []
    for i, bar in enumerate(rows):
        cy = top + row_h * i + row_h / 2
        path = str(bar["input"])
        label = fmt.input_label(path, labels)
        body.append(_text(left - 10, cy + 4, _truncate(label, 44), anchor="end", size=12))
        for end, colour in (("low", LOW_END), ("high", HIGH_END)):
            value = float(bar[f"savings_at_{end}"])
            x0, x1 = sorted((x(base_savings), x(value)))
            body.append(_rect(x0, cy - 9, max(x1 - x0, 1.0), 18, colour))
            text = fmt.format_input(path, bar[end], currency)
            if value >= base_savings:
                body.append(_text(x1 + 4, cy + 4, text, size=10, fill=MUTED))
            else:
                body.append(_text(x0 - 4, cy + 4, text, anchor="end", size=10, fill=MUTED))
        parts.append(
            f"{label} from {fmt.format_input(path, bar['low'], currency)} to "
            f"{fmt.format_input(path, bar['high'], currency)}: savings "
            f"{fmt.money(bar['savings_at_low'], currency)} to "
            f"{fmt.money(bar['savings_at_high'], currency)}"
        )
    body.append(_line(x(base_savings), top - 10, x(base_savings), axis_y, INK, 1.5))
    body.append(
        _text(
            x(base_savings),
            top - 14,
            f"Base {fmt.money_compact(base_savings, currency)}",
            anchor="middle",
            size=11,
            weight="bold",
        )
    )
    legend = [("Low end of the range", LOW_END, "box"), ("High end", HIGH_END, "box")]
    if ticks[0] < 0 < ticks[-1] and abs(x(0) - x(base_savings)) > 2:
        body.append(_line(x(0), top - 6, x(0), axis_y, BAD, 1.2, stroke_dasharray="5 3"))
        legend.append(("Break-even (no savings)", BAD, "dash"))
    body += _legend(8, 20, legend)
    desc = "Sensitivity of the savings. " + "; ".join(parts) + "."
    return _svg("tornado", width, height, "What moves the result (tornado)", desc, body)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- 4. distribution of simulated savings ----------------------------------------------------


def savings_histogram_chart(
    *,
    histogram: Mapping[str, Any],
    p10: float,
    p50: float,
    p90: float,
    probability_managed_cheaper: float | None = None,
    currency: str = "USD",
) -> str:
    """Histogram of the simulated present-value savings with P10, P50 and P90 marked.

    `histogram` is {"edges": [n + 1 values], "counts": [n], "below": k, "above": k}: trials
    outside the edges (the long tail of rare, large losses) are counted, not drawn.
    """
    width, height = 720, 320
    left, right, top, bottom = 56, 24, 58, 52
    edges = [float(e) for e in histogram.get("edges") or [0.0, 1.0]]
    counts = [int(c) for c in histogram.get("counts") or [0]]
    total = sum(counts) + int(histogram.get("below") or 0) + int(histogram.get("above") or 0)
    total = max(total, 1)
    shares = [c / total for c in counts]
    y_ticks = nice_ticks(0.0, max([*shares, 0.01]), 4)
    x = _Scale(edges[0], edges[-1], left, width - right)
    y = _Scale(0.0, y_ticks[-1], height - bottom, top)
    body: list[str] = []
    for tick in y_ticks:
        body.append(_line(left, y(tick), width - right, y(tick), GRID))
        body.append(
            _text(left - 6, y(tick) + 4, fmt.percent(tick), anchor="end", size=11, fill=MUTED)
        )
    for tick in nice_ticks(edges[0], edges[-1], 6):
        if edges[0] <= tick <= edges[-1]:
            body.append(_line(x(tick), height - bottom, x(tick), height - bottom + 5, AXIS))
            body.append(
                _text(
                    x(tick),
                    height - bottom + 18,
                    fmt.money_compact(tick, currency),
                    anchor="middle",
                    size=11,
                    fill=MUTED,
                )
            )
    body.append(
        _text(
            left,
            height - 10,
            "Simulated present-value savings of Managed Services",
            size=11,
            fill=MUTED,
        )
    )
    for i, share in enumerate(shares):
        lo, hi = edges[i], edges[i + 1]
        colour = GOOD_LIGHT if (lo + hi) / 2 >= 0 else BAD_LIGHT
        body.append(_rect(x(lo) + 0.5, y(share), x(hi) - x(lo) - 1, y(0) - y(share), colour))
    body.append(_line(left, height - bottom, width - right, height - bottom, AXIS))
    legend = [("Managed cheaper", GOOD_LIGHT, "box"), ("Break/Fix cheaper", BAD_LIGHT, "box")]
    if edges[0] < 0 < edges[-1]:
        body.append(_line(x(0), top - 6, x(0), height - bottom, BAD, 1.5))
        legend.append(("Break-even", BAD, "line"))
    marks = (("P10", p10), ("P50", p50), ("P90", p90))
    for i, (name, value) in enumerate(marks):
        if not edges[0] <= value <= edges[-1]:
            continue
        body.append(
            f'<g class="quantile quantile-{name.lower()}">'
            + _line(x(value), top - 2, x(value), height - bottom, INK, 1.2, stroke_dasharray="4 3")
            + _text(
                x(value),
                top - 8 - 12 * (i % 2),
                f"{name} {fmt.money_compact(value, currency)}",
                anchor="middle",
                size=11,
                weight="bold",
            )
            + "</g>"
        )
    notes = []
    if histogram.get("below"):
        notes.append(f"{histogram['below']:,} trials below {fmt.money_compact(edges[0], currency)}")
    if histogram.get("above"):
        notes.append(
            f"{histogram['above']:,} trials above {fmt.money_compact(edges[-1], currency)}"
        )
    if notes:
        body.append(
            _text(
                width - right,
                height - 10,
                "; ".join(notes) + " (not drawn)",
                anchor="end",
                size=10,
                fill=MUTED,
            )
        )
    body += _legend(left, 16, legend)
    chance = (
        f" Managed Services is cheaper in {fmt.percent(probability_managed_cheaper)} of trials."
        if probability_managed_cheaper is not None
        else ""
    )
    desc = (
        f"Distribution of simulated savings over {total:,} trials: P10 "
        f"{fmt.money(p10, currency)}, median {fmt.money(p50, currency)}, P90 "
        f"{fmt.money(p90, currency)}.{chance}"
    )
    return _svg("histogram", width, height, "Spread of the savings (simulation)", desc, body)


# --- all four, from the stored documents -------------------------------------------------------


def analysis_charts(
    inputs: Mapping[str, Any],
    result: Mapping[str, Any],
    *,
    currency: str = "USD",
    labels: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The results page's charts from an analysis' stored input and output documents.

    Keys: cumulative, layers, tornado, histogram (the last only when the result carries a
    simulated savings histogram).
    """
    from . import engine  # the pure engine; deferred so importing charts stays cheap

    series = engine.monthly_cumulative(inputs)
    charts = {
        "cumulative": cumulative_cost_chart(
            months=series["months"],
            break_fix=series["break_fix"],
            managed=series["managed"],
            payback_month=result.get("payback_month_fractional"),
            currency=currency,
        ),
        "layers": layer_chart(layers=result["layers"], currency=currency),
        "tornado": tornado_chart(
            bars=result.get("tornado") or [],
            base_savings=float(result["present_value"]["savings"]),
            currency=currency,
            labels=labels,
        ),
    }
    simulation = result.get("simulation") or {}
    if simulation.get("histogram"):
        savings = simulation["savings"]
        charts["histogram"] = savings_histogram_chart(
            histogram=simulation["histogram"],
            p10=savings["p10"],
            p50=savings["p50"],
            p90=savings["p90"],
            probability_managed_cheaper=simulation.get("probability_managed_cheaper"),
            currency=currency,
        )
    return charts


# --- 5. tiers side by side -------------------------------------------------------------------


def tier_comparison_chart(*, tiers: Sequence[Mapping[str, Any]], currency: str = "USD") -> str:
    """Savings and hard-cash difference of each tier (present value), side by side.

    `tiers`: [{"name", "savings", "hard_savings"}]. Bars right of zero favour Managed Services.
    """
    width = 720
    left, right, top, row_h = 150, 80, 46, 54
    height = top + row_h * max(1, len(tiers)) + 40
    values = [0.0]
    for tier in tiers:
        values += [float(tier.get("savings") or 0.0), float(tier.get("hard_savings") or 0.0)]
    ticks = nice_ticks(min(values), max(values), 5)
    x = _Scale(ticks[0], ticks[-1], left, width - right)
    axis_y = top + row_h * max(1, len(tiers))
    body: list[str] = []
    for tick in ticks:
        body.append(_line(x(tick), top - 6, x(tick), axis_y, GRID))
        body.append(
            _text(
                x(tick),
                axis_y + 16,
                fmt.money_compact(tick, currency),
                anchor="middle",
                size=11,
                fill=MUTED,
            )
        )
    parts = []
    for i, tier in enumerate(tiers):
        y0 = top + row_h * i + 6
        body.append(
            _text(
                left - 10,
                y0 + 22,
                _truncate(str(tier["name"]), 20),
                anchor="end",
                size=13,
                weight="bold",
            )
        )
        for j, (key, label) in enumerate((("savings", "Total"), ("hard_savings", "Hard cash"))):
            value = float(tier.get(key) or 0.0)
            colour = (
                (GOOD if value >= 0 else BAD)
                if j == 0
                else (GOOD_LIGHT if value >= 0 else BAD_LIGHT)
            )
            y = y0 + j * 20
            x0, x1 = sorted((x(0), x(value)))
            body.append(_rect(x0, y, max(x1 - x0, 1.0), 16, colour))
            text = f"{label} {fmt.money_compact(value, currency)}"
            if value >= 0:
                body.append(_text(x1 + 4, y + 12, text, size=10, fill=INK))
            else:
                body.append(_text(x0 - 4, y + 12, text, anchor="end", size=10, fill=INK))
        parts.append(
            f"{tier['name']}: savings {fmt.money(tier.get('savings'), currency)}, hard cash "
            f"{fmt.money(tier.get('hard_savings'), currency)}"
        )
    body.append(_line(x(0), top - 10, x(0), axis_y, INK, 1.2))
    body += _legend(
        8,
        20,
        [
            ("Total savings (present value)", GOOD, "box"),
            ("Hard-cash difference", GOOD_LIGHT, "box"),
        ],
    )
    desc = "Savings of Managed Services by tier. " + "; ".join(parts) + "."
    return _svg("tiers", width, height, "Tiers side by side", desc, body)
