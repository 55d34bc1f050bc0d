"""Benchmark of the TCO engine (apps/tco/engine): prints a markdown table, or JSON with --json.

    python bench/tco_engine.py [--json] [--repeat N]

Runs on one core with BLAS/OpenMP threads at 1, so the figures are those of one Celery worker
process. The input is golden case 1 (25 users, 3 years, 100,000 trials). Peak memory of the
simulation is measured in a fresh subprocess (tracemalloc for the Python + NumPy allocations of
the call, and the process's maximum resident set size, which includes the interpreter and NumPy).
No Django needed.
"""

from __future__ import annotations

import os

# Before NumPy is imported: its thread pools read these once.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from apps.tco import engine  # noqa: E402
from apps.tco.engine import analysis, model, simulation  # noqa: E402

CASE = REPO_ROOT / "apps/tco/engine/tests/golden/golden_01_standard_25_users.json"
TRIALS = 100_000

# name → target median in seconds (None: reported, no target).
TARGETS: dict[str, float | None] = {
    "expected value: savings PV (one evaluation)": 50e-6,
    "expected value: full breakdown + payback": 50e-6,
    "break-even + tornado": 5e-3,
    "Monte Carlo 100,000 trials × 3 years": 150e-3,
    "compute(trials=0): validate, EV, break-even, tornado, rounding": None,
    "compute() whole document (validate … simulate, round)": None,
}
MEMORY_TARGET_MB = 300.0


def _pin_to_one_core() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def _time(fn: Callable[[], object], repeat: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "runs": len(ordered),
        "min": ordered[0],
        "median": statistics.median(ordered),
        "mean": statistics.fmean(ordered),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "max": ordered[-1],
    }


def _memory_probe() -> dict[str, float]:
    """Run in a subprocess: peak memory of one 100,000-trial simulation."""
    _pin_to_one_core()
    doc = engine.validate(json.loads(CASE.read_text())["inputs"])
    seed = doc["simulation"]["seed"]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    tracemalloc.start()
    simulation.simulate(doc, TRIALS, seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "tracemalloc_peak_mb": peak / 2**20,
        "max_rss_mb": rss_after,
        "max_rss_before_mb": rss_before,
    }


def run(repeat: int) -> dict[str, Any]:
    core = _pin_to_one_core()
    raw = json.loads(CASE.read_text())["inputs"]
    doc = engine.validate(raw)
    seed = doc["simulation"]["seed"]

    def ev_savings() -> float:
        return model.savings_pv(model.build_params(doc))

    def ev_full() -> object:
        ev = model.evaluate(model.build_params(doc))
        return analysis.payback(ev), ev.pv(ev.break_fix), ev.pv(ev.managed)

    def sensitivity() -> object:
        params = model.build_params(doc)
        return analysis.break_even(doc, params), analysis.tornado(doc)

    timings = {
        "expected value: savings PV (one evaluation)": _time(ev_savings, repeat * 200, 200),
        "expected value: full breakdown + payback": _time(ev_full, repeat * 200, 200),
        "break-even + tornado": _time(sensitivity, repeat * 10, 10),
        "Monte Carlo 100,000 trials × 3 years": _time(
            lambda: simulation.simulate(doc, TRIALS, seed), repeat, 2
        ),
        "compute(trials=0): validate, EV, break-even, tornado, rounding": _time(
            lambda: engine.compute(raw, trials=0), repeat * 10, 10
        ),
        "compute() whole document (validate … simulate, round)": _time(
            lambda: engine.compute(raw), max(3, repeat // 2), 1
        ),
    }
    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    memory = json.loads(probe.stdout)
    return {
        "engine_version": engine.ENGINE_VERSION,
        "python": sys.version.split()[0],
        "numpy": __import__("numpy").__version__,
        "core": core,
        "case": CASE.name,
        "timings": {name: _stats(samples) for name, samples in timings.items()},
        "memory": memory,
    }


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"TCO engine {report['engine_version']} — Python {report['python']}, NumPy "
        f"{report['numpy']}, pinned to core {report['core']}, input {report['case']}",
        "",
        "| measurement | runs | min | median | mean | p90 | max | target (median) | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for name, s in report["timings"].items():
        target = TARGETS[name]
        ok = "" if target is None else ("yes" if s["median"] <= target else "NO")
        lines.append(
            f"| {name} | {s['runs']} | {_fmt(s['min'])} | {_fmt(s['median'])} | "
            f"{_fmt(s['mean'])} | {_fmt(s['p90'])} | {_fmt(s['max'])} | "
            f"{'—' if target is None else '≤ ' + _fmt(target)} | {ok} |"
        )
    m = report["memory"]
    ok = "yes" if m["max_rss_mb"] <= MEMORY_TARGET_MB else "NO"
    lines += [
        "",
        "| Monte Carlo peak memory (fresh process) | MB | target | ok |",
        "|---|---:|---:|:-:|",
        f"| tracemalloc peak during the simulation | {m['tracemalloc_peak_mb']:.1f} | | |",
        f"| process max RSS before the simulation | {m['max_rss_before_mb']:.1f} | | |",
        f"| process max RSS after the simulation | {m['max_rss_mb']:.1f} | "
        f"≤ {MEMORY_TARGET_MB:.0f} | {ok} |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    parser.add_argument("--repeat", type=int, default=25, help="Monte Carlo runs (others scale)")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        print(json.dumps(_memory_probe()))
        return
    report = run(args.repeat)
    print(json.dumps(report, indent=2) if args.json else markdown(report))


if __name__ == "__main__":
    main()
