"""Assessment services: strict updates, lenient autosave, completion, versions."""

import pytest

from apps.assessments.demo import complete_answers
from apps.assessments.models import AssessmentStatus, AssessmentVersion
from apps.assessments.selectors import (
    assessment_missing_for_analysis,
    assessment_missing_for_completion,
    custom_answers_for_appendix,
)
from apps.assessments.services import (
    assessment_create,
    assessment_delete,
    assessment_mark_complete,
    assessment_save_section,
    assessment_update,
    assessment_version_snapshot,
    custom_question_create,
    custom_question_update,
)
from apps.clients.services import client_archive, client_create
from apps.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(world):
    with world.context():
        return client_create(user=world.salesperson, name="Harbor Dental")


def test_create_fills_defaults_and_validates_answers(world, client):
    with world.context():
        assessment = assessment_create(client=client, user=world.salesperson)
        assert assessment.title == "Assessment of Harbor Dental"
        assert assessment.answers["company"]["working_hours_per_year"] == 2080
        assert assessment.answers["incidents"]["period_months"] == 12
        with pytest.raises(ApplicationError) as info:
            assessment_create(
                client=client, user=world.salesperson, answers={"company": {"users": -3}}
            )
        assert info.value.extra["answers"] == {"company": {"users": ["Must be at least 0."]}}


def test_archived_client_cannot_get_a_new_assessment(world, client):
    with world.context():
        client_archive(client=client, user=world.admin)
        with pytest.raises(ApplicationError):
            assessment_create(client=client, user=world.salesperson)


def test_strict_update_refuses_everything_when_one_value_is_bad(world, client):
    with world.context():
        assessment = assessment_create(client=client, user=world.salesperson)
        with pytest.raises(ApplicationError) as info:
            assessment_update(
                assessment=assessment,
                user=world.salesperson,
                answers={"company": {"users": 25, "sites": 0}, "nonsense": {}},
            )
        assert info.value.extra["answers"]["company"] == {"sites": ["Must be at least 1."]}
        assert info.value.extra["answers"]["nonsense"] == ["Unknown section."]
        assessment.refresh_from_db()
        assert "users" not in assessment.answers.get("company", {})


def test_null_clears_an_answer(world, client):
    with world.context():
        assessment = assessment_create(
            client=client, user=world.salesperson, answers={"company": {"users": 25}}
        )
        assessment_update(
            assessment=assessment, user=world.salesperson, answers={"company": {"users": None}}
        )
        assessment.refresh_from_db()
        assert "users" not in assessment.answers["company"]


def test_autosave_keeps_valid_fields_and_the_raw_invalid_ones(world, client):
    with world.context():
        assessment = assessment_create(client=client, user=world.salesperson)
        outcome = assessment_save_section(
            assessment=assessment,
            section="company",
            values={"users": "25", "sites": "zero", "annual_revenue": "4,000,000"},
            user=world.salesperson,
        )
        assert outcome.errors == {"sites": "Enter a number."}
        assessment.refresh_from_db()
        assert assessment.answers["company"]["users"] == 25
        assert assessment.answers["company"]["annual_revenue"] == 4000000
        assert assessment.draft_values == {"company": {"sites": "zero"}}
        # Fixing the value moves it from the draft to the answers.
        assessment_save_section(
            assessment=assessment, section="company", values={"sites": "2"}, user=world.salesperson
        )
        assessment.refresh_from_db()
        assert assessment.answers["company"]["sites"] == 2
        assert assessment.draft_values == {}


def test_unknown_section_is_refused(world, client):
    with world.context():
        assessment = assessment_create(client=client, user=world.salesperson)
        with pytest.raises(ApplicationError):
            assessment_save_section(
                assessment=assessment, section="weather", values={}, user=world.salesperson
            )


def test_missing_for_analysis_is_empty_for_complete_answers(world, client):
    with world.context():
        assessment = assessment_create(
            client=client, user=world.salesperson, answers=complete_answers()
        )
    assert assessment_missing_for_analysis(assessment.answers) == []
    assert assessment_missing_for_analysis({}) != []


def test_mark_complete_requires_every_needed_answer_and_no_invalid_value(world, client):
    with world.context():
        assessment = assessment_create(client=client, user=world.salesperson)
        with pytest.raises(ApplicationError) as info:
            assessment_mark_complete(assessment=assessment, user=world.salesperson)
        assert "Company profile: Sites (offices with IT)" in info.value.extra["missing"]
        assessment_update(assessment=assessment, user=world.salesperson, answers=complete_answers())
        assessment_save_section(
            assessment=assessment, section="endpoints", values={"laptops": "ten"}, user=None
        )
        assessment.refresh_from_db()
        assert any("Laptops" in m for m in assessment_missing_for_completion(assessment))
        assessment_save_section(
            assessment=assessment, section="endpoints", values={"laptops": "10"}, user=None
        )
        version = assessment_mark_complete(assessment=assessment, user=world.salesperson)
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.COMPLETE
        assert version.number == 1
        assert assessment.current_version_id == version.id
        # Losing a required answer makes it a draft again; the version is untouched.
        assessment_update(
            assessment=assessment, user=world.salesperson, answers={"company": {"users": None}}
        )
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.DRAFT
        assert AssessmentVersion.objects.get(id=version.id).answers["company"]["users"] == 25


def test_versions_are_immutable_and_keep_old_answers(world, client):
    with world.context():
        assessment = assessment_create(
            client=client, user=world.salesperson, answers=complete_answers()
        )
        v1 = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        assessment_update(
            assessment=assessment, user=world.salesperson, answers={"company": {"users": 30}}
        )
        v2 = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        assert (v1.number, v2.number) == (1, 2)
        assert AssessmentVersion.objects.get(id=v1.id).answers["company"]["users"] == 25
        v1.answers = {}
        with pytest.raises(RuntimeError):
            v1.save()
        with pytest.raises(ApplicationError):
            assessment_delete(assessment=assessment, user=world.salesperson)


def test_custom_question_answers_are_validated_and_carried_with_their_wording(world, client):
    with world.context():
        question = custom_question_create(
            user=world.admin,
            label="Preferred onboarding month?",
            kind="choice",
            section="requirements",
            choices=["January", "February"],
        )
        number = custom_question_create(
            user=world.admin, label="Printers", kind="number", section="endpoints"
        )
        assessment = assessment_create(client=client, user=world.salesperson)
        with pytest.raises(ApplicationError) as info:
            assessment_update(
                assessment=assessment,
                user=world.salesperson,
                answers={"custom": {str(question.id): "March"}},
            )
        assert info.value.extra["answers"]["custom"] == {
            str(question.id): ["Choose one of the options."]
        }
        outcome = assessment_save_section(
            assessment=assessment,
            section="endpoints",
            values={},
            custom={str(number.id): "many"},
            user=world.salesperson,
        )
        assert outcome.errors == {f"custom_{number.id}": "Enter a number."}
        assessment_update(
            assessment=assessment,
            user=world.salesperson,
            answers={"custom": {str(question.id): "February", str(number.id): 3}},
        )
        version = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        custom_question_update(question=question, user=world.admin, label="Start month?")
        appendix = custom_answers_for_appendix(version)
    assert [(r["label"], r["answer"]) for r in appendix] == [
        ("Printers", 3),
        ("Preferred onboarding month?", "February"),
    ]


def test_custom_question_validation(world):
    with world.context():
        with pytest.raises(ApplicationError) as info:
            custom_question_create(user=world.admin, label="", kind="choice", section="nowhere")
        assert {"label", "section"} <= set(info.value.extra)
        with pytest.raises(ApplicationError) as info:
            custom_question_create(user=world.admin, label="Q", kind="choice", section="company")
        assert "choices" in info.value.extra
