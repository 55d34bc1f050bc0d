"""Monte Carlo spread of the TCO (TCO_MODEL.md "Monte Carlo").

Per trial and year each class has a Poisson number of events; Managed Services keeps each event
with probability `keep = 1 − reduction`. Binomial thinning of a Poisson count is drawn as two
independent Poisson counts, kept ~ Poisson(λ·keep) and removed ~ Poisson(λ·(1 − keep)), with
break/fix seeing kept + removed: the same joint law, and the managed side still sees a subset of
the very events break/fix sees (common random numbers).

Speed (about 3·10^5 trial-years per analysis): the random draws dominate, so
- a count with a small rate is drawn as one Poisson total over all cells, scattered uniformly over
  the cells (independent Poisson cells ⇔ Poisson total + uniform allocation); below a few events
  per cell that costs a fraction of a Poisson draw per cell;
- severities (outage duration, data-loss and incident cost) are drawn once per event, never padded
  per cell, and summed into their cells with np.bincount;
- each severity is a lognormal multiplier with mean 1 applied to the class's expected per-event
  cost from model.class_terms, so the simulation and the expected value share every formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import (
    CLASSES,
    NOT_EVENTS,
    SEVERITY_LAYER,
    ClassTerms,
    Coef,
    Layers,
    Params,
    build_params,
    class_terms,
    factors,
)

__all__ = ["Sample", "SimulationStats", "sample", "simulate", "simulation_size_error", "summarise"]

FloatArray = npt.NDArray[np.float64]

# Cells (trial-years) per chunk: bounds memory at ~10^6 cells whatever trials × years is.
CHUNK_CELLS = 1 << 20
# Events drawn per batch for compound sums, for the same reason.
EVENT_BATCH = 1 << 21
# Above this many events per cell a direct Poisson draw per cell beats scattering events.
SCATTER_MAX_RATE = 4.0
# Refuse simulations that would draw more lognormal severities than this (minutes of work).
MAX_SEVERITY_EVENTS = 200_000_000


@dataclass(frozen=True, slots=True)
class SimulationStats:
    """Summary of the simulated PVs (unrounded)."""

    trials: int
    seed: int
    savings_mean: float
    savings_se: float
    savings_quantiles: tuple[float, float, float]  # P10, P50, P90
    break_fix_quantiles: tuple[float, float, float]
    managed_quantiles: tuple[float, float, float]
    probability_managed_cheaper: float
    annual_p95_break_fix: float
    annual_p95_managed: float


def _per_year(coef: Coef, e_bf: FloatArray, e_w: FloatArray) -> FloatArray:
    bf, wage, flat = coef
    return bf * e_bf + wage * e_w + flat


def _unscaled(coefs: Layers, severity: int | None, e_bf: FloatArray, e_w: FloatArray) -> FloatArray:
    """Per-event cost by year of the layers a severity does not scale."""
    total = np.zeros(e_bf.shape)
    for layer, coef in enumerate(coefs):
        if layer != severity:
            total += _per_year(coef, e_bf, e_w)
    return total


def _severity_sigma(name: str, doc: Mapping[str, Any]) -> float:
    if name == "outages":
        return float(doc["simulation"]["outage_duration_sigma"])
    if name == "data_loss":
        return float(doc["data_loss"]["cost_sigma"])
    if name == "major_security":
        major = doc["major_security"]
        if major["mean_cost"] <= 0:
            return 0.0
        # Lognormal with the given median and mean: mean/median = exp(σ²/2).
        return math.sqrt(2.0 * math.log(major["mean_cost"] / major["median_cost"]))
    raise ValueError(f"no severity distribution for {name}")


def simulation_size_error(doc: Mapping[str, Any], trials: int) -> str | None:
    """A message when the simulation would draw too many severities to finish in reasonable time."""
    p = build_params(doc)
    per_trial_year = sum(
        rate
        for name, (rate, *_) in zip(CLASSES, class_terms(p), strict=True)
        if name in SEVERITY_LAYER
    )
    if per_trial_year * trials * p.horizon > MAX_SEVERITY_EVENTS:
        return (
            f"too many simulated events ({per_trial_year:.3g} a year × {trials} trials × "
            f"{p.horizon} years); lower the trials"
        )
    return None


def _merge(a: npt.NDArray[Any] | None, b: npt.NDArray[Any] | None) -> npt.NDArray[Any] | None:
    """a + b, in place in a (call it once a is no longer needed on its own)."""
    if a is None or b is None:
        return a if b is None else b
    a += b
    return a


class _Sampler:
    """Draws the per-cell event counts and severity sums of one chunk of trial-years."""

    def __init__(self, rng: np.random.Generator, cells: int) -> None:
        self.rng = rng
        self.cells = cells

    def scatter(
        self, rate: float, sigma: float | None, *, counts: bool = True
    ) -> tuple[npt.NDArray[Any] | None, FloatArray | None]:
        """Per-cell counts (if asked) and severity sums (if sigma is given) of Poisson(rate) events.

        One Poisson total for the whole chunk, each event dropped in a uniform cell: the cells are
        then independent Poisson(rate) counts, at the cost of the events rather than the cells.
        """
        rng, cells = self.rng, self.cells
        if rate <= 0:
            return None, None
        remaining = int(rng.poisson(rate * cells))
        mu = -0.5 * sigma * sigma if sigma is not None else 0.0  # E[multiplier] = 1
        count_sum: npt.NDArray[Any] | None = None
        severity_sum: FloatArray | None = None
        while True:
            batch = min(remaining, EVENT_BATCH)
            remaining -= batch
            where = rng.integers(0, cells, batch)
            if counts:
                c = np.bincount(where, minlength=cells)
                count_sum = c if count_sum is None else count_sum + c
            if sigma is not None:
                # exp(μ + σ·Z) by hand: about 40 % faster than Generator.lognormal.
                mult = rng.standard_normal(batch)
                mult *= sigma
                mult += mu
                np.exp(mult, out=mult)
                s = np.bincount(where, mult, minlength=cells)
                severity_sum = s if severity_sum is None else severity_sum + s
            if remaining <= 0:
                return count_sum, severity_sum

    def counts(self, rate: float) -> npt.NDArray[Any] | None:
        if rate <= 0:
            return None
        if rate <= SCATTER_MAX_RATE:
            return self.scatter(rate, None)[0]
        return self.rng.poisson(rate, self.cells)


def _add(
    target: FloatArray,
    values: npt.NDArray[Any] | None,
    per_year: FloatArray,
    scratch: FloatArray,
) -> None:
    """target[y, i] += values[y, i] · per_year[y]; skips absent or zero-cost terms.

    The product goes through a reused scratch buffer: a fresh 10^5–10^6 element temporary per
    call costs more in page faults than the arithmetic.
    """
    if values is None or not per_year.any():
        return
    np.multiply(values.reshape(scratch.shape), per_year[:, None], out=scratch)
    target += scratch


def _simulate_chunk(
    rng: np.random.Generator,
    terms: tuple[ClassTerms, ...],
    sigmas: dict[str, float],
    p: Params,
    e_bf: FloatArray,
    e_w: FloatArray,
    fixed_bf: FloatArray,
    fixed_ms: FloatArray,
    trials: int,
) -> tuple[FloatArray, FloatArray]:
    """Annual costs, shape (years, trials), of one chunk on each side."""
    years = p.horizon
    sampler = _Sampler(rng, years * trials)  # cell = year · trials + trial
    cost_bf = np.repeat(fixed_bf[:, None], trials, axis=1)
    cost_ms = np.repeat(fixed_ms[:, None], trials, axis=1)
    scratch = np.empty_like(cost_bf)
    for name, (rate, keep, bf_layers, ms_layers) in zip(CLASSES, terms, strict=True):
        if name in NOT_EVENTS:
            continue
        sev = SEVERITY_LAYER.get(name)
        # Per-event costs by year, split into the part a severity scales and the rest.
        bf_fixed = _unscaled(bf_layers, sev, e_bf, e_w)
        ms_fixed = _unscaled(ms_layers, sev, e_bf, e_w)
        kept_rate, removed_rate = rate * keep, rate * (1.0 - keep)
        # Managed terms first: the kept arrays then absorb the removed ones for break/fix.
        if sev is None:
            kept, removed = sampler.counts(kept_rate), sampler.counts(removed_rate)
            _add(cost_ms, kept, ms_fixed, scratch)
            _add(cost_bf, _merge(kept, removed), bf_fixed, scratch)
            continue
        sigma = sigmas[name]
        need_counts = bool(bf_fixed.any() or ms_fixed.any())
        kept, kept_sev = sampler.scatter(kept_rate, sigma, counts=need_counts)
        removed, removed_sev = sampler.scatter(removed_rate, sigma, counts=need_counts)
        # The managed event is the same draw as the break/fix one (e.g. duration × ratio).
        _add(cost_ms, kept, ms_fixed, scratch)
        _add(cost_ms, kept_sev, _per_year(ms_layers[sev], e_bf, e_w), scratch)
        _add(cost_bf, _merge(kept, removed), bf_fixed, scratch)
        bf_sev = _per_year(bf_layers[sev], e_bf, e_w)
        _add(cost_bf, _merge(kept_sev, removed_sev), bf_sev, scratch)
    return cost_bf, cost_ms


@dataclass(frozen=True, slots=True)
class Sample:
    """The simulated trials: PV per trial on each side and annual costs, shape (years, trials)."""

    seed: int
    pv_break_fix: FloatArray
    pv_managed: FloatArray
    annual_break_fix: FloatArray
    annual_managed: FloatArray

    @property
    def savings(self) -> FloatArray:
        return self.pv_break_fix - self.pv_managed


def sample(
    doc: Mapping[str, Any],
    trials: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> Sample:
    """Simulate a normalised document; `progress(fraction)` is called after each chunk.

    The draws depend only on (document, trials, seed): chunking is fixed by trials × years.
    """
    p = build_params(doc)
    f = factors(p)
    terms = class_terms(p)
    years = p.horizon
    e_bf, e_w = np.array(f.e_bf), np.array(f.e_w)
    v = np.array(f.v)

    # What is the same in every trial: informal support (not events) and the fee.
    fixed_bf = np.zeros(years)
    fixed_ms = 12.0 * p.mrr * np.array(f.e_ms)
    sigmas: dict[str, float] = {}
    for name, (rate, keep, bf_layers, ms_layers) in zip(CLASSES, terms, strict=True):
        if name in NOT_EVENTS:
            fixed_bf += rate * _unscaled(bf_layers, None, e_bf, e_w)
            fixed_ms += rate * keep * _unscaled(ms_layers, None, e_bf, e_w)
        elif name in SEVERITY_LAYER:
            sigmas[name] = _severity_sigma(name, doc)

    # SFC64: the fastest of NumPy's bit generators here, and reproducible for a seed.
    rng = np.random.Generator(np.random.SFC64(seed))
    chunk = max(1, CHUNK_CELLS // years)
    pv_bf = np.empty(trials)
    pv_ms = np.empty(trials)
    annual_bf = np.empty((years, trials))
    annual_ms = np.empty((years, trials))
    for start in range(0, trials, chunk):
        stop = min(trials, start + chunk)
        bf, ms = _simulate_chunk(rng, terms, sigmas, p, e_bf, e_w, fixed_bf, fixed_ms, stop - start)
        annual_bf[:, start:stop] = bf
        annual_ms[:, start:stop] = ms
        pv_bf[start:stop] = v @ bf
        pv_ms[start:stop] = v @ ms
        if progress is not None:
            progress(stop / trials)
    pv_ms += p.onboarding  # paid at t = 0, undiscounted
    return Sample(seed, pv_bf, pv_ms, annual_bf, annual_ms)


def summarise(s: Sample) -> SimulationStats:
    """The statistics of TCO_MODEL.md "Monte Carlo" (quantiles: NumPy's default, linear)."""
    trials = s.pv_break_fix.size
    savings = s.savings
    mean = float(savings.mean())
    se = float(savings.std(ddof=1) / math.sqrt(trials)) if trials > 1 else 0.0
    cheaper = float(np.count_nonzero(s.pv_managed < s.pv_break_fix) / trials)

    def q3(x: FloatArray) -> tuple[float, float, float]:
        ordered = np.sort(x)
        return _quantile(ordered, 0.10), _quantile(ordered, 0.50), _quantile(ordered, 0.90)

    return SimulationStats(
        trials=trials,
        seed=s.seed,
        savings_mean=mean,
        savings_se=se,
        savings_quantiles=q3(savings),
        break_fix_quantiles=q3(s.pv_break_fix),
        managed_quantiles=q3(s.pv_managed),
        probability_managed_cheaper=cheaper,
        # The 95th percentile of one year's cost over every simulated trial-year (pooled years).
        annual_p95_break_fix=_quantile(np.sort(s.annual_break_fix, axis=None), 0.95),
        annual_p95_managed=_quantile(np.sort(s.annual_managed, axis=None), 0.95),
    )


def simulate(
    doc: Mapping[str, Any],
    trials: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> SimulationStats:
    """Simulate a normalised document and summarise it."""
    return summarise(sample(doc, trials, seed, progress))


def _quantile(ordered: FloatArray, q: float) -> float:
    """np.percentile's default (linear) quantile of an already sorted array.

    Sorting once and interpolating is several times faster than np.percentile's partition on
    10^5 floats (NumPy sorts floats with SIMD).
    """
    h = (ordered.size - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, ordered.size - 1)
    return float(ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo]))
