"""Reads of assessments, their versions and the custom questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from . import schema
from .models import Assessment, AssessmentVersion, CustomQuestion


def assessment_missing_for_analysis(answers: Mapping[str, Any] | None) -> list[str]:
    """Labels of the questions an analysis needs that are still unanswered ([] = ready)."""
    return schema.missing_for_analysis(answers)


def assessment_list(
    *, client_id: int | None = None, status: str | None = None
) -> QuerySet[Assessment]:
    queryset = Assessment.objects.select_related("client", "current_version", "created_by")
    if client_id is not None:
        queryset = queryset.filter(client_id=client_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def assessment_list_for_client(*, client_id: int) -> QuerySet[Assessment]:
    return assessment_list(client_id=client_id)


def assessment_get(*, assessment_id: int) -> Assessment | None:
    return (
        Assessment.objects.select_related("client", "current_version")
        .filter(id=assessment_id)
        .first()
    )


def assessment_version_get(version_id: int) -> AssessmentVersion | None:
    """One frozen version of an assessment (None when not in this tenant)."""
    return (
        AssessmentVersion.objects.select_related("assessment", "assessment__client")
        .filter(id=version_id)
        .first()
    )


def assessment_version_list(*, assessment_id: int) -> QuerySet[AssessmentVersion]:
    return AssessmentVersion.objects.filter(assessment_id=assessment_id).select_related(
        "created_by"
    )


def custom_question_list(*, include_archived: bool = False) -> QuerySet[CustomQuestion]:
    queryset = CustomQuestion.objects.all()
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset


def custom_question_get(*, question_id: int) -> CustomQuestion | None:
    return CustomQuestion.objects.filter(id=question_id).first()


def custom_questions_by_section() -> dict[str, list[CustomQuestion]]:
    grouped: dict[str, list[CustomQuestion]] = {key: [] for key in schema.SECTION_KEYS}
    for question in custom_question_list():
        grouped.setdefault(question.section, []).append(question)
    return grouped


def custom_answers_for_appendix(version: AssessmentVersion) -> list[dict[str, Any]]:
    """The custom questions answered in a version, with their wording then: for proposals.

    [{"label", "kind", "section", "answer"}] in section order, unanswered ones left out.
    """
    answers = (version.answers or {}).get(schema.CUSTOM) or {}
    order = {key: i for i, key in enumerate(schema.SECTION_KEYS)}
    rows = []
    for question_id, definition in (version.custom_questions or {}).items():
        value = answers.get(str(question_id))
        if schema.is_empty(value):
            continue
        rows.append({**definition, "id": int(question_id), "answer": value})
    rows.sort(key=lambda r: (order.get(r["section"], 99), r["id"]))
    return rows


def assessment_missing_for_completion(assessment: Assessment) -> list[str]:
    """What stops marking the assessment complete: analysis needs, required custom questions
    and values typed that did not validate."""
    answers = assessment.answers or {}
    missing = schema.missing_for_analysis(answers)
    custom = answers.get(schema.CUSTOM) or {}
    for question in custom_question_list().filter(required=True):
        if schema.is_empty(custom.get(str(question.id))):
            section = schema.section_get(question.section)
            title = section.title if section else question.section
            missing.append(f"{title}: {question.label}")
    for section_key, values in (assessment.draft_values or {}).items():
        for key in values or {}:
            f = schema.field_get(f"{section_key}.{key}")
            label = f.label if f else key
            missing.append(f"Fix the value of “{label}”")
    return missing
