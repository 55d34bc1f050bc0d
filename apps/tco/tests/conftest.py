"""Fixtures for the analyses tests."""

from __future__ import annotations

import pytest

from apps.jobs.models import Job, JobStatus
from apps.pricing.selectors import assumption_set_default, pricing_tier_list_active
from apps.tco.models import Analysis, AnalysisStatus
from apps.tco.services import analysis_request
from apps.tco.tasks import run_analysis
from apps.tco.testing import make_assessment


def tier_named(name: str):
    return next(t for t in pricing_tier_list_active() if t.name == name)


def finish(world, analysis: Analysis) -> Analysis:
    """Run an analysis' task in this process and return the stored row."""
    run_analysis.apply(
        kwargs={"job_id": analysis.job_id, "organization_id": world.id, "analysis_id": analysis.id}
    ).get()
    with world.context():
        return Analysis.objects.select_related(
            "job", "client", "assessment_version__assessment", "pricing_tier_version"
        ).get(id=analysis.id)


@pytest.fixture
def assessment(world):
    return make_assessment(world)


@pytest.fixture
def finished(world, assessment):
    """A finished Standard-tier analysis (2,000 trials)."""
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=2000,
        )
    return finish(world, analysis)


def make_rows(world, assessment, count: int) -> None:
    """`count` finished-looking analyses with jobs, written in bulk (for query-count guards)."""
    from apps.assessments.services import assessment_version_snapshot

    with world.context():
        version = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        tier = tier_named("Standard").current_version
        assumptions = assumption_set_default().current_version
        jobs = Job.objects.bulk_create(
            [
                Job(
                    organization_id=world.id,
                    kind="analysis",
                    task_name="tco.run_analysis",
                    status=JobStatus.SUCCEEDED,
                    progress=100,
                )
                for _ in range(count)
            ]
        )
        Analysis.objects.bulk_create(
            [
                Analysis(
                    organization_id=world.id,
                    client_id=assessment.client_id,
                    assessment_version=version,
                    pricing_tier_version=tier,
                    assumption_set_version=assumptions,
                    job=job,
                    status=AnalysisStatus.SUCCEEDED,
                    seed=1,
                    summary={"savings": 1000.0 + i, "payback_month": 12},
                    result={"present_value": {"savings": 1000.0 + i}},
                    created_by=world.salesperson,
                )
                for i, job in enumerate(jobs)
            ]
        )
