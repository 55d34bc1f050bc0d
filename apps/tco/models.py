"""Stored TCO analyses: the inputs, where each came from, the engine's result, and its job."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from apps.tenancy.models import TenantModel


class AnalysisStatus(models.TextChoices):
    """Mirrors the job's status (apps.jobs.models.JobStatus)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Analysis(TenantModel):
    """One TCO run: an assessment version × a pricing-tier version × an assumption-set version.

    Everything it depends on is an immutable version, so the stored `inputs`, `result`,
    `engine_version` and `seed` reproduce the figures exactly. Analyses started together for a
    tier comparison share a `group` (and a seed: common random numbers across tiers).
    """

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="analyses")
    assessment_version = models.ForeignKey(
        "assessments.AssessmentVersion", on_delete=models.PROTECT, related_name="analyses"
    )
    pricing_tier_version = models.ForeignKey(
        "pricing.PricingTierVersion", on_delete=models.PROTECT, related_name="analyses"
    )
    assumption_set_version = models.ForeignKey(
        "pricing.AssumptionSetVersion", on_delete=models.PROTECT, related_name="analyses"
    )
    # {path: {"value": v, "reason": text, "by": user_id}}
    overrides = models.JSONField(default=dict, blank=True)
    group = models.UUIDField(default=uuid.uuid4, db_index=True)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    trials = models.PositiveIntegerField(default=10_000)
    seed = models.BigIntegerField()
    inputs = models.JSONField(null=True, blank=True)  # the engine input document
    input_sources = models.JSONField(null=True, blank=True)  # {path: {value, source, detail}}
    result = models.JSONField(null=True, blank=True)  # the engine output document
    # The headline figures of `result`, small enough for lists (which defer the documents).
    summary = models.JSONField(default=dict, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    # How many times a result was stored: exactly once, however often the task was delivered.
    completions = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name_plural = "analyses"
        indexes = [
            models.Index(
                fields=["organization", "client", "-created_at"], name="analysis_org_client"
            ),
            models.Index(fields=["organization", "status"], name="analysis_org_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "job"], name="analysis_unique_job"),
            models.CheckConstraint(
                condition=models.Q(completions__lte=1), name="analysis_completes_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Analysis #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (AnalysisStatus.SUCCEEDED, AnalysisStatus.FAILED)

    @property
    def savings(self) -> float | None:
        """Present-value savings of Managed Services, when the result is in."""
        if not self.result:
            return None
        return self.result.get("present_value", {}).get("savings")
