"""Job lifecycle: create + enqueue on commit, claim (idempotent), progress, finish.

Tasks are delivered at least once (acks_late, reject on worker lost), so every step guards on
the row's state under a row lock: a second delivery of a finished job is a no-op, and a job
whose deliveries keep dying (out of memory, killed) is failed after JOB_MAX_DELIVERIES.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.tenancy.context import require_organization_id

from .models import Job, JobStatus
from .signals import job_finished

logger = logging.getLogger(__name__)


def _send(job_id: int, organization_id: int, task_name: str, params: dict[str, Any]) -> None:
    try:
        current_app.send_task(
            task_name, kwargs={"job_id": job_id, "organization_id": organization_id, **params}
        )
    except Exception:  # the broker is down: the row stays queued and the sweeper retries
        logger.exception("Could not enqueue job %s; the sweeper will retry", job_id)


def job_create(
    *, kind: str, task_name: str, params: dict[str, Any] | None = None, created_by=None
) -> Job:
    """Create the job row and enqueue its task once the surrounding transaction commits."""
    organization_id = require_organization_id()
    job = Job.objects.create(
        kind=kind,
        task_name=task_name,
        params=params or {},
        created_by=created_by,
        enqueued_at=timezone.now(),
    )
    transaction.on_commit(
        lambda: _send(job.id, organization_id, task_name, job.params), robust=True
    )
    return job


@dataclass
class Claim:
    job: Job | None
    reason: str = ""


def job_claim(*, job_id: int) -> Claim:
    """Mark the job running for this delivery; None job when it must not run."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(id=job_id).first()
        if job is None:
            logger.warning("Job %s does not exist in this tenant; ignoring the message", job_id)
            return Claim(None, "missing")
        if job.is_finished:
            return Claim(None, "finished")
        job.deliveries += 1
        if job.deliveries > settings.JOB_MAX_DELIVERIES:
            job.status = JobStatus.FAILED
            job.error = (
                f"Gave up after {job.deliveries - 1} attempts: the worker stopped each time "
                "(out of memory or killed)."
            )
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at", "deliveries", "updated_at"])
            _finished(job.id, job.kind, JobStatus.FAILED, job.error)
            return Claim(None, "too many deliveries")
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.error = ""
        job.save(update_fields=["status", "started_at", "deliveries", "error", "updated_at"])
        return Claim(job)


def job_progress(*, job: Job, progress: int, message: str = "") -> None:
    """Record progress in its own short transaction so pollers see it while work goes on."""
    progress = max(0, min(100, int(progress)))
    Job.objects.filter(id=job.id, status=JobStatus.RUNNING).update(
        progress=progress, message=message[:200], updated_at=timezone.now()
    )
    job.progress = progress


def _finished(job_id: int, kind: str, status: str, error: str = "") -> None:
    job_finished.send(sender=Job, job_id=job_id, kind=kind, status=status, error=error)


def job_succeed(*, job: Job, message: str = "Done") -> None:
    Job.objects.filter(id=job.id).update(
        status=JobStatus.SUCCEEDED,
        progress=100,
        message=message[:200],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    _finished(job.id, job.kind, JobStatus.SUCCEEDED)


def job_fail(*, job_id: int, error: str) -> None:
    updated = (
        Job.objects.filter(id=job_id)
        .exclude(status=JobStatus.SUCCEEDED)
        .update(
            status=JobStatus.FAILED,
            error=error[:2000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )
    if updated:
        kind = Job.objects.filter(id=job_id).values_list("kind", flat=True).first() or ""
        _finished(job_id, kind, JobStatus.FAILED, error[:2000])


def job_requeue_stale() -> int:
    """Enqueue again the active tenant's jobs whose message was lost.

    A job still `queued` after JOB_REQUEUE_AFTER_SECONDS never reached a worker (Redis was down
    when it was created). A job `running` with no progress for JOB_STALE_RUNNING_SECONDS (longer
    than any task's hard time limit and than the broker's visibility timeout) lost its worker
    and its message. A second delivery is harmless: the claim counts deliveries and a finished
    job is never run again.
    """
    organization_id = require_organization_id()
    now = timezone.now()
    queued_cutoff = now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    running_cutoff = now - timedelta(seconds=settings.JOB_STALE_RUNNING_SECONDS)
    stale = list(
        Job.objects.filter(
            Q(status=JobStatus.QUEUED, enqueued_at__lt=queued_cutoff)
            | Q(status=JobStatus.RUNNING, updated_at__lt=running_cutoff)
        ).order_by("id")[:500]
    )
    for job in stale:
        Job.objects.filter(id=job.id).update(enqueued_at=timezone.now())
        transaction.on_commit(
            lambda j=job: _send(j.id, organization_id, j.task_name, j.params), robust=True
        )
    return len(stale)
