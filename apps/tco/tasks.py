"""Celery task of analyses: ids in, one service call (apps.tco.services.analysis_run)."""

from __future__ import annotations

from apps.jobs.tasks import JobRun, job_task

from .services import TASK_NAME, analysis_run


# The engine takes well under a second at 10,000 trials; the limits stop a runaway
# simulation (up to 10^6 trials) with a readable reason instead of holding a worker.
@job_task(TASK_NAME, soft_time_limit=60, time_limit=90)
def run_analysis(run: JobRun, *, analysis_id: int) -> None:
    analysis_run(
        analysis_id=int(analysis_id), organization_id=run.organization_id, progress=run.progress
    )
