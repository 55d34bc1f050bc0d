"""The job task pattern, and the beat sweeper that re-enqueues jobs stuck in `queued`."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, connections

from apps.core.errors import ApplicationError
from apps.tenancy.context import TenantNotSetError, tenant_context

from .models import Job
from .services import job_claim, job_fail, job_progress, job_requeue_stale, job_succeed

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@dataclass
class JobRun:
    """What a job body gets: its row, its tenant, and a way to report progress."""

    job: Job
    organization_id: int

    @contextmanager
    def tenant(self) -> Iterator[None]:
        with tenant_context(self.organization_id):
            yield

    def progress(self, percent: int, message: str = "") -> None:
        with self.tenant():
            job_progress(job=self.job, progress=percent, message=message)


def readable_error(exc: BaseException) -> str:
    """What the user sees when a job fails: the domain message, or a plain generic one."""
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, SoftTimeLimitExceeded):
        return "The job took too long and was stopped. Try again, or with fewer trials."
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        lines = [f"{field}: {'; '.join(msgs)}" for field, msgs in sorted(errors.items())]
        return "The inputs are not valid:\n" + "\n".join(lines)
    return f"Unexpected error ({type(exc).__name__}). The details are in the worker log."


def job_task(name: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Turn `body(run: JobRun, **params)` into an idempotent, tenant-scoped Celery task.

    At-least-once delivery is assumed: the claim on the row makes a second delivery of a
    finished job a no-op. Transient database errors are retried with backoff; anything else
    fails the row with a readable reason and acknowledges the message (no poison loop).
    """
    max_retries = options.pop("max_retries", 3)

    def decorator(body: Callable[..., Any]) -> Any:
        @shared_task(
            name=name,
            bind=True,
            acks_late=True,
            reject_on_worker_lost=True,
            max_retries=max_retries,
            **options,
        )
        @functools.wraps(body)
        def task(self, *, job_id: int, organization_id: int | None = None, **params: Any) -> str:
            if organization_id is None:
                raise TenantNotSetError(f"{name} needs organization_id")
            organization_id = int(organization_id)
            with tenant_context(organization_id):
                claim = job_claim(job_id=job_id)
            if claim.job is None:
                return claim.reason
            run = JobRun(job=claim.job, organization_id=organization_id)
            try:
                body(run, **params)
            except TRANSIENT_ERRORS as exc:
                for conn in connections.all():
                    conn.close_if_unusable_or_obsolete()
                if self.request.retries < max_retries:
                    raise self.retry(
                        exc=exc, countdown=min(60, 2 ** (self.request.retries + 1))
                    ) from exc
                with tenant_context(organization_id):
                    job_fail(job_id=job_id, error="The database was unavailable; try again.")
                return "failed"
            except Exception as exc:
                logger.exception("Job %s (%s) failed", job_id, name)
                with tenant_context(organization_id):
                    job_fail(job_id=job_id, error=readable_error(exc))
                return "failed"
            with tenant_context(organization_id):
                job_succeed(job=run.job)
            return "succeeded"

        return task

    return decorator


def tenants_with_queued_jobs() -> list[int]:
    """Tenants that have queued jobs, read through a narrow SECURITY DEFINER function."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT organization_id FROM breakeven_tenants_with_queued_jobs()")
        return [row[0] for row in cursor.fetchall()]


@shared_task(name="jobs.requeue_stale", ignore_result=True)
def requeue_stale() -> int:
    """Beat: re-enqueue jobs left `queued` (e.g. Redis was down when they were created)."""
    total = 0
    for organization_id in tenants_with_queued_jobs():
        with tenant_context(organization_id):
            total += job_requeue_stale()
    if total:
        logger.info("Re-enqueued %s stale jobs", total)
    return total
