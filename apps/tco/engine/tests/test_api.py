"""The facade other code calls: compute, progress, partial results, chart series."""

from __future__ import annotations

from typing import Any

from .. import (
    ENGINE_VERSION,
    break_even,
    compute,
    expected_value,
    monthly_cumulative,
    simulate,
    tornado,
)
from .support import GOLDEN_NAMES, golden, standard_inputs


def test_compute_reports_increasing_progress_up_to_100() -> None:
    seen: list[int] = []
    compute(standard_inputs(), trials=1_000, progress=seen.append)
    assert seen == sorted(seen)
    assert all(isinstance(p, int) for p in seen)
    assert seen[-1] == 100
    assert len(seen) >= 3


def test_zero_trials_skips_the_simulation() -> None:
    result = compute(standard_inputs(), trials=0)
    assert result["simulation"] is None
    assert result["warnings"] == []
    assert result["engine_version"] == ENGINE_VERSION


def test_the_same_seed_gives_the_same_simulation_and_another_seed_does_not() -> None:
    doc = standard_inputs()
    first = simulate(doc, trials=2_000, seed=5)
    assert simulate(doc, trials=2_000, seed=5) == first
    assert simulate(doc, trials=2_000, seed=6) != first
    assert first["seed"] == 5
    assert first["trials"] == 2_000


def test_the_parts_agree_with_compute() -> None:
    doc = standard_inputs()
    result = compute(doc, trials=0)
    assert {k: result[k] for k in expected_value(doc)} == expected_value(doc)
    assert result["break_even"] == break_even(doc)
    assert result["tornado"] == tornado(doc)


def _crossing_month(series: dict[str, list[Any]]) -> int | None:
    for month, bf, ms in zip(series["months"], series["break_fix"], series["managed"], strict=True):
        if month > 0 and bf >= ms:
            return int(month)
    return None


def test_monthly_cumulative_series_start_with_onboarding_and_end_at_the_totals() -> None:
    for name in GOLDEN_NAMES:
        case = golden(name)
        series = monthly_cumulative(case["inputs"])
        expected = case["expected"]
        months = 12 * case["inputs"]["horizon_years"]
        assert series["months"] == list(range(months + 1))
        assert series["break_fix"][0] == 0.0
        assert series["managed"][0] == expected["derived"]["onboarding_fee"]
        assert abs(series["break_fix"][-1] - expected["undiscounted"]["break_fix"]) <= 0.10
        assert abs(series["managed"][-1] - expected["undiscounted"]["managed"]) <= 0.10
        # The payback month is where the break/fix curve reaches the managed one.
        assert _crossing_month(series) == expected["payback_month"]


def test_no_payback_when_managed_services_never_catches_up() -> None:
    doc = standard_inputs()
    doc["managed"]["price_per_user"] = 1_000
    result = compute(doc, trials=0)
    assert result["payback_month"] is None
    assert result["payback_month_fractional"] is None
    assert result["discounted_payback_month"] is None
    assert result["present_value"]["savings"] < 0


def test_immediate_payback_without_onboarding() -> None:
    doc = standard_inputs()
    doc["managed"]["price_per_user"] = 0
    doc["managed"]["onboarding_fee"] = 0
    result = compute(doc, trials=0)
    assert result["payback_month"] == 1
    assert result["payback_month_fractional"] == 0.0
    assert result["discounted_payback_month"] == 1
