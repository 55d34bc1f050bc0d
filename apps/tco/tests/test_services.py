"""Analyses against the database: request, run (idempotent), status mirrored from the job."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from apps.assessments.models import AssessmentVersion
from apps.core.errors import ApplicationError
from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_claim, job_fail
from apps.pricing.selectors import pricing_tier_list_active
from apps.tco import engine
from apps.tco.models import Analysis, AnalysisStatus
from apps.tco.services import analysis_request, analysis_run
from apps.tco.tasks import run_analysis
from apps.tco.testing import complete_answers, make_assessment

pytestmark = pytest.mark.django_db


def tier_named(name: str):
    return next(t for t in pricing_tier_list_active() if t.name == name)


def run_now(world, analysis: Analysis) -> str:
    """The Celery task, executed in this process (claim → body → succeed)."""
    return run_analysis.apply(
        kwargs={"job_id": analysis.job_id, "organization_id": world.id, "analysis_id": analysis.id}
    ).get()


def test_request_creates_one_analysis_and_one_job_per_active_tier(
    world, django_capture_on_commit_callbacks
):
    assessment = make_assessment(world)
    with world.context(), django_capture_on_commit_callbacks() as callbacks:
        analyses = analysis_request(assessment=assessment, user=world.salesperson)
    # Given three active tiers, when all are requested: three analyses, one group, one seed,
    # one job each, and the tasks are sent only after the commit.
    assert len(analyses) == 3
    assert len({a.group for a in analyses}) == 1
    assert len({a.seed for a in analyses}) == 1
    assert len(callbacks) == 3
    with world.context():
        jobs = Job.objects.filter(id__in=[a.job_id for a in analyses])
        assert {j.kind for j in jobs} == {"analysis"}
        assert {j.task_name for j in jobs} == {"tco.run_analysis"}
        assert sorted(j.params["analysis_id"] for j in jobs) == sorted(a.id for a in analyses)
        assert all(a.status == AnalysisStatus.QUEUED and a.trials == 10_000 for a in analyses)
        version = AssessmentVersion.objects.get()
        assert {a.assessment_version_id for a in analyses} == {version.id}
        assert version.answers == assessment.answers


def test_request_for_chosen_tiers_and_a_second_request_reuses_the_version(world):
    assessment = make_assessment(world)
    with world.context():
        first = analysis_request(
            assessment=assessment, user=world.salesperson, tiers=[tier_named("Premium")]
        )
        second = analysis_request(
            assessment=assessment, user=world.salesperson, tiers=[tier_named("Premium")]
        )
        assert [a.pricing_tier_version.name for a in first] == ["Premium"]
        assert first[0].assessment_version_id == second[0].assessment_version_id
        assert first[0].group != second[0].group
        assert AssessmentVersion.objects.count() == 1


def test_request_refuses_an_incomplete_assessment_and_creates_nothing(world):
    answers = complete_answers()
    del answers["company"]["users"]
    assessment = make_assessment(world, answers=answers)
    with world.context():
        with pytest.raises(ApplicationError) as caught:
            analysis_request(assessment=assessment, user=world.salesperson)
        assert list(caught.value.extra) == ["assessment"]
        assert any("Users" in m for m in caught.value.extra["assessment"])
        assert not Analysis.objects.exists()
        assert not Job.objects.exists()
        assert not AssessmentVersion.objects.exists()


def test_request_reports_each_bad_override_by_field(world):
    assessment = make_assessment(world)
    with world.context():
        with pytest.raises(ApplicationError) as caught:
            analysis_request(
                assessment=assessment,
                user=world.salesperson,
                overrides={
                    "tickets.reduction": {"value": 1.2, "reason": "All gone"},
                    "outages.reduction": {"value": 0.6},
                },
            )
        assert caught.value.extra == {
            "overrides.outages.reduction": ["a reason is required for every override"]
        }
        with pytest.raises(ApplicationError) as caught:
            analysis_request(
                assessment=assessment,
                user=world.salesperson,
                overrides={"tickets.reduction": {"value": 1.2, "reason": "All gone"}},
            )
        assert caught.value.extra == {"overrides.tickets.reduction": ["must be in [0, 1)"]}
        assert not Analysis.objects.exists()


def test_run_stores_inputs_sources_result_engine_version_and_seed(world):
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            overrides={"outages.reduction": {"value": 0.55, "reason": "Monitoring in place"}},
            trials=2000,
        )
    progress: list[int] = []
    assert (
        analysis_run(
            analysis_id=analysis.id,
            organization_id=world.id,
            progress=lambda pct, msg: progress.append(pct),
        )
        == "stored"
    )
    with world.context():
        analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUCCEEDED
    assert analysis.engine_version == engine.ENGINE_VERSION
    assert analysis.inputs["simulation"]["seed"] == analysis.seed
    assert analysis.result["simulation"]["seed"] == analysis.seed
    assert analysis.result["simulation"]["trials"] == 2000
    assert analysis.result == {
        **engine.compute(analysis.inputs),
        "simulation": analysis.result["simulation"],
    }
    assert analysis.input_sources["outages.reduction"]["source"] == "override"
    assert analysis.input_sources["outages.reduction"]["by"] == world.salesperson.id
    assert analysis.input_sources["environment.users"]["source"] == "assessment"
    assert analysis.summary["savings"] == analysis.result["present_value"]["savings"]
    assert sum(analysis.result["simulation"]["histogram"]["counts"]) > 0
    assert progress == sorted(progress) and progress[0] == 5 and progress[-1] == 95
    assert analysis.completions == 1


def test_same_seed_across_tiers_gives_common_random_numbers(world):
    assessment = make_assessment(world)
    with world.context():
        analyses = analysis_request(assessment=assessment, user=world.salesperson, trials=1000)
    for analysis in analyses:
        run_now(world, analysis)
    with world.context():
        stored = Analysis.objects.filter(group=analyses[0].group)
        seeds = {a.result["simulation"]["seed"] for a in stored}
    assert seeds == {analyses[0].seed}


def test_running_twice_stores_the_result_once(world):
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=500,
        )
    assert run_now(world, analysis) == "succeeded"
    with world.context():
        first = Analysis.objects.get(id=analysis.id)
    # A redelivered message of a finished job is a no-op at the job level...
    assert run_now(world, analysis) == "finished"
    # ...and the body itself refuses to store a second result.
    again = analysis_run(
        analysis_id=analysis.id, organization_id=world.id, progress=lambda *a: None
    )
    assert again == "already stored"
    with world.context():
        stored = Analysis.objects.get(id=analysis.id)
        job = Job.objects.get(id=analysis.job_id)
    assert stored.completions == 1
    assert stored.result == first.result
    assert stored.finished_at == first.finished_at
    assert (job.status, job.progress, job.deliveries) == (JobStatus.SUCCEEDED, 100, 1)


def test_the_database_refuses_a_second_completion(world):
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=500,
        )
        Analysis.objects.filter(id=analysis.id).update(completions=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Analysis.objects.filter(id=analysis.id).update(completions=2)


def test_engine_refusal_fails_the_job_and_the_analysis_with_a_readable_reason(world):
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=500,
        )
        # The stored overrides are checked at request time; one slipped in afterwards (a bug
        # or a hand edit) must fail the job cleanly, not crash the worker.
        Analysis.objects.filter(id=analysis.id).update(
            overrides={"tickets.reduction": {"value": 3, "reason": "x"}}
        )
    assert run_now(world, analysis) == "failed"
    with world.context():
        analysis.refresh_from_db()
        job = Job.objects.get(id=analysis.job_id)
    assert job.status == JobStatus.FAILED
    assert "tickets.reduction: must be in [0, 1)" in job.error
    assert analysis.status == AnalysisStatus.FAILED
    assert analysis.error == job.error
    assert analysis.result is None


def test_a_job_given_up_after_too_many_deliveries_fails_its_analysis(world, settings):
    settings.JOB_MAX_DELIVERIES = 2
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=500,
        )
        # Two deliveries died in the worker (claimed, never finished); the third gives up.
        assert job_claim(job_id=analysis.job_id).job is not None
        assert job_claim(job_id=analysis.job_id).job is not None
        claim = job_claim(job_id=analysis.job_id)
        assert claim.job is None and claim.reason == "too many deliveries"
        analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.FAILED
    assert "Gave up after 2 attempts" in analysis.error


def test_job_fail_is_mirrored_but_never_undoes_a_stored_result(world):
    assessment = make_assessment(world)
    with world.context():
        (analysis,) = analysis_request(
            assessment=assessment,
            user=world.salesperson,
            tiers=[tier_named("Standard")],
            trials=500,
        )
    run_now(world, analysis)
    with world.context():
        job_fail(job_id=analysis.job_id, error="late failure")
        analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUCCEEDED
    assert analysis.result is not None
