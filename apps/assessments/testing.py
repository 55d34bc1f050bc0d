from apps.clients.models import Client
from apps.tenancy.testing import TenantWorld

from .services import (
    assessment_create,
    assessment_version_snapshot,
    custom_question_create,
)


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe."""
    with world.context():
        client = Client.objects.first()
        assessment = assessment_create(
            client=client, user=world.admin, answers={"company": {"users": 10}}
        )
        assessment_version_snapshot(assessment=assessment, user=world.admin)
        custom_question_create(user=world.admin, label="Preferred contact time?", section="company")
