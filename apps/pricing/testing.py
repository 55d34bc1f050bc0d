from apps.tenancy.testing import TenantWorld

from .selectors import assumption_set_default, pricing_tier_list_active


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe.

    A new organisation already has its tiers and assumption set (seeded on creation).
    """
    with world.context():
        assert pricing_tier_list_active().exists()
        assert assumption_set_default() is not None
