"""Versions freeze the answers an analysis or a proposal was built from."""

import pytest

from apps.assessments.models import AssessmentVersion
from apps.assessments.services import (
    assessment_create,
    assessment_update,
    assessment_version_snapshot,
)
from apps.clients.services import client_create

pytestmark = pytest.mark.django_db


def test_snapshot_reuses_the_latest_version_until_answers_change(world):
    with world.context():
        client = client_create(user=world.salesperson, name="Harbor Dental")
        assessment = assessment_create(
            client=client, user=world.salesperson, answers={"company": {"users": 25}}
        )
        first = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        again = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        assert again.id == first.id
        assessment_update(
            assessment=assessment, user=world.salesperson, answers={"company": {"users": 30}}
        )
        second = assessment_version_snapshot(assessment=assessment, user=world.salesperson)
        assert second.number == 2
        assert AssessmentVersion.objects.get(id=first.id).answers["company"]["users"] == 25
        assert second.answers["company"]["users"] == 30
        assessment.refresh_from_db()
        assert assessment.current_version_id == second.id
