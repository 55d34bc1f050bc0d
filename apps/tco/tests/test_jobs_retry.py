"""Transient database errors in a job: retried with backoff, then a readable failure.

Real commits (transactional_db): the retry path closes the broken connection, which would end
a test wrapped in one transaction.
"""

from __future__ import annotations

from django.db import OperationalError

from apps.jobs.models import JobStatus
from apps.jobs.services import job_create
from apps.jobs.tasks import job_task
from apps.tenancy.testing import make_world

ATTEMPTS: list[int] = []


@job_task("tests.flaky_job", max_retries=2)
def flaky_job(run, *, fail_times: int) -> None:
    """Fails with a transient database error `fail_times` times, then succeeds."""
    ATTEMPTS.append(run.job.deliveries)
    if len(ATTEMPTS) <= fail_times:
        raise OperationalError("server closed the connection unexpectedly")


def test_transient_database_errors_are_retried_then_the_job_succeeds(transactional_db):
    ATTEMPTS.clear()
    world = make_world()
    with world.context():
        job = job_create(kind="test", task_name="tests.flaky_job", params={"fail_times": 1})
    flaky_job.apply(kwargs={"job_id": job.id, "organization_id": world.id, "fail_times": 1})
    with world.context():
        job.refresh_from_db()
    assert ATTEMPTS == [1, 2]  # the retry is a new delivery of the same job
    assert job.status == JobStatus.SUCCEEDED


def test_a_job_that_keeps_hitting_transient_errors_fails_with_a_readable_reason(transactional_db):
    ATTEMPTS.clear()
    world = make_world()
    with world.context():
        job = job_create(kind="test", task_name="tests.flaky_job", params={"fail_times": 9})
    flaky_job.apply(kwargs={"job_id": job.id, "organization_id": world.id, "fail_times": 9})
    with world.context():
        job.refresh_from_db()
    assert len(ATTEMPTS) == 3  # the first try and max_retries=2
    assert job.status == JobStatus.FAILED
    assert job.error == "The database was unavailable; try again."
