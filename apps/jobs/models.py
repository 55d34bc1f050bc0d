"""The Job row: the user-visible state of long work (analyses, PDF renders)."""

from __future__ import annotations

from django.db import models

from apps.tenancy.models import TenantModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Job(TenantModel):
    """One unit of background work. Created in the request's transaction, enqueued on commit.

    The UI and API read progress from here; nobody reads Celery's result backend.
    """

    kind = models.CharField(max_length=40)
    task_name = models.CharField(max_length=100)
    # Keyword arguments for the task besides job_id and organization_id (ids only).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    deliveries = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(TenantModel.Meta):
        indexes = [
            models.Index(fields=["organization", "status", "enqueued_at"], name="job_org_status")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
