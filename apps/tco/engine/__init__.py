"""Breakeven's TCO engine: Break/Fix vs Managed Services (shared/TCO_MODEL.md is the contract).

Pure Python + NumPy, no Django and no I/O, so it can be tested and benchmarked alone. Other code
imports only this module:

    compute(doc, *, trials=None, progress=None) -> dict   # the whole output document
    validate(doc) -> dict                                  # normalised input, or EngineInputError
    expected_value(doc) / break_even(doc) / tornado(doc) / simulate(doc, trials, seed)
    monthly_cumulative(doc) -> dict                        # cumulative cost per month, for charts
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import analysis, model, output
from . import simulation as _simulation
from .inputs import EngineInputError, check_trials
from .inputs import validate as _validate

__all__ = [
    "ENGINE_VERSION",
    "EngineInputError",
    "break_even",
    "compute",
    "expected_value",
    "monthly_cumulative",
    "simulate",
    "tornado",
    "validate",
]

# Bump the major version when the same input can give different figures (stored results and
# proposals record it), the minor one when the output only gains keys.
ENGINE_VERSION = "1.0.0"

Progress = Callable[[int], object]


def validate(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised input document (defaults filled, seed set); raises EngineInputError."""
    return _validate(doc)


def _prepare(doc: Mapping[str, Any], trials: int | None) -> tuple[dict[str, Any], int]:
    """Validate the document and a trials override together, so one error lists every problem."""
    errors: dict[str, list[str]] = {}
    normalised: dict[str, Any] | None = None
    n = 0
    try:
        normalised = _validate(doc)
    except EngineInputError as exc:
        errors = exc.errors
    if trials is not None and (message := check_trials(trials)):
        errors.setdefault("simulation.trials", []).append(message)
    if normalised is not None and not errors:
        n = int(trials if trials is not None else normalised["simulation"]["trials"])
        if n and (message := _simulation.simulation_size_error(normalised, n)):
            errors["simulation.trials"] = [message]
    if errors or normalised is None:
        raise EngineInputError(errors)
    return normalised, n


def compute(
    doc: Mapping[str, Any], *, trials: int | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """The output document of TCO_MODEL.md for an input document.

    `trials` overrides `simulation.trials`; 0 skips the simulation (`"simulation": null`), for
    quick what-if recomputation. `progress(percent)` is called a few times with increasing
    integers up to 100, for a job row's progress bar.
    """
    normalised, n = _prepare(doc, trials)

    def report(percent: float) -> None:
        if progress is not None:
            progress(int(percent))

    params = model.build_params(normalised)
    ev = model.evaluate(params)
    result = output.expected_section(ev, analysis.payback(ev))
    report(10)
    result["break_even"] = output.break_even_section(analysis.break_even(normalised, params))
    result["tornado"] = output.tornado_section(analysis.tornado(normalised))
    report(20)

    stats = None
    if n:
        seed = int(normalised["simulation"]["seed"])
        stats = _simulation.simulate(
            normalised, n, seed, progress=lambda done: report(20 + 78 * done)
        )
    result["simulation"] = output.simulation_section(stats) if stats else None
    result["engine_version"] = ENGINE_VERSION
    result["warnings"] = _warnings(model.savings_pv(params), stats)
    report(100)
    return result


def _warnings(savings: float, stats: _simulation.SimulationStats | None) -> list[dict[str, str]]:
    """Things a reader must be told (principle 6), as codes a UI can translate."""
    found: list[dict[str, str]] = []
    if stats is None:
        return found
    median = stats.savings_quantiles[1]
    if savings * median < 0:
        found.append(
            {
                "code": "mean_median_opposite_signs",
                "message": (
                    "The expected savings and the median simulated savings have opposite signs: "
                    "the difference comes from rare, large losses, not from a typical year."
                ),
            }
        )
    if abs(stats.savings_mean - savings) > 4 * stats.savings_se:
        found.append(
            {
                "code": "simulation_self_check",
                "message": (
                    "The simulated mean savings lie more than 4 standard errors from the expected "
                    "value; raise the number of trials."
                ),
            }
        )
    return found


def expected_value(doc: Mapping[str, Any]) -> dict[str, Any]:
    """derived, years, present_value, undiscounted, layers, roi and paybacks (rounded)."""
    ev = model.evaluate(model.build_params(_validate(doc)))
    return output.expected_section(ev, analysis.payback(ev))


def break_even(doc: Mapping[str, Any]) -> dict[str, float | None]:
    """The break-even value of each input of TCO_MODEL.md (4 places), or None."""
    return output.break_even_section(analysis.break_even(_validate(doc)))


def tornado(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Savings at each end of each sensitivity range, widest swing first (rounded)."""
    return output.tornado_section(analysis.tornado(_validate(doc)))


def simulate(
    doc: Mapping[str, Any], trials: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The `simulation` section alone; trials and seed default to the document's."""
    normalised, n = _prepare(doc, trials)
    if not n:
        raise EngineInputError({"simulation.trials": ["must be positive to simulate"]})
    if seed is None:
        seed = int(normalised["simulation"]["seed"])
    elif not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 2**63 - 1:
        raise EngineInputError({"simulation.seed": ["must be a whole number in [0, 2^63)"]})
    return output.simulation_section(_simulation.simulate(normalised, n, seed))


def monthly_cumulative(doc: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Cumulative undiscounted cost per month, months 0..12T, for the cumulative-cost chart.

    Month 0 holds the onboarding fee on the managed side; `payback_month` of the output is the
    first month where the break/fix curve reaches the managed one.
    """
    series = analysis.monthly_cumulative(model.evaluate(model.build_params(_validate(doc))))
    return {
        "months": series["months"],
        "break_fix": [output.money(x) for x in series["break_fix"]],
        "managed": [output.money(x) for x in series["managed"]],
    }
