from apps.tenancy.testing import TenantWorld

from .services import client_create, contact_create


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe."""
    with world.context():
        client = client_create(user=world.admin, name="Probe Dental", industry="Healthcare")
        contact_create(client=client, name="Pat Probe", email="pat@probe.test")
