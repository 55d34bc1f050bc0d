from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_claim, job_create, job_requeue_stale


def test_a_running_job_silent_for_too_long_is_resent_and_a_live_one_is_not(
    world, django_capture_on_commit_callbacks
):
    with world.context():
        with django_capture_on_commit_callbacks():
            lost = job_create(kind="probe", task_name="tests.none")
            alive = job_create(kind="probe", task_name="tests.none")
        for job in (lost, alive):
            assert job_claim(job_id=job.id).job is not None
        silent_since = timezone.now() - timedelta(seconds=settings.JOB_STALE_RUNNING_SECONDS + 5)
        Job.objects.filter(id=lost.id).update(updated_at=silent_since)
        with django_capture_on_commit_callbacks() as callbacks:
            assert job_requeue_stale() == 1
        assert len(callbacks) == 1
        # The next delivery claims it again and counts it.
        claim = job_claim(job_id=lost.id)
        assert claim.job is not None and claim.job.deliveries == 2


def test_a_finished_job_is_never_run_again(world, django_capture_on_commit_callbacks):
    with world.context():
        with django_capture_on_commit_callbacks():
            job = job_create(kind="probe", task_name="tests.none")
        Job.objects.filter(id=job.id).update(status=JobStatus.SUCCEEDED)
        claim = job_claim(job_id=job.id)
        assert claim.job is None and claim.reason == "finished"


def test_a_job_whose_worker_keeps_dying_is_failed_with_a_reason(
    world, settings, django_capture_on_commit_callbacks
):
    settings.JOB_MAX_DELIVERIES = 2
    with world.context():
        with django_capture_on_commit_callbacks():
            job = job_create(kind="probe", task_name="tests.none")
        assert job_claim(job_id=job.id).job is not None
        assert job_claim(job_id=job.id).job is not None
        assert job_claim(job_id=job.id).reason == "too many deliveries"
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and "Gave up after 2 attempts" in job.error
