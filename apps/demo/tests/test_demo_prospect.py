"""The demo seed includes a realistic 25-user prospect with a complete assessment."""

import pytest

from apps.assessments.models import Assessment, AssessmentStatus
from apps.assessments.schema import derived_counts, missing_for_analysis
from apps.clients.models import Client
from apps.demo.services import demo_seed

pytestmark = pytest.mark.django_db


def test_demo_seed_has_a_complete_25_user_assessment_and_is_idempotent():
    logins = demo_seed()
    demo_seed()
    from apps.tenancy.context import tenant_context

    with tenant_context(logins.organization.id):
        client = Client.objects.get(name="Harbor Dental Group")
        assert client.contacts.count() == 2
        assessment = Assessment.objects.get(client=client)
        assert assessment.status == AssessmentStatus.COMPLETE
        assert assessment.current_version.number == 1
        answers = assessment.current_version.answers
    assert missing_for_analysis(answers) == []
    assert derived_counts(answers) == {
        "users": 25,
        "endpoints": 25,
        "servers": 1,
        "sites": 1,
        "network_devices": 4,
    }
    assert answers["company"]["annual_revenue"] == 4000000
    assert answers["incidents"]["outages"] == 4
