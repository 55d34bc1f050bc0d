"""The engine against the golden cases of shared/tco (tolerances of TCO_MODEL.md).

Deterministic figures: ±0.05 per line item, ±0.10 on totals, ±0.01 on break-even values.
Simulation statistics: the reference simulation used other random numbers, so its statistics
are compared within sampling error (each helper below says how it is derived).
"""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any

import numpy as np
import pytest

from .. import compute, validate
from ..analysis import BREAK_EVEN_INPUTS
from ..model import CLASSES
from ..output import money, rate
from ..simulation import Sample, sample
from .support import GOLDEN_NAMES, LOCAL_DIR, SHARED_DIR, golden

LINE = 0.05
TOTAL = 0.10
BREAK_EVEN = 0.01
FOUR_PLACES = 1e-4  # roi and revenue per hour are printed to 4 places
Z = 4.0  # sampling-error multiple: a false alarm about once in 16,000 comparisons


@cache
def _result(name: str) -> dict[str, Any]:
    return compute(golden(name)["inputs"])


@cache
def _sample(name: str) -> Sample:
    doc = validate(golden(name)["inputs"])
    return sample(doc, doc["simulation"]["trials"], doc["simulation"]["seed"])


def _expected(name: str) -> dict[str, Any]:
    expected: dict[str, Any] = golden(name)["expected"]
    return expected


cases = pytest.mark.parametrize("name", GOLDEN_NAMES)


def test_golden_copies_match_the_shared_cases() -> None:
    # Without shared/tco beside the repository the local copies are all there is; they must at
    # least be complete cases. With it, they must be byte-for-byte the published ones.
    for name in GOLDEN_NAMES:
        local = (LOCAL_DIR / f"{name}.json").read_bytes()
        assert {"inputs", "expected"} <= set(json.loads(local)), name
        if SHARED_DIR.is_dir():
            assert local == (SHARED_DIR / f"{name}.json").read_bytes(), name


@cases
def test_output_has_the_golden_keys(name: str) -> None:
    result, expected = _result(name), _expected(name)
    golden_keys = set(expected) - {"simulation_reference"}
    assert set(result) == golden_keys | {"simulation", "engine_version", "warnings"}
    assert set(result["derived"]) == set(expected["derived"])
    for got, want in zip(result["years"], expected["years"], strict=True):
        assert list(got) == list(want)
        for side in ("break_fix", "managed"):
            assert list(got[side]) == list(want[side])
            assert list(got[side]["lines"]) == list(want[side]["lines"]) == list(CLASSES)
    for section in ("present_value", "undiscounted"):
        assert set(result[section]) == set(expected[section])
    assert {k: set(v) for k, v in result["layers"].items()} == {
        k: set(v) for k, v in expected["layers"].items()
    }
    assert list(result["break_even"]) == list(expected["break_even"]) == list(BREAK_EVEN_INPUTS)
    for bar, want in zip(result["tornado"], expected["tornado"], strict=True):
        assert list(bar) == list(want)
    assert set(result["simulation"]) == {
        "trials",
        "seed",
        "savings",
        "break_fix_pv",
        "managed_pv",
        "probability_managed_cheaper",
        "annual_p95",
    }
    assert set(result["simulation"]["savings"]) == {"mean", "se", "p10", "p50", "p90"}


@cases
def test_derived_values(name: str) -> None:
    got, want = _result(name)["derived"], _expected(name)["derived"]
    for key in ("tickets_per_year", "outages_per_year", "hardware_failures_per_year"):
        assert got[key] == pytest.approx(want[key], abs=LINE), key
    for key in ("monthly_recurring_fee", "onboarding_fee"):
        assert got[key] == pytest.approx(want[key], abs=LINE), key
    assert got["revenue_per_hour"] == pytest.approx(want["revenue_per_hour"], abs=FOUR_PLACES)


@cases
def test_yearly_lines_within_five_cents_and_totals_within_ten(name: str) -> None:
    for got, want in zip(_result(name)["years"], _expected(name)["years"], strict=True):
        assert got["year"] == want["year"]
        for side in ("break_fix", "managed"):
            for cls in CLASSES:
                assert got[side]["lines"][cls] == pytest.approx(
                    want[side]["lines"][cls], abs=LINE
                ), (got["year"], side, cls)
            for key in set(want[side]) - {"lines"}:
                assert got[side][key] == pytest.approx(want[side][key], abs=TOTAL), (side, key)
        assert got["savings"] == pytest.approx(want["savings"], abs=TOTAL)


@cases
def test_present_values_undiscounted_and_layers(name: str) -> None:
    result, expected = _result(name), _expected(name)
    for section in ("present_value", "undiscounted"):
        for key, value in expected[section].items():
            assert result[section][key] == pytest.approx(value, abs=TOTAL), (section, key)
    for layer, values in expected["layers"].items():
        for key, value in values.items():
            assert result["layers"][layer][key] == pytest.approx(value, abs=TOTAL), (layer, key)


@cases
def test_roi_and_payback(name: str) -> None:
    result, expected = _result(name), _expected(name)
    assert result["roi"] == pytest.approx(expected["roi"], abs=FOUR_PLACES)
    assert result["payback_month"] == expected["payback_month"]
    assert result["discounted_payback_month"] == expected["discounted_payback_month"]
    if expected["payback_month_fractional"] is None:
        assert result["payback_month_fractional"] is None
    else:
        assert result["payback_month_fractional"] == pytest.approx(
            expected["payback_month_fractional"], abs=0.01
        )


@cases
def test_break_even_within_a_hundredth(name: str) -> None:
    got, want = _result(name)["break_even"], _expected(name)["break_even"]
    for key, value in want.items():
        if value is None:
            assert got[key] is None, key
        else:
            assert got[key] == pytest.approx(value, abs=BREAK_EVEN), key


@cases
def test_tornado_order_and_values(name: str) -> None:
    got, want = _result(name)["tornado"], _expected(name)["tornado"]
    assert [bar["input"] for bar in got] == [bar["input"] for bar in want]
    for bar, ref in zip(got, want, strict=True):
        assert (bar["low"], bar["high"]) == (ref["low"], ref["high"])
        for key in ("savings_at_low", "savings_at_high", "swing"):
            assert bar[key] == pytest.approx(ref[key], abs=TOTAL), (bar["input"], key)


# --- simulation ---------------------------------------------------------------------------


def _cdf(values: np.ndarray, x: float) -> float:
    """Empirical CDF at x, counting ties as half (mid-distribution function)."""
    return float((np.count_nonzero(values < x) + np.count_nonzero(values <= x)) / 2 / values.size)


def _assert_quantile(
    values: np.ndarray, reported: float, reference: float, q: float, n_ref: int, what: str
) -> None:
    """Our reported q-quantile and the reference's sit at the same probability, within error.

    Both are placed on our sample's empirical CDF, i.e. compared in probability space: for an
    empirical quantile F(X_q) has standard deviation sqrt(q(1 − q)/n) whatever the distribution,
    so no density has to be estimated. Both samples contribute:
    tolerance = Z · sqrt(q(1 − q)(1/n + 1/n_ref)).
    """
    n = values.size
    tolerance = Z * math.sqrt(q * (1 - q) * (1 / n + 1 / n_ref))
    ours, theirs = _cdf(values, reported), _cdf(values, reference)
    assert abs(ours - q) <= 1.5 / n, f"{what}: reported value is at F={ours:.5f}, not {q}"
    assert abs(theirs - ours) <= tolerance, f"{what}: reference at F={theirs:.4f}, ours {ours:.4f}"


@cases
def test_simulation_matches_the_reference_within_sampling_error(name: str) -> None:
    ref = _expected(name)["simulation_reference"]
    section = _result(name)["simulation"]
    doc = validate(golden(name)["inputs"])
    s = _sample(name)
    n = s.pv_break_fix.size
    # The reference used the case's own trial count.
    n_ref = doc["simulation"]["trials"]
    savings = s.savings

    # Mean: both means are estimates with standard errors se and se_ref; Z combined SEs.
    combined = math.hypot(section["savings"]["se"], ref["savings_se"])
    assert abs(section["savings"]["mean"] - ref["savings_mean"]) <= Z * combined

    # Standard error, compared as the standard deviation s = se·sqrt(n). The sampling variance
    # of s is about (m4 − s^4) / (4 s^2 n) (delta method on the sample variance); the 4th
    # moment m4 is large here (rare large incidents), which the tolerance must reflect.
    sd = section["savings"]["se"] * math.sqrt(n)
    m4 = float(np.mean((savings - savings.mean()) ** 4))
    var_sd = (m4 - sd**4) / (4 * sd**2)
    ref_sd = ref["savings_se"] * math.sqrt(n_ref)
    assert abs(sd - ref_sd) <= Z * math.sqrt(var_sd / n + var_sd / n_ref)

    for values, key, reported in (
        (savings, "savings_p10_p50_p90", section["savings"]),
        (s.pv_break_fix, "break_fix_p10_p50_p90", section["break_fix_pv"]),
        (s.pv_managed, "managed_p10_p50_p90", section["managed_pv"]),
    ):
        for q, label, reference in zip(
            (0.10, 0.50, 0.90), ("p10", "p50", "p90"), ref[key], strict=True
        ):
            _assert_quantile(values, reported[label], reference, q, n_ref, f"{key} {label}")

    # P95 of the annual cost over every trial-year (years pooled): n·T values on each side.
    years = s.annual_break_fix.shape[0]
    for side, values in (("break_fix", s.annual_break_fix), ("managed", s.annual_managed)):
        _assert_quantile(
            values.ravel(),
            section["annual_p95"][side],
            ref["annual_p95"][side],
            0.95,
            n_ref * years,
            f"annual_p95 {side}",
        )

    # A proportion: binomial standard error on both sides.
    p, p_ref = section["probability_managed_cheaper"], ref["probability_managed_cheaper"]
    assert abs(p - p_ref) <= Z * math.sqrt(p_ref * (1 - p_ref) * (1 / n + 1 / n_ref))


@cases
def test_simulation_section_reports_the_sample(name: str) -> None:
    section = _result(name)["simulation"]
    s = _sample(name)
    doc = validate(golden(name)["inputs"])
    savings = s.savings

    def quantiles(values: np.ndarray) -> dict[str, float]:
        # NumPy's default (linear) quantile definition.
        p10, p50, p90 = (float(x) for x in np.percentile(values, [10, 50, 90]))
        return {"p10": money(p10), "p50": money(p50), "p90": money(p90)}

    assert section == {
        "trials": doc["simulation"]["trials"],
        "seed": doc["simulation"]["seed"],
        "savings": {
            "mean": money(float(savings.mean())),
            "se": money(float(savings.std(ddof=1) / math.sqrt(savings.size))),
            **quantiles(savings),
        },
        "break_fix_pv": quantiles(s.pv_break_fix),
        "managed_pv": quantiles(s.pv_managed),
        "probability_managed_cheaper": rate(float(np.mean(s.pv_managed < s.pv_break_fix))),
        "annual_p95": {
            "break_fix": money(float(np.percentile(s.annual_break_fix, 95))),
            "managed": money(float(np.percentile(s.annual_managed, 95))),
        },
    }


@cases
def test_simulated_mean_within_four_standard_errors_of_the_expected_value(name: str) -> None:
    result = _result(name)
    simulated = result["simulation"]["savings"]
    expected = result["present_value"]["savings"]
    assert abs(simulated["mean"] - expected) <= 4 * simulated["se"]
    assert not any(w["code"] == "simulation_self_check" for w in result["warnings"])


def test_opposite_mean_and_median_are_flagged() -> None:
    # Case 1: Managed Services saves on average, yet the median trial loses (principle 6).
    result = _result(GOLDEN_NAMES[0])
    assert result["present_value"]["savings"] > 0 > result["simulation"]["savings"]["p50"]
    assert [w["code"] for w in result["warnings"]] == ["mean_median_opposite_signs"]
