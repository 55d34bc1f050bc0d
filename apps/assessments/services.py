"""Writes of assessments, their versions and custom questions."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.errors import ApplicationError

from . import schema
from .models import (
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    CustomQuestion,
    QuestionKind,
)
from .selectors import assessment_missing_for_completion, custom_question_list

CUSTOM_NUMBER_LIMIT = Decimal("1000000000000")


# --- Custom answers ------------------------------------------------------------------------------


def custom_value_clean(question: CustomQuestion, raw: Any) -> tuple[Any, str | None]:
    """Parse one answer to a custom question; empty means unanswered."""
    if isinstance(raw, str):
        raw = raw.strip()
    if schema.is_empty(raw):
        return None, None
    if question.kind == QuestionKind.NUMBER:
        if isinstance(raw, bool):
            return None, "Enter a number."
        try:
            number = Decimal(str(raw).replace(",", ""))
        except (InvalidOperation, ValueError):
            return None, "Enter a number."
        if not number.is_finite() or abs(number) > CUSTOM_NUMBER_LIMIT:
            return None, "Enter a number below 10^12."
        return schema._json_number(number), None
    if question.kind == QuestionKind.BOOL:
        value, error = schema.clean_value(schema.Field("x", "x", schema.BOOL), raw)
        return value, error
    if question.kind == QuestionKind.CHOICE:
        if raw not in (question.choices or []):
            return None, "Choose one of the options."
        return raw, None
    if not isinstance(raw, str):
        return None, "Enter text."
    if len(raw) > 2000:
        return None, "At most 2000 characters."
    return raw, None


# --- Assessments ---------------------------------------------------------------------------------


def _validate_meta(title: Any, assessed_on: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if title is not None:
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            errors["title"] = ["This field is required."]
        elif len(title) > 200:
            errors["title"] = ["At most 200 characters."]
        else:
            clean["title"] = title
    if assessed_on is not None:
        if isinstance(assessed_on, dt.date):
            clean["assessed_on"] = assessed_on
        else:
            try:
                clean["assessed_on"] = dt.date.fromisoformat(str(assessed_on))
            except ValueError:
                errors["assessed_on"] = ["Enter a date (YYYY-MM-DD)."]
    return clean, errors


def _strict_answers(answers: Any) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Validate an answers document (partial, by section). Returns (clean, nested errors)."""
    if not isinstance(answers, dict):
        return {}, {"non_field_errors": ["Give the answers by section."]}
    clean: dict[str, dict[str, Any]] = {}
    errors: dict[str, Any] = {}
    questions = {str(q.id): q for q in custom_question_list()}
    for section_key, data in answers.items():
        if section_key == schema.CUSTOM:
            if not isinstance(data, dict):
                errors[section_key] = ["Give the answers by question id."]
                continue
            section_clean: dict[str, Any] = {}
            section_errors: dict[str, list[str]] = {}
            for question_id, raw in data.items():
                question = questions.get(str(question_id))
                if question is None:
                    section_errors[str(question_id)] = ["Unknown question."]
                    continue
                value, error = custom_value_clean(question, raw)
                if error:
                    section_errors[str(question_id)] = [error]
                else:
                    section_clean[str(question_id)] = value
        elif schema.section_get(section_key) is None:
            errors[section_key] = ["Unknown section."]
            continue
        elif not isinstance(data, dict):
            errors[section_key] = ["Give the answers of this section by question."]
            continue
        else:
            section_clean, flat = schema.validate_section(section_key, data)
            section_errors = {key: [message] for key, message in flat.items()}
        if section_errors:
            errors[section_key] = section_errors
        clean[section_key] = section_clean
    return clean, errors


def _merge(target: dict[str, Any], section_key: str, values: dict[str, Any]) -> None:
    section = dict(target.get(section_key) or {})
    for key, value in values.items():
        if schema.is_empty(value):
            section.pop(key, None)
        else:
            section[key] = value
    if section:
        target[section_key] = section
    else:
        target.pop(section_key, None)


def _drop_drafts(drafts: dict[str, Any], section_key: str, keys: list[str]) -> None:
    section = dict(drafts.get(section_key) or {})
    for key in keys:
        section.pop(key, None)
    if section:
        drafts[section_key] = section
    else:
        drafts.pop(section_key, None)


def _reconsider_status(assessment: Assessment) -> None:
    # A complete assessment that lost a required answer is a draft again.
    if assessment.status == AssessmentStatus.COMPLETE and assessment_missing_for_completion(
        assessment
    ):
        assessment.status = AssessmentStatus.DRAFT


def _default_answers() -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for section, f in schema.iter_fields():
        if f.default is not None:
            answers.setdefault(section.key, {})[f.key] = f.default
    return answers


@transaction.atomic
def assessment_create(
    *,
    client,
    user,
    title: str | None = None,
    assessed_on: dt.date | str | None = None,
    answers: dict[str, Any] | None = None,
) -> Assessment:
    """Start an assessment of `client` (defaults filled in: 2080 hours, a 12-month history)."""
    if client is None or getattr(client, "archived_at", None) is not None:
        raise ApplicationError(
            "Choose an active client.", extra={"client": ["Choose an active client."]}
        )
    meta, errors = _validate_meta(
        title if title is not None else f"Assessment of {client.name}",
        assessed_on if assessed_on is not None else timezone.localdate(),
    )
    clean, answer_errors = _strict_answers(answers or {})
    if answer_errors:
        errors["answers"] = answer_errors
    if errors:
        raise ApplicationError("The assessment is not valid.", extra=errors)
    document = _default_answers()
    for section_key, values in clean.items():
        _merge(document, section_key, values)
    return Assessment.objects.create(
        client=client,
        title=meta["title"],
        assessed_on=meta["assessed_on"],
        answers=document,
        created_by=user,
    )


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    user,
    title: str | None = None,
    assessed_on: dt.date | str | None = None,
    answers: dict[str, Any] | None = None,
) -> Assessment:
    """Change an assessment all-or-nothing (the API): any invalid field refuses the change.

    `answers` is partial, by section; a value of null clears that answer.
    """
    assessment = Assessment.objects.select_for_update().get(id=assessment.id)
    meta, errors = _validate_meta(title, assessed_on)
    clean, answer_errors = _strict_answers(answers or {})
    if answer_errors:
        errors["answers"] = answer_errors
    if errors:
        raise ApplicationError("The assessment is not valid.", extra=errors)
    for key, value in meta.items():
        setattr(assessment, key, value)
    document = copy.deepcopy(assessment.answers or {})
    drafts = copy.deepcopy(assessment.draft_values or {})
    for section_key, values in clean.items():
        _merge(document, section_key, values)
        _drop_drafts(drafts, section_key, list(values))
    assessment.answers = document
    assessment.draft_values = drafts
    _reconsider_status(assessment)
    assessment.save()
    return assessment


@dataclass
class SectionSave:
    """The outcome of an autosave: what was kept, and what was refused (raw value kept)."""

    assessment: Assessment
    saved: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def assessment_save_section(
    *,
    assessment: Assessment,
    section: str,
    values: dict[str, Any],
    user,
    custom: dict[str, Any] | None = None,
) -> SectionSave:
    """Autosave one section field by field: valid values are stored, invalid ones are kept raw
    in `draft_values` with their error, and nothing else is touched.

    `values`: {field key: raw value}; `custom`: {question id: raw value} for the custom
    questions shown in this section.
    """
    if schema.section_get(section) is None:
        raise ApplicationError("Unknown section.", extra={"section": ["Unknown section."]})
    assessment = Assessment.objects.select_for_update().get(id=assessment.id)
    document = copy.deepcopy(assessment.answers or {})
    drafts = copy.deepcopy(assessment.draft_values or {})
    outcome = SectionSave(assessment=assessment)

    clean, errors = schema.validate_section(section, values)
    errors = {k: v for k, v in errors.items() if schema.section_get(section).field(k)}
    _merge(document, section, clean)
    _drop_drafts(drafts, section, list(clean))
    bad_raw = {k: values[k] for k in errors}
    if bad_raw:
        drafts[section] = {**(drafts.get(section) or {}), **bad_raw}
    outcome.saved.extend(clean)
    outcome.errors.update(errors)

    if custom:
        questions = {str(q.id): q for q in custom_question_list().filter(section=section)}
        custom_clean: dict[str, Any] = {}
        custom_bad: dict[str, Any] = {}
        for question_id, raw in custom.items():
            question = questions.get(str(question_id))
            if question is None:
                continue
            value, error = custom_value_clean(question, raw)
            if error:
                custom_bad[str(question_id)] = raw
                outcome.errors[f"custom_{question_id}"] = error
            else:
                custom_clean[str(question_id)] = value
        _merge(document, schema.CUSTOM, custom_clean)
        _drop_drafts(drafts, schema.CUSTOM, list(custom_clean))
        if custom_bad:
            drafts[schema.CUSTOM] = {**(drafts.get(schema.CUSTOM) or {}), **custom_bad}
        outcome.saved.extend(f"custom_{k}" for k in custom_clean)

    assessment.answers = document
    assessment.draft_values = drafts
    _reconsider_status(assessment)
    assessment.save(update_fields=["answers", "draft_values", "status", "updated_at"])
    return outcome


@transaction.atomic
def assessment_save_meta(*, assessment: Assessment, user, title: Any, assessed_on: Any) -> dict:
    """Autosave of the title and date; returns field errors (valid fields are saved)."""
    meta, errors = _validate_meta(title, assessed_on)
    if meta:
        for key, value in meta.items():
            setattr(assessment, key, value)
        assessment.save(update_fields=[*meta, "updated_at"])
    return errors


def _custom_definitions(answers: dict[str, Any]) -> dict[str, Any]:
    ids = [int(k) for k in (answers.get(schema.CUSTOM) or {}) if str(k).isdigit()]
    if not ids:
        return {}
    questions = CustomQuestion.objects.filter(id__in=ids)
    return {str(q.id): q.definition() for q in questions}


@transaction.atomic
def assessment_version_snapshot(*, assessment: Assessment, user) -> AssessmentVersion:
    """Freeze the current answers: the latest version when nothing changed, else a new one."""
    assessment = Assessment.objects.select_for_update().get(id=assessment.id)
    answers = copy.deepcopy(assessment.answers or {})
    definitions = _custom_definitions(answers)
    latest = assessment.versions.order_by("-number").first()
    if latest is not None and latest.answers == answers and latest.custom_questions == definitions:
        return latest
    number = (assessment.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = AssessmentVersion.objects.create(
        assessment=assessment,
        number=number,
        answers=answers,
        custom_questions=definitions,
        created_by=user,
    )
    assessment.current_version = version
    assessment.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def assessment_mark_complete(*, assessment: Assessment, user) -> AssessmentVersion:
    """Mark complete (every required answer given, nothing invalid) and freeze a version."""
    assessment = Assessment.objects.select_for_update().get(id=assessment.id)
    missing = assessment_missing_for_completion(assessment)
    if missing:
        raise ApplicationError("The assessment is not complete yet.", extra={"missing": missing})
    assessment.status = AssessmentStatus.COMPLETE
    assessment.save(update_fields=["status", "updated_at"])
    return assessment_version_snapshot(assessment=assessment, user=user)


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user) -> Assessment:
    """Back to draft; the versions already taken stay as they are."""
    assessment.status = AssessmentStatus.DRAFT
    assessment.save(update_fields=["status", "updated_at"])
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, user) -> None:
    """Delete a draft nobody refers to; once a version exists the assessment stays."""
    if assessment.versions.exists():
        raise ApplicationError(
            "This assessment has saved versions that analyses may use; it cannot be deleted."
        )
    assessment.delete()


# --- Custom questions ----------------------------------------------------------------------------


def _question_fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if "label" in data or not partial:
        label = data.get("label")
        label = label.strip() if isinstance(label, str) else ""
        if not label:
            errors["label"] = ["This field is required."]
        elif len(label) > 300:
            errors["label"] = ["At most 300 characters."]
        clean["label"] = label
    if "kind" in data or not partial:
        kind = data.get("kind", QuestionKind.TEXT)
        if kind not in QuestionKind.values:
            errors["kind"] = [f"Choose one of {', '.join(QuestionKind.values)}."]
        clean["kind"] = kind
    if "section" in data or not partial:
        section = data.get("section")
        if section not in schema.SECTION_KEYS:
            errors["section"] = ["Choose a section."]
        clean["section"] = section
    if "help_text" in data:
        help_text = data.get("help_text") or ""
        if not isinstance(help_text, str) or len(help_text) > 500:
            errors["help_text"] = ["Text of at most 500 characters."]
        clean["help_text"] = help_text.strip() if isinstance(help_text, str) else ""
    if "required" in data:
        if not isinstance(data["required"], bool):
            errors["required"] = ["Must be true or false."]
        clean["required"] = bool(data["required"])
    if "position" in data:
        position = data["position"]
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < 1000:
            errors["position"] = ["A whole number from 0 to 999."]
        clean["position"] = position
    if "choices" in data or not partial:
        choices = data.get("choices") or []
        if isinstance(choices, str):
            choices = [c.strip() for c in choices.splitlines()]
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            errors["choices"] = ["Give a list of options."]
        else:
            choices = [c.strip() for c in choices if c.strip()]
            if len(choices) > 50 or any(len(c) > 100 for c in choices):
                errors["choices"] = ["At most 50 options of 100 characters."]
            elif len(set(choices)) != len(choices):
                errors["choices"] = ["Options must differ."]
        clean["choices"] = choices
    if errors:
        raise ApplicationError("The question is not valid.", extra=errors)
    return clean


def _check_choices(kind: str, choices: list[str]) -> None:
    if kind == QuestionKind.CHOICE and len(choices) < 2:
        raise ApplicationError(
            "A choice question needs options.", extra={"choices": ["Give at least two options."]}
        )


@transaction.atomic
def custom_question_create(*, user, **data: Any) -> CustomQuestion:
    """Add one of the MSP's own questions to a section of every assessment."""
    clean = _question_fields(data, partial=False)
    _check_choices(clean["kind"], clean["choices"])
    if clean["kind"] != QuestionKind.CHOICE:
        clean["choices"] = []
    if "position" not in clean:
        clean["position"] = (
            CustomQuestion.objects.filter(section=clean["section"]).aggregate(p=Max("position"))[
                "p"
            ]
            or 0
        ) + 1
    return CustomQuestion.objects.create(**clean)


@transaction.atomic
def custom_question_update(*, question: CustomQuestion, user, **data: Any) -> CustomQuestion:
    """Change a question; versions already taken keep the wording they were answered with."""
    clean = _question_fields(data, partial=True)
    kind = clean.get("kind", question.kind)
    choices = clean.get("choices", question.choices or [])
    _check_choices(kind, choices)
    if kind != QuestionKind.CHOICE:
        clean["choices"] = []
    for key, value in clean.items():
        setattr(question, key, value)
    question.save()
    return question


def custom_question_archive(*, question: CustomQuestion, user=None) -> CustomQuestion:
    """Stop asking a question; answers already given stay in the assessments."""
    if question.archived_at is None:
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at", "updated_at"])
    return question
