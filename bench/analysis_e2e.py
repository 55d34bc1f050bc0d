"""End-to-end benchmark of an analysis: API request → Redis → Celery worker → stored result.

    python bench/analysis_e2e.py [--runs 20] [--trials 10000] [--json]

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL as for the tests; the Redis database number
is replaced by BENCH_REDIS_DB, default 13, or kept with BENCH_REDIS_DB=same). It creates its own
database (migrated by the owner role, used through the runtime role as in production), its own
Celery queues, and starts one real worker (prefork, concurrency 1, as in the tests); everything
is removed at the end. Each run POSTs /api/v1/analyses/ through Django's test client (the full
middleware stack: session, tenant transaction, enqueue on commit) and polls the database every
5 ms until the analyses are stored; the time is from just before the request to the first poll
that sees every result. Prints a markdown table (or JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

RUN_ID = f"bench{uuid.uuid4().hex[:8]}"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["BREAKEVEN_TEST_RUN"] = RUN_ID
# Its own Redis database by default: test runs sharing the server call cache.clear()
# (FLUSHDB), which would delete this benchmark's queued messages mid-run.
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "13")
if REDIS_DB != "same":
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    os.environ["REDIS_URL"] = f"{base}/{REDIS_DB}"
    os.environ.pop("CELERY_BROKER_URL", None)

TARGET_SECONDS = 1.5


def _start_worker() -> subprocess.Popen:
    from django.conf import settings

    queues = f"{settings.CELERY_TASK_DEFAULT_QUEUE},{settings.CELERY_PDF_QUEUE}"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues,
        "--concurrency", "1", "--pool", "prefork", "--loglevel", "WARNING",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=dict(os.environ),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop_worker(process: subprocess.Popen) -> None:
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _one_run(world: Any, client: Any, body: dict[str, Any], timeout: float = 60.0) -> dict:
    from apps.tco.models import Analysis, AnalysisStatus

    start = time.perf_counter()
    response = client.post("/api/v1/analyses/", body, content_type="application/json")
    accepted = time.perf_counter()
    assert response.status_code == 202, response.content
    ids = [a["id"] for a in response.json()["analyses"]]
    while True:
        with world.context():
            done = Analysis.objects.filter(id__in=ids, status=AnalysisStatus.SUCCEEDED).count()
            failed = Analysis.objects.filter(id__in=ids, status=AnalysisStatus.FAILED).count()
        if failed:
            raise RuntimeError(f"analysis failed: {ids}")
        if done == len(ids):
            end = time.perf_counter()
            break
        if time.perf_counter() - start > timeout:
            with world.context():
                states = list(Analysis.objects.filter(id__in=ids).values_list("id", "job__status"))
            raise RuntimeError(f"timed out waiting for {states}")
        time.sleep(0.005)
    with world.context():
        rows = list(Analysis.objects.filter(id__in=ids).select_related("job"))
    worker_seconds = max((a.finished_at - a.job.started_at).total_seconds() for a in rows)
    return {"total": end - start, "accept": accepted - start, "worker": worker_seconds}


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "runs": len(ordered),
        "min": ordered[0],
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "max": ordered[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from apps.tenancy.testdb import test_database_create, test_database_drop

    test_database_create()
    worker = _start_worker()
    try:
        from apps.pricing.selectors import pricing_tier_list_active
        from apps.tco.testing import make_assessment
        from apps.tenancy.testing import make_world

        world = make_world("Bench IT")
        assessment = make_assessment(world)
        with world.context():
            standard = next(t for t in pricing_tier_list_active() if t.name == "Standard")
        client = world.salesperson_client()
        scenarios = {
            f"one tier, {args.trials:,} trials": {
                "assessment": assessment.id,
                "tiers": [standard.id],
                "trials": args.trials,
            },
            f"three tiers (comparison), {args.trials:,} trials each": {
                "assessment": assessment.id,
                "trials": args.trials,
            },
        }
        for body in scenarios.values():  # warm-up: worker imports, connections
            for _ in range(3):
                _one_run(world, client, body)
        results = {}
        for name, body in scenarios.items():
            runs = [_one_run(world, client, body) for _ in range(args.runs)]
            results[name] = {
                "total": _stats([r["total"] for r in runs]),
                "accept": _stats([r["accept"] for r in runs]),
                "worker": _stats([r["worker"] for r in runs]),
            }
    finally:
        _stop_worker(worker)
        test_database_drop()

    if args.json:
        print(json.dumps({"target_seconds": TARGET_SECONDS, "results": results}, indent=1))
        return
    print(f"Analysis end to end (API request → stored result), {os.cpu_count()} CPUs, one worker")
    print()
    print(
        "| scenario | runs | median | p90 | min | max | 202 answered (median) | "
        "one job in the worker (median) | target (median) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        t = r["total"]
        ok = "met" if t["median"] <= TARGET_SECONDS else "MISSED"
        print(
            f"| {name} | {t['runs']} | {t['median'] * 1000:.0f} ms | {t['p90'] * 1000:.0f} ms | "
            f"{t['min'] * 1000:.0f} ms | {t['max'] * 1000:.0f} ms | "
            f"{r['accept']['median'] * 1000:.0f} ms | {r['worker']['median'] * 1000:.0f} ms | "
            f"≤ {TARGET_SECONDS:g} s: {ok} |"
        )


if __name__ == "__main__":
    main()
