from apps.tenancy.testing import TenantWorld

from .services import api_token_create


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe."""
    with world.context():
        api_token_create(user=world.admin)
