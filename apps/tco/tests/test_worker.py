"""Analyses through Redis and a real Celery worker, including a worker killed mid-job."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from apps.jobs.models import Job, JobStatus
from apps.jobs.tasks import requeue_stale
from apps.tco.models import Analysis, AnalysisStatus
from conftest import start_worker, stop_worker

from .conftest import tier_named

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out")


def request_analysis(world, assessment, **body) -> dict:
    client = world.salesperson_client()
    response = client.post(
        "/api/v1/analyses/", {"assessment": assessment.id, **body}, content_type="application/json"
    )
    assert response.status_code == 202, response.content
    return response.json()


def state(world, analysis_id: int) -> tuple[Analysis, Job]:
    with world.context():
        analysis = Analysis.objects.get(id=analysis_id)
        return analysis, Job.objects.get(id=analysis.job_id)


def test_an_analysis_requested_through_the_api_completes_in_a_worker(celery_worker):
    from apps.tco.testing import make_assessment
    from apps.tenancy.testing import make_world

    world = make_world("Worker IT")
    assessment = make_assessment(world)
    body = request_analysis(world, assessment, trials=10_000)
    ids = [a["id"] for a in body["analyses"]]
    assert len(ids) == 3

    started = time.monotonic()

    def done():
        rows = [state(world, i) for i in ids]
        if time.monotonic() - started > 10 and any(j.status == JobStatus.QUEUED for _, j in rows):
            # What beat does every minute: re-send jobs left queued. Other test runs share this
            # Redis and may flush it (cache.clear() is FLUSHDB), taking our messages with it.
            requeue_stale()
        return rows if all(a.is_finished for a, _ in rows) else None

    try:
        rows = wait_for(done, timeout=90)
    except AssertionError:
        with world.context():
            jobs = list(Job.objects.values_list("id", "status", "deliveries", "error"))
        raise AssertionError(f"not finished: {jobs}") from None
    for analysis, job in rows:
        assert analysis.status == AnalysisStatus.SUCCEEDED, (analysis.error, job.error)
        assert (job.status, job.progress, job.deliveries) == (JobStatus.SUCCEEDED, 100, 1)
        assert analysis.result["simulation"]["trials"] == 10_000
        assert analysis.completions == 1
    # The API shows the result once done.
    detail = world.salesperson_client().get(f"/api/v1/analyses/{ids[0]}/").json()
    assert detail["status"] == "succeeded"
    assert detail["result"]["present_value"]["savings"] == rows[0][0].summary["savings"]


def test_a_worker_process_killed_mid_job_does_not_lose_it(transactional_db):
    """SIGKILL the pool child while it simulates: the parent sees the worker lost, rejects the
    message back to the queue (acks_late + reject_on_worker_lost), a new child takes it again,
    and the result is stored exactly once."""
    from apps.tco.testing import make_assessment
    from apps.tenancy.testing import make_world

    world = make_world("Crash IT")
    assessment = make_assessment(world)
    worker = start_worker()
    try:
        with world.context():
            standard = tier_named("Standard")
        # A million trials keep the child busy for a couple of seconds.
        body = request_analysis(world, assessment, tiers=[standard.id], trials=1_000_000)
        analysis_id = body["analyses"][0]["id"]

        started = time.monotonic()

        def simulating():
            analysis, job = state(world, analysis_id)
            if job.status == JobStatus.QUEUED and time.monotonic() - started > 10:
                requeue_stale()  # the message was flushed by another run (see above)
            # Inputs stored and the engine past its first progress report: mid-computation.
            return job.status == JobStatus.RUNNING and job.progress >= 14 and analysis

        try:
            analysis = wait_for(simulating, timeout=60, interval=0.01)
        except AssertionError:
            analysis, job = state(world, analysis_id)
            raise AssertionError(
                f"never seen simulating: {job.status} {job.progress} {job.error}\n"
                + stop_worker(worker)[-3000:]
            ) from None
        assert analysis.result is None and analysis.inputs is not None
        children = psutil.Process(worker.pid).children(recursive=True)
        assert len(children) == 1, children  # --concurrency 1: the one pool process
        victim = children[0].pid
        os.kill(victim, signal.SIGKILL)

        def finished():
            analysis, job = state(world, analysis_id)
            return (analysis, job) if job.is_finished else None

        analysis, job = wait_for(finished, timeout=120)
        new_children = [p.pid for p in psutil.Process(worker.pid).children(recursive=True)]
    finally:
        log = stop_worker(worker)

    assert victim not in new_children
    assert "WorkerLostError" in log or "SIGKILL" in log, log[-3000:]
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.deliveries == 2  # the killed delivery and the one that completed
    assert analysis.status == AnalysisStatus.SUCCEEDED
    assert analysis.completions == 1
    assert analysis.result["simulation"]["trials"] == 1_000_000


def test_a_whole_worker_killed_mid_job_is_redelivered_after_the_visibility_timeout(
    transactional_db, monkeypatch
):
    """SIGKILL the whole worker (main process and pool) while it simulates: nothing acks or
    rejects the message, which stays "unacknowledged" in Redis. A worker started later with
    a short visibility timeout restores it, and the job completes once.

    Runs on its own Redis database: restoring unacknowledged messages is global to a Redis
    database, and must not touch other test runs' messages.
    """
    from celery import current_app

    from apps.tco.services import analysis_request
    from apps.tco.tasks import run_analysis
    from apps.tco.testing import make_assessment
    from apps.tenancy.testing import make_world

    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    broker = f"{base}/14"
    monkeypatch.setenv("REDIS_URL", broker)
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    world = make_world("Outage IT")
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=1_000_000,
        )
    first = start_worker()
    second = None
    try:
        with current_app.connection_for_write(broker) as connection:
            run_analysis.apply_async(
                kwargs={
                    "job_id": analysis.job_id,
                    "organization_id": world.id,
                    "analysis_id": analysis.id,
                },
                connection=connection,
            )

        def simulating():
            stored, job = state(world, analysis.id)
            return job.status == JobStatus.RUNNING and job.progress >= 14 and stored

        stored = wait_for(simulating, timeout=60, interval=0.01)
        assert stored.result is None
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(3.5)  # let the unacknowledged message age past the short timeout below
        monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "3")
        second = start_worker()

        def finished():
            stored, job = state(world, analysis.id)
            return (stored, job) if job.is_finished else None

        stored, job = wait_for(finished, timeout=120)
    finally:
        stop_worker(first, signal.SIGKILL)
        log = stop_worker(second) if second is not None else ""
    assert job.status == JobStatus.SUCCEEDED, (job.error, log[-2000:])
    assert job.deliveries == 2
    assert stored.completions == 1
    assert stored.status == AnalysisStatus.SUCCEEDED
    assert "tco.run_analysis[" in log and "succeeded" in log
