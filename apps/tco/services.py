"""Analyses: request (validate, snapshot, one job per tier), run (the task body), status mirror."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.jobs.models import JobStatus
from apps.jobs.services import job_create
from apps.tenancy.context import tenant_context

from . import engine
from .histogram import savings_histogram
from .inputs_builder import build_inputs, engine_errors_by_field, validate_overrides
from .models import Analysis, AnalysisStatus
from .presentation import headline

logger = logging.getLogger(__name__)

JOB_KIND = "analysis"
TASK_NAME = "tco.run_analysis"
DEFAULT_TRIALS = 10_000


# --- request -------------------------------------------------------------------------------


def _tier_versions(*, tier_versions: Iterable[Any] | None, tiers: Iterable[Any] | None) -> list:
    """The tier versions to analyse: given versions, the current versions of given tiers, or
    the current versions of every active tier."""
    from apps.pricing.selectors import pricing_tier_list_active

    if tier_versions:
        versions = list(tier_versions)
    else:
        chosen = list(tiers) if tiers else list(pricing_tier_list_active())
        if not chosen:
            raise ApplicationError(
                "There is no active pricing tier to analyse.",
                extra={"tiers": ["Create or reactivate a pricing tier first."]},
            )
        missing = [t.name for t in chosen if t.current_version_id is None]
        if missing:
            raise ApplicationError(
                "A pricing tier has no price yet.",
                extra={"tiers": [f"{name} has no current version." for name in missing]},
            )
        versions = [t.current_version for t in chosen]
    seen: set[int] = set()
    unique = []
    for version in versions:
        if version.id not in seen:
            seen.add(version.id)
            unique.append(version)
    return unique


def _assumption_version():
    from apps.pricing.selectors import assumption_set_default

    assumption_set = assumption_set_default()
    if assumption_set is None or assumption_set.current_version_id is None:
        raise ApplicationError(
            "The organisation has no default assumption set.",
            extra={"assumptions": ["An admin must set up the default assumptions first."]},
        )
    return assumption_set.current_version


def _trials(trials: Any, assumption_values: Mapping[str, Any]) -> int:
    if trials is None:
        entry = assumption_values.get("simulation.trials") or {}
        trials = entry.get("value") if isinstance(entry, Mapping) else None
    if trials is None:
        return DEFAULT_TRIALS
    if isinstance(trials, bool) or not isinstance(trials, int | float) or trials != int(trials):
        raise ApplicationError(
            "Invalid number of trials.", extra={"trials": ["must be a whole number"]}
        )
    return int(trials)


def analysis_inputs_check(
    *,
    answers: Mapping[str, Any],
    tier_versions: list,
    assumption_values: Mapping[str, Any],
    overrides: Mapping[str, Any],
    trials: int,
) -> dict[str, list[str]]:
    """Field errors of the engine inputs each tier would get (empty when all are valid)."""
    errors: dict[str, list[str]] = {}
    for version in tier_versions:
        doc, sources = build_inputs(
            answers, version, assumption_values, overrides, trials=trials, seed=0
        )
        try:
            engine.validate(doc)
        except engine.EngineInputError as exc:
            for field, messages in engine_errors_by_field(exc.errors, sources).items():
                if field == "inputs.simulation.trials":
                    field = "trials"
                for message in messages:
                    if message not in errors.get(field, []):
                        errors.setdefault(field, []).append(message)
    return errors


def analysis_request(
    *,
    assessment: Any,
    user: Any,
    tier_versions: Iterable[Any] | None = None,
    tiers: Iterable[Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
    trials: int | None = None,
) -> list[Analysis]:
    """Start one analysis per tier (all sharing a `group` and a seed), each with its own Job.

    Validates everything first (missing answers, overrides, the engine's input rules) and raises
    ApplicationError with field messages, so nothing is created for a bad request. Then takes a
    snapshot of the assessment (a new AssessmentVersion only if the answers changed) and
    creates the analyses and their jobs; the tasks are enqueued when the transaction commits.
    One job per analysis: each tier runs, fails and reports progress on its own.
    """
    from apps.assessments.selectors import assessment_missing_for_analysis
    from apps.assessments.services import assessment_version_snapshot

    missing = assessment_missing_for_analysis(assessment.answers or {})
    if missing:
        raise ApplicationError(
            "The assessment is missing answers the analysis needs.",
            extra={"assessment": [f"{label} is required." for label in missing]},
        )
    versions = _tier_versions(tier_versions=tier_versions, tiers=tiers)
    assumption_version = _assumption_version()
    clean, errors = validate_overrides(overrides)
    if errors:
        raise ApplicationError("Some overrides are not valid.", extra=errors)
    n_trials = _trials(trials, assumption_version.values or {})
    errors = analysis_inputs_check(
        answers=assessment.answers or {},
        tier_versions=versions,
        assumption_values=assumption_version.values or {},
        overrides=clean,
        trials=n_trials,
    )
    if errors:
        raise ApplicationError("The analysis inputs are not valid.", extra=errors)

    for entry in clean.values():
        entry["by"] = getattr(user, "id", None)
    with transaction.atomic():
        snapshot = assessment_version_snapshot(assessment=assessment, user=user)
        group = uuid.uuid4()
        # Shared by the tiers: common random numbers. Below 2^53 so the seed survives any JSON
        # reader (and the engine's float-based validation) exactly.
        seed = secrets.randbits(53)
        analyses = []
        for version in versions:
            analysis = Analysis.objects.create(
                client_id=assessment.client_id,
                assessment_version=snapshot,
                pricing_tier_version=version,
                assumption_set_version=assumption_version,
                overrides=clean,
                group=group,
                seed=seed,
                trials=n_trials,
                created_by=user,
            )
            analysis.job = job_create(
                kind=JOB_KIND,
                task_name=TASK_NAME,
                params={"analysis_id": analysis.id},
                created_by=user,
            )
            analysis.save(update_fields=["job", "updated_at"])
            analyses.append(analysis)
    return analyses


# --- run (the task's body) -------------------------------------------------------------------


class _Progress:
    """Engine progress (0–100) → the job row, mapped into [low, high], without repeats."""

    def __init__(self, report: Callable[[int, str], None], low: int, high: int, message: str):
        self.report, self.low, self.high, self.message = report, low, high, message
        self.last = -1

    def __call__(self, percent: int) -> None:
        value = self.low + (self.high - self.low) * max(0, min(100, int(percent))) // 100
        if value != self.last:
            self.last = value
            self.report(value, self.message)


def analysis_run(
    *, analysis_id: int, organization_id: int, progress: Callable[[int, str], None]
) -> str:
    """Build the inputs, run the engine and store the result, at most once per analysis.

    Safe to run twice (a redelivered task): a stored result is never overwritten, and the
    result is written under a row lock that re-checks it. The engine runs outside any
    transaction, so the progress updates are visible while it works.
    """
    with tenant_context(organization_id):
        analysis = (
            Analysis.objects.select_related(
                "assessment_version", "pricing_tier_version__tier", "assumption_set_version"
            )
            .filter(id=analysis_id)
            .first()
        )
        if analysis is None:
            raise ApplicationError("The analysis no longer exists.")
        if analysis.result is not None:
            return "already stored"
        doc, sources = build_inputs(
            analysis.assessment_version.answers or {},
            analysis.pricing_tier_version,
            analysis.assumption_set_version.values or {},
            analysis.overrides or {},
            trials=analysis.trials,
            seed=analysis.seed,
        )
        Analysis.objects.filter(id=analysis_id, result__isnull=True).update(
            status=AnalysisStatus.RUNNING,
            inputs=doc,
            input_sources=sources,
            error="",
            updated_at=timezone.now(),
        )
    progress(5, "Inputs ready")
    result = engine.compute(
        doc,
        progress=_Progress(progress, 5, 95, f"Simulating {analysis.trials:,} possible futures"),
    )
    if result.get("simulation"):
        simulation = result["simulation"]
        if "histogram" not in simulation:
            simulation["histogram"] = savings_histogram(
                doc, trials=simulation["trials"], seed=simulation["seed"]
            )
    with tenant_context(organization_id):
        locked = Analysis.objects.select_for_update().filter(id=analysis_id).first()
        if locked is None:
            raise ApplicationError("The analysis was deleted while it ran.")
        if locked.result is not None:
            return "already stored"
        locked.result = result
        locked.summary = headline(result)
        locked.engine_version = result.get("engine_version") or engine.ENGINE_VERSION
        locked.status = AnalysisStatus.SUCCEEDED
        locked.finished_at = timezone.now()
        locked.completions += 1
        locked.error = ""
        locked.save(
            update_fields=[
                "result",
                "summary",
                "engine_version",
                "status",
                "finished_at",
                "completions",
                "error",
                "updated_at",
            ]
        )
    return "stored"


# --- status mirror ---------------------------------------------------------------------------


def analysis_sync_job_status(*, job_id: int, status: str, error: str = "") -> None:
    """Mirror a finished job on its analysis (inside the job's tenant context).

    Covers every way a job ends: a failure in the body, a failure after retries, and a job
    given up after too many deliveries, where the body never ran.
    """
    if status == JobStatus.FAILED:
        Analysis.objects.filter(job_id=job_id, result__isnull=True).update(
            status=AnalysisStatus.FAILED,
            error=error,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    elif status == JobStatus.SUCCEEDED:
        Analysis.objects.filter(job_id=job_id, result__isnull=False).exclude(
            status=AnalysisStatus.SUCCEEDED
        ).update(status=AnalysisStatus.SUCCEEDED, updated_at=timezone.now())


def on_job_finished(
    sender: Any, *, job_id: int, kind: str, status: str, error: str = "", **_: Any
) -> None:
    if kind == JOB_KIND:
        analysis_sync_job_status(job_id=job_id, status=status, error=error)
