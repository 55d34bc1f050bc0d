"""The job machinery as analyses use it: enqueue on commit, sweeper, retries, limits, reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_requeue_stale
from apps.jobs.tasks import readable_error, requeue_stale
from apps.tco.services import analysis_request
from apps.tco.tasks import run_analysis

from .conftest import tier_named

pytestmark = pytest.mark.django_db


def test_no_task_is_sent_when_the_request_transaction_rolls_back(
    world, assessment, django_capture_on_commit_callbacks
):
    with world.context(), django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            analysis_request(assessment=assessment, user=world.salesperson)
            raise RuntimeError("the view failed after the service")
        assert not Job.objects.exists()
    assert callbacks == []


def test_the_sweeper_resends_jobs_left_queued_and_only_those(
    world, assessment, django_capture_on_commit_callbacks
):
    with world.context():
        analyses = analysis_request(assessment=assessment, user=world.salesperson)
        stale, _fresh, running = (a.job_id for a in analyses)
        old = timezone.now() - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS + 60)
        Job.objects.filter(id__in=[stale, running]).update(enqueued_at=old)
        Job.objects.filter(id=running).update(status=JobStatus.RUNNING)
        with django_capture_on_commit_callbacks() as callbacks:
            assert job_requeue_stale() == 1
        assert len(callbacks) == 1
        assert Job.objects.get(id=stale).enqueued_at > old
        assert Job.objects.get(id=running).enqueued_at == old


def test_the_beat_task_sweeps_every_tenant_with_queued_jobs(world, other_world, assessment):
    from apps.tco.testing import make_assessment

    theirs = make_assessment(other_world)
    old = timezone.now() - timedelta(hours=1)
    for w, a in ((world, assessment), (other_world, theirs)):
        with w.context():
            (analysis,) = analysis_request(
                assessment=a, user=w.salesperson, tiers=[tier_named("Standard")]
            )
            Job.objects.filter(id=analysis.job_id).update(enqueued_at=old)
    assert requeue_stale.apply().get() == 2
    assert settings.CELERY_BEAT_SCHEDULE["requeue-stale-jobs"]["task"] == "jobs.requeue_stale"


def test_the_analysis_task_is_late_acked_requeued_on_worker_loss_and_time_limited():
    assert run_analysis.acks_late is True
    assert run_analysis.reject_on_worker_lost is True
    assert (run_analysis.soft_time_limit, run_analysis.time_limit) == (60, 90)
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    # Redis redelivers unacknowledged messages after the visibility timeout: it must exceed
    # the longest hard limit, or a running analysis would be handed out twice.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > run_analysis.time_limit


def test_failure_reasons_are_readable():
    assert readable_error(SoftTimeLimitExceeded()).startswith("The job took too long")
    assert readable_error(ApplicationError("The analysis no longer exists.")) == (
        "The analysis no longer exists."
    )
    from apps.tco import engine

    error = engine.EngineInputError({"tickets.reduction": ["must be in [0, 1)"]})
    assert (
        readable_error(error) == "The inputs are not valid:\ntickets.reduction: must be in [0, 1)"
    )
    assert readable_error(KeyError("x")) == (
        "Unexpected error (KeyError). The details are in the worker log."
    )
