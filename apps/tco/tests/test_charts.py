"""SVG charts: valid XML, accessible, self-contained, escaped, and drawn by WeasyPrint."""

from __future__ import annotations

import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from apps.tco import charts, engine
from apps.tco.histogram import histogram_of, savings_histogram

GOLDEN = Path(__file__).resolve().parents[1] / "engine" / "tests" / "golden"
SVG = "{http://www.w3.org/2000/svg}"


@cache
def case(name: str = "golden_01_standard_25_users") -> tuple[dict, dict]:
    doc = json.loads((GOLDEN / f"{name}.json").read_text())["inputs"]
    result = engine.compute(doc, trials=2_000)
    sim = result["simulation"]
    sim["histogram"] = savings_histogram(doc, trials=sim["trials"], seed=sim["seed"])
    return doc, result


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
    assert root.tag == f"{SVG}svg"
    return root


def assert_self_contained(svg: str) -> None:
    root = parse(svg)
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    labelled = root.get("aria-labelledby", "").split()
    assert title.get("id") in labelled
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        assert tag not in {"image", "script", "style", "foreignObject", "use", "a"}, tag
        for name, value in element.attrib.items():
            assert "href" not in name, (tag, name)
            assert "url(" not in value, (tag, name, value)
            assert "://" not in value or name == "xmlns", (tag, name, value)
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_every_chart_of_an_analysis_is_valid_self_contained_svg():
    doc, result = case()
    built = charts.analysis_charts(doc, result)
    assert set(built) == {"cumulative", "layers", "tornado", "histogram"}
    for svg in built.values():
        assert_self_contained(svg)


def test_cumulative_chart_marks_the_payback_month():
    doc, result = case()
    svg = charts.analysis_charts(doc, result)["cumulative"]
    root = parse(svg)
    marker = root.find(f".//{SVG}g[@class='payback']")
    assert marker is not None
    assert marker.find(f"{SVG}circle") is not None
    assert result["payback_month_fractional"] == 14.72
    assert "".join(marker.itertext()) == "Payback: month 14.7"


def test_cumulative_chart_without_payback_says_so():
    svg = charts.cumulative_cost_chart(
        months=[0, 1, 2], break_fix=[0, 10, 20], managed=[5, 20, 35], payback_month=None
    )
    root = parse(svg)
    assert root.find(f".//{SVG}g[@class='payback']") is None
    note = root.find(f".//{SVG}text[@class='no-payback']")
    assert note is not None and "No payback" in note.text


def test_cumulative_chart_lines_follow_the_series():
    svg = charts.cumulative_cost_chart(
        months=list(range(13)),
        break_fix=[i * 100.0 for i in range(13)],
        managed=[300 + i * 70.0 for i in range(13)],
        payback_month=10.0,
    )
    lines = parse(svg).findall(f".//{SVG}polyline")
    assert len(lines) == 2
    assert all(len(line.get("points").split()) == 13 for line in lines)


def test_layer_chart_shows_each_layer_and_who_wins_it():
    _, result = case()
    svg = charts.layer_chart(layers=result["layers"])
    text = " ".join(parse(svg).itertext())
    assert "Hard cash" in text and "Staff time" in text and "Risk" in text
    assert "Managed costs $44k more" in text  # hard layer of golden case 1: −43,938.66


def test_tornado_lists_the_widest_swing_first_with_plain_labels():
    _, result = case()
    svg = charts.tornado_chart(
        bars=result["tornado"], base_savings=result["present_value"]["savings"]
    )
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    first_label = next(t for t in texts if t and t.startswith("Paid support tickets"))
    assert texts.index(first_label) < texts.index("Price per user a month")


def test_histogram_marks_p10_p50_p90():
    _, result = case()
    savings = result["simulation"]["savings"]
    svg = charts.savings_histogram_chart(
        histogram=result["simulation"]["histogram"],
        p10=savings["p10"],
        p50=savings["p50"],
        p90=savings["p90"],
    )
    root = parse(svg)
    for name in ("p10", "p50", "p90"):
        assert root.find(f".//{SVG}g[@class='quantile quantile-{name}']") is not None


def test_histogram_counts_every_trial():
    import numpy as np

    values = np.concatenate([np.linspace(-1000, 1000, 997), [1e7] * 3])
    hist = histogram_of(values, bins=20)
    assert sum(hist["counts"]) + hist["below"] + hist["above"] == 1000
    assert hist["above"] >= 3  # the far tail is counted, not drawn
    assert hist["edges"][-1] < 1001
    assert len(hist["edges"]) == 21


def test_the_histogram_reproduces_the_engine_simulation():
    _, result = case()
    hist = result["simulation"]["histogram"]
    assert sum(hist["counts"]) + hist["below"] + hist["above"] == result["simulation"]["trials"]
    # The same draws as the engine's summary: the share of trials below zero matches
    # 1 − P(managed cheaper) up to the width of the bin that holds zero.
    edges, counts = hist["edges"], hist["counts"]
    below_zero = hist["below"] + sum(c for c, hi in zip(counts, edges[1:], strict=True) if hi <= 0)
    zero_bin = next(c for c, lo, hi in zip(counts, edges, edges[1:], strict=False) if lo < 0 <= hi)
    share = below_zero / result["simulation"]["trials"]
    expected = 1 - result["simulation"]["probability_managed_cheaper"]
    assert share <= expected + 1e-9 <= share + zero_bin / result["simulation"]["trials"] + 1e-9


def test_labels_are_escaped():
    svg = charts.tier_comparison_chart(
        tiers=[{"name": "<script>&'\"", "savings": 10, "hard_savings": -5}]
    )
    assert "<script>" not in svg
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "<script>&'\"" in texts
    assert_self_contained(svg)


def test_nice_ticks_cover_the_range_with_round_steps():
    ticks = charts.nice_ticks(-29_359.84, 70_976.1, 5)
    assert ticks[0] <= -29_359.84 and ticks[-1] >= 70_976.1
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert steps == {25_000.0}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_weasyprint_draws_the_charts_into_a_pdf():
    from pypdf import PdfReader
    from weasyprint import HTML

    doc, result = case()
    built = charts.analysis_charts(doc, result)
    html = (
        "<html><body>" + "".join(f"<div>{svg}</div>" for svg in built.values()) + "</body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Payback: month 14.7" in text
    assert "Hard cash" in text
    assert "P50" in text
