"""Everything the results page (and the proposal PDF) shows of one analysis, from its documents.

Pure: `analysis_report(inputs=..., input_sources=..., result=..., currency=...)` turns the stored
engine input and output documents into formatted figures, sentences, tables and SVG charts, so
the web page and the PDF say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import presentation as fmt
from .charts import analysis_charts
from .inputs_builder import input_paths

SECTION_TITLES = {
    "": "Horizon and discounting",
    "environment": "The business",
    "labour": "Staff time",
    "break_fix": "Break/fix support",
    "managed": "Managed Services price",
    "tickets": "Support tickets",
    "outages": "Outages",
    "hardware": "Hardware failures",
    "data_loss": "Data loss",
    "minor_security": "Minor security incidents",
    "major_security": "Major security incidents",
    "informal_support": "Staff fixing IT themselves",
    "simulation": "Simulation",
}
SOURCE_LABELS = {
    "assessment": "Assessment",
    "tier": "Pricing tier",
    "assumption": "Assumption",
    "override": "Override",
    "derived": "Calibrated",
}
SOURCE_BADGES = {
    "assessment": "badge-ok",
    "tier": "",
    "assumption": "",
    "override": "badge-warn",
    "derived": "badge-ok",
}


@dataclass
class Kpi:
    label: str
    value: str
    note: str = ""
    tone: str = ""  # "good" | "bad" | ""


@dataclass
class InputRow:
    path: str
    label: str
    value: str
    source: str
    source_label: str
    badge: str
    detail: str
    grade: str = ""
    range: str = ""


@dataclass
class InputSection:
    title: str
    rows: list[InputRow] = field(default_factory=list)


def _tone(value: float | None) -> str:
    if value is None:
        return ""
    return "good" if value > 0 else "bad" if value < 0 else ""


def kpis(result: Mapping[str, Any], currency: str) -> list[Kpi]:
    """The headline: savings, hard-cash difference (as prominent), payback, probability."""
    pv = result.get("present_value") or {}
    layers = result.get("layers") or {}
    simulation = result.get("simulation") or {}
    savings = pv.get("savings")
    hard = (layers.get("hard") or {}).get("savings")
    years = len(result.get("years") or [])
    if hard is None:
        hard_note = ""
    elif hard < 0:
        hard_note = "Managed Services costs more in cash"
    else:
        hard_note = "Managed Services also saves cash"
    payback = result.get("payback_month")
    probability = simulation.get("probability_managed_cheaper")
    return [
        Kpi(
            "Savings with Managed Services (present value)",
            fmt.money(savings, currency),
            f"over {years} years, discounted" if years else "",
            _tone(savings),
        ),
        Kpi(
            "Hard-cash difference (present value)",
            fmt.money(hard, currency),
            hard_note,
            _tone(hard),
        ),
        Kpi(
            "Payback",
            f"Month {payback}" if payback is not None else "None",
            (
                f"discounted: month {result.get('discounted_payback_month')}"
                if result.get("discounted_payback_month") is not None
                else ("within the horizon" if payback is not None else "not within the horizon")
            ),
            "" if payback is not None else "bad",
        ),
        Kpi(
            "Chance Managed Services is cheaper",
            fmt.percent(probability) if probability is not None else "—",
            f"of {simulation.get('trials', 0):,} simulated futures" if simulation else "",
            "good" if (probability or 0) >= 0.5 else "bad" if probability is not None else "",
        ),
    ]


def years_table(result: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """Rows: each side's layers and total, the managed fee, and the savings; by year."""
    years = result.get("years") or []
    pv = result.get("present_value") or {}
    undiscounted = result.get("undiscounted") or {}
    header = [f"Year {y['year']}" for y in years] + ["Total", "Present value"]
    layers = result.get("layers") or {}

    def row(label: str, values: list[float | None], total: Any, present: Any, cls: str = ""):
        cells = [fmt.money(v, currency) for v in values]
        return {
            "label": label,
            "cells": [*cells, fmt.money(total, currency), fmt.money(present, currency)],
            "cls": cls,
        }

    def side(name: str, key: str) -> list[dict[str, Any]]:
        out = []
        for layer in ("hard", "soft", "risk"):
            values = [y[key][layer] for y in years]
            out.append(
                row(
                    f"  {fmt.LAYER_LABELS[layer]}",
                    values,
                    sum(values),
                    (layers.get(layer) or {}).get(key),
                    "sub",
                )
            )
        totals = [y[key]["total"] for y in years]
        return [
            row(name, totals, undiscounted.get(key), pv.get(key), "total"),
            *out,
        ]

    rows = side("Break/Fix", "break_fix")
    fees = [y["managed"].get("fee") for y in years]
    rows += side("Managed Services", "managed")
    rows.insert(
        len(rows) - 3,
        row("  of which the fee", fees, sum(f or 0 for f in fees), None, "sub"),
    )
    savings = [y["savings"] for y in years]
    rows.append(
        row(
            "Savings",
            savings,
            undiscounted.get("savings"),
            pv.get("savings"),
            "savings",
        )
    )
    onboarding = (result.get("derived") or {}).get("onboarding_fee")
    return {"header": header, "rows": rows, "onboarding": fmt.money(onboarding, currency)}


def lines_table(result: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """Cost of each class of event per side, summed over the horizon (undiscounted)."""
    years = result.get("years") or []
    rows = []
    for name, label in fmt.CLASS_LABELS.items():
        bf = sum(y["break_fix"]["lines"].get(name, 0.0) for y in years)
        ms = sum(y["managed"]["lines"].get(name, 0.0) for y in years)
        rows.append(
            {
                "label": label,
                "break_fix": fmt.money(bf, currency),
                "managed": fmt.money(ms, currency),
                "difference": fmt.money(bf - ms, currency),
            }
        )
    return {"rows": rows}


def input_sections(
    inputs: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]], currency: str
) -> list[InputSection]:
    """Every input with its value and where it came from, grouped like the engine's document."""
    sections: dict[str, InputSection] = {}
    for path, source in sources.items():
        section, _, _name = path.partition(".")
        key = section if _name else ""
        target = sections.setdefault(key, InputSection(SECTION_TITLES.get(key, key)))
        kind = str(source.get("source") or "")
        low, high = source.get("low"), source.get("high")
        detail = str(source.get("detail") or "")
        if kind == "override" and source.get("was") is not None:
            detail = f"{detail} (was {fmt.format_input(path, source['was'], currency)})"
        target.rows.append(
            InputRow(
                path=path,
                label=fmt.input_label(
                    path, {path: str(source["label"])} if source.get("label") else None
                ),
                value=fmt.format_input(path, source.get("value"), currency),
                source=kind,
                source_label=SOURCE_LABELS.get(kind, kind.title()),
                badge=SOURCE_BADGES.get(kind, ""),
                detail=detail,
                grade=str(source.get("grade") or ""),
                range=(
                    f"{fmt.format_input(path, low, currency)} – "
                    f"{fmt.format_input(path, high, currency)}"
                    if low is not None and high is not None
                    else ""
                ),
            )
        )
    # jsonb re-orders keys: put the rows back in the engine's order of inputs.
    positions = {path: i for i, path in enumerate(input_paths())}
    for entry in sections.values():
        entry.rows.sort(key=lambda row: positions.get(row.path, len(positions)))
    order = list(SECTION_TITLES)
    return [
        sections[k] for k in sorted(sections, key=lambda k: order.index(k) if k in order else 99)
    ]


def simulation_summary(result: Mapping[str, Any], currency: str) -> dict[str, Any] | None:
    simulation = result.get("simulation")
    if not simulation:
        return None
    savings = simulation.get("savings") or {}
    return {
        "trials": f"{simulation.get('trials', 0):,}",
        "seed": simulation.get("seed"),
        "mean": fmt.money(savings.get("mean"), currency),
        "se": fmt.money(savings.get("se"), currency),
        "p10": fmt.money(savings.get("p10"), currency),
        "p50": fmt.money(savings.get("p50"), currency),
        "p90": fmt.money(savings.get("p90"), currency),
        "probability": fmt.percent(simulation.get("probability_managed_cheaper")),
        "annual_p95_break_fix": fmt.money(
            (simulation.get("annual_p95") or {}).get("break_fix"), currency
        ),
        "annual_p95_managed": fmt.money(
            (simulation.get("annual_p95") or {}).get("managed"), currency
        ),
    }


def analysis_report(
    *,
    inputs: Mapping[str, Any],
    input_sources: Mapping[str, Mapping[str, Any]] | None,
    result: Mapping[str, Any],
    currency: str = "USD",
) -> dict[str, Any]:
    """The whole results page's content (see the module docstring)."""
    sources = input_sources or {}
    labels = {p: s["label"] for p, s in sources.items() if s.get("label")}
    verdict = fmt.verdict(result, currency)
    derived = result.get("derived") or {}
    return {
        "verdict": verdict,
        "kpis": kpis(result, currency),
        "fees": {
            "monthly": fmt.money(derived.get("monthly_recurring_fee"), currency),
            "onboarding": fmt.money(derived.get("onboarding_fee"), currency),
            "roi": fmt.percent(result.get("roi")) if result.get("roi") is not None else "—",
        },
        "charts": analysis_charts(inputs, result, currency=currency, labels=labels),
        "years": years_table(result, currency),
        "lines": lines_table(result, currency),
        "break_even": fmt.break_even_sentences(inputs, result, currency),
        "simulation": simulation_summary(result, currency),
        "inputs": input_sections(inputs, sources, currency),
        "engine_version": result.get("engine_version", ""),
    }


def tier_comparison(entries: list[dict[str, Any]], currency: str = "USD") -> dict[str, Any]:
    """Tiers side by side from each analysis' headline (`presentation.headline`).

    `entries`: [{"name", "summary", "analysis_id"}]. The recommended tier is the one with the
    highest present-value savings; when no tier saves anything, the recommendation is to stay
    with Break/Fix, and the page says so.
    """
    done = [e for e in entries if e.get("summary") and e["summary"].get("savings") is not None]
    best = max(done, key=lambda e: e["summary"]["savings"], default=None)
    if best is None:
        recommendation = None
        sentence = ""
    elif best["summary"]["savings"] <= 0:
        recommendation = "break_fix"
        sentence = (
            "No tier saves money on these numbers: staying with Break/Fix is the cheaper "
            f"choice. The closest is {best['name']}, "
            f"{fmt.money(-best['summary']['savings'], currency)} dearer over the horizon."
        )
    else:
        recommendation = best["analysis_id"]
        summary = best["summary"]
        sentence = (
            f"{best['name']} saves the most: {fmt.money(summary['savings'], currency)} "
            "(present value)."
        )
        hard_soft = (summary.get("hard_savings") or 0) + (summary.get("soft_savings") or 0)
        if hard_soft < 0:
            sentence += (
                " Its savings come only from the risk layer (rare losses avoided); in cash and "
                f"staff time it costs {fmt.money(-hard_soft, currency)} more."
            )
        elif (summary.get("hard_savings") or 0) < 0:
            sentence += (
                f" It costs {fmt.money(-summary['hard_savings'], currency)} more in hard cash "
                "and wins on staff time and risk."
            )
    metrics = [
        ("Monthly fee", "monthly_fee", "money"),
        ("Onboarding fee", "onboarding_fee", "money"),
        ("Savings (present value)", "savings", "money"),
        ("Hard-cash difference", "hard_savings", "money"),
        ("Staff time & revenue", "soft_savings", "money"),
        ("Risk of rare losses", "risk_savings", "money"),
        ("Payback month", "payback_month", "month"),
        ("Chance Managed Services is cheaper", "probability_managed_cheaper", "percent"),
        ("Return on the fees", "roi", "percent"),
    ]
    rows = []
    for label, key, kind in metrics:
        cells = []
        for entry in entries:
            value = (entry.get("summary") or {}).get(key)
            if kind == "money":
                text = fmt.money(value, currency)
            elif kind == "percent":
                text = fmt.percent(value) if value is not None else "—"
            else:
                text = str(value) if value is not None else "none"
            cells.append(
                {
                    "text": text,
                    "tone": _tone(value)
                    if kind == "money" and key != "monthly_fee" and key != "onboarding_fee"
                    else "",
                }
            )
        rows.append({"label": label, "cells": cells})
    return {"rows": rows, "recommendation": recommendation, "sentence": sentence}
