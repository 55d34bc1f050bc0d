"""Plain words from the numbers: break-even sentences, the verdict, money formats."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from apps.tco import presentation as fmt

GOLDEN = Path(__file__).resolve().parents[1] / "engine" / "tests" / "golden"


def golden(name: str = "golden_01_standard_25_users") -> tuple[dict, dict]:
    case = json.loads((GOLDEN / f"{name}.json").read_text())
    return case["inputs"], case["expected"]


def test_money_formats():
    assert fmt.money(4085.47) == "$4,085"
    assert fmt.money(-43938.66) == "−$43,939"
    assert fmt.money(130.157, cents=True) == "$130.16"
    assert fmt.money(None) == "—"
    assert fmt.money(1000, "EUR") == "€1,000"
    assert fmt.money_compact(-29359.84) == "−$29k"
    assert fmt.money_compact(1_500_000) == "$1.5M"
    assert fmt.money_compact(4085) == "$4.1k"
    assert fmt.percent(-0.2144) == "−21%"
    assert fmt.percent(0.0038) == "0%"


def test_break_even_sentences_say_which_side_pays_off():
    inputs, expected = golden()
    sentences = {s.path: s.sentence for s in fmt.break_even_sentences(inputs, expected)}
    assert sentences["outages.reduction"] == (
        "Managed Services pays off if it prevents at least 26% of outages (now 50%)."
    )
    assert sentences["managed.price_per_user"] == (
        "Managed Services pays off if the price is at most $130.16 per user a month (now $125)."
    )
    assert sentences["outages_per_year"].startswith(
        "Managed Services pays off if the business has at least 2.65 outages a year"
    )


def test_break_even_sentences_when_break_fix_is_cheaper_point_the_other_way():
    inputs, expected = golden()
    result = copy.deepcopy(expected)
    result["present_value"]["savings"] = -1000.0
    result["break_even"]["outages.reduction"] = 0.6
    sentence = next(
        s.sentence
        for s in fmt.break_even_sentences(inputs, result)
        if s.path == "outages.reduction"
    )
    assert "at least 60% of outages (now 50%)" in sentence


def test_break_even_without_a_value_says_so():
    inputs, expected = golden()
    result = copy.deepcopy(expected)
    result["break_even"]["major_security.reduction"] = None
    sentence = next(
        s.sentence
        for s in fmt.break_even_sentences(inputs, result)
        if s.path == "major_security.reduction"
    )
    assert "no break-even value in the valid range" in sentence


def test_verdict_when_break_fix_is_cheaper_says_so_plainly():
    _, expected = golden("golden_02_small_office_essentials")
    assert expected["present_value"]["savings"] < 0
    verdict = fmt.verdict(expected)
    assert verdict.favours == "break_fix"
    assert verdict.headline.startswith("On these numbers Break/Fix is cheaper by $3,474")
    assert "does not pay for itself" in verdict.headline


def test_verdict_when_savings_come_only_from_the_risk_layer():
    result = {
        "present_value": {"savings": 2000.0},
        "layers": {
            "hard": {"savings": -9000.0},
            "soft": {"savings": 3000.0},
            "risk": {"savings": 8000.0},
        },
        "years": [{}, {}, {}],
    }
    verdict = fmt.verdict(result)
    assert verdict.favours == "managed"
    assert verdict.tone == "warn"
    assert "only through the risk layer" in verdict.headline
    assert any("costs $9,000 more" in note for note in verdict.notes)


def test_golden_case_1_wins_only_through_the_risk_layer_and_the_verdict_says_so():
    # Hard −43,938.66 and soft +42,615.23: without the risk layer (+5,408.90) Managed Services
    # would cost more.
    _, expected = golden()
    verdict = fmt.verdict(expected)
    assert verdict.favours == "managed"
    assert verdict.tone == "warn"
    assert verdict.headline == (
        "Managed Services comes out $4,085 ahead over 3 years, but only through the risk "
        "layer: it lowers the expected cost of rare losses ($5,409), while it costs $1,323 "
        "more in cash and staff time."
    )
    assert verdict.notes[0].startswith("In hard cash Managed Services costs $43,939 more")


def test_verdict_shows_the_hard_cash_cost_even_when_managed_wins_outright():
    result = {
        "present_value": {"savings": 20_000.0},
        "layers": {
            "hard": {"savings": -5_000.0},
            "soft": {"savings": 22_000.0},
            "risk": {"savings": 3_000.0},
        },
        "years": [{}, {}, {}],
    }
    verdict = fmt.verdict(result)
    assert verdict.tone == "ok"
    assert verdict.headline == "Managed Services saves $20,000 over 3 years (present value)."
    assert verdict.notes == [
        "In hard cash Managed Services costs $5,000 more over 3 years; the savings come from "
        "staff time, revenue and lower risk."
    ]


def test_headline_summary_keeps_the_list_figures():
    _, expected = golden()
    summary = fmt.headline(expected)
    assert summary["savings"] == 4085.47
    assert summary["hard_savings"] == -43938.66
    assert summary["payback_month"] == 15
    assert summary["horizon_years"] == 3
