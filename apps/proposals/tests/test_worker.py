"""PDF renders through Redis and a real Celery worker on the pdf queue, including a kill."""

from __future__ import annotations

import io
import os
import signal
import time

import psutil
import pypdf
import pytest
from django.core.files.storage import default_storage

from apps.jobs.models import Job, JobStatus
from apps.jobs.tasks import requeue_stale
from apps.proposals.models import ProposalDocument
from apps.proposals.storage import read_bytes
from apps.proposals.testing import make_proposal
from conftest import start_worker, stop_worker

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out")


def job_state(world, job_id: int) -> Job:
    with world.context():
        return Job.objects.get(id=job_id)


def request_render(world, proposal) -> dict:
    response = world.salesperson_client().post(f"/api/v1/proposals/{proposal.id}/render/")
    assert response.status_code == 202, response.content
    return response.json()["job"]


def test_a_pdf_requested_through_the_api_is_rendered_by_a_worker(celery_worker):
    from apps.tenancy.testing import make_world

    world = make_world("Worker PDF IT")
    proposal = make_proposal(world, trials=2000)
    job = request_render(world, proposal)
    started = time.monotonic()

    def done():
        row = job_state(world, job["id"])
        if time.monotonic() - started > 10 and row.status == JobStatus.QUEUED:
            requeue_stale()  # other runs sharing this Redis may have flushed our message
        return row if row.is_finished else None

    row = wait_for(done, timeout=90)
    assert (row.status, row.progress, row.deliveries) == (JobStatus.SUCCEEDED, 100, 1), row.error
    response = world.salesperson_client().get(f"/api/v1/proposals/{proposal.id}/pdf/")
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert proposal.client_name in reader.pages[0].extract_text()


def test_a_worker_killed_mid_render_finishes_the_pdf_once(transactional_db):
    """SIGKILL the pool child while WeasyPrint lays out the pages: the message goes back to the
    queue (acks_late + reject_on_worker_lost), a new child renders it, one file is stored."""
    from apps.tenancy.testing import make_world

    world = make_world("Crash PDF IT")
    proposal = make_proposal(world, tiers=["Essentials", "Standard", "Premium"], trials=2000)
    worker = start_worker()
    try:
        job = request_render(world, proposal)

        def laying_out():
            row = job_state(world, job["id"])
            return row.status == JobStatus.RUNNING and row.progress >= 20 and row

        try:
            wait_for(laying_out, timeout=60, interval=0.005)
        except AssertionError:
            row = job_state(world, job["id"])
            raise AssertionError(
                f"never seen rendering: {row.status} {row.progress} {row.error}\n"
                + stop_worker(worker)[-3000:]
            ) from None
        with world.context():
            assert not ProposalDocument.objects.get(proposal=proposal).is_ready
        children = psutil.Process(worker.pid).children(recursive=True)
        assert len(children) == 1, children
        victim = children[0].pid
        os.kill(victim, signal.SIGKILL)

        def finished():
            row = job_state(world, job["id"])
            return row if row.is_finished else None

        row = wait_for(finished, timeout=120)
    finally:
        log = stop_worker(worker)

    assert "WorkerLostError" in log or "SIGKILL" in log, log[-3000:]
    assert row.status == JobStatus.SUCCEEDED, row.error
    assert row.deliveries == 2  # the killed delivery and the one that finished
    with world.context():
        documents = list(ProposalDocument.objects.filter(proposal=proposal))
    assert len(documents) == 1 and documents[0].is_ready
    assert default_storage.listdir(f"org/{world.id}/proposals")[1] == [
        documents[0].file_path.rsplit("/", 1)[-1]
    ]
    assert read_bytes(documents[0].file_path).startswith(b"%PDF-")
