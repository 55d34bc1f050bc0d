"""A new organisation starts with the tiers and assumptions of TCO_MODEL.md."""

from decimal import Decimal

import pytest

from apps.pricing.defaults import ASSUMPTION_INPUTS
from apps.pricing.selectors import assumption_set_default, pricing_tier_list_active

pytestmark = pytest.mark.django_db


def test_new_organization_gets_three_default_tiers(world):
    with world.context():
        tiers = list(pricing_tier_list_active())
    assert [t.name for t in tiers] == ["Essentials", "Standard", "Premium"]
    standard = tiers[1].current_version
    assert standard.number == 1
    assert standard.price_per_user == Decimal("125.00")
    assert standard.price_per_server == Decimal("150.00")
    assert standard.price_per_site == Decimal("100.00")
    assert standard.onboarding_fee is None
    assert standard.annual_escalator == Decimal("0.0300")
    assert standard.contract_term_months == 36
    assert standard.data_loss_reduction == Decimal("0.7500")
    essentials = tiers[0].current_version
    assert essentials.data_loss_reduction == Decimal("0")
    assert essentials.major_security_reduction == Decimal("0.2500")
    premium = tiers[2].current_version
    assert premium.hardware_reduction == Decimal("0.1000")
    assert premium.price_per_user == Decimal("175.00")


def test_new_organization_gets_default_assumptions_with_sources(world):
    with world.context():
        default = assumption_set_default()
    values = default.current_version.values
    assert set(values) == {s.path for s in ASSUMPTION_INPUTS}
    assert values["tickets.per_user_per_month"]["value"] == 0.30
    assert values["labour.loaded_hourly_cost"] == {
        "value": 45.0,
        "low": 35.27,
        "high": 60.0,
        "grade": "A",
        "source": values["labour.loaded_hourly_cost"]["source"],
        "label": "Loaded hourly cost of staff",
    }
    assert "BLS" in values["labour.loaded_hourly_cost"]["source"]
    assert values["hardware.failure_rate"]["grade"] == "B"
    assert values["major_security.probability_per_year"]["value"] == 0.03
    assert values["tickets.reduction"]["value"] is None  # set by the tier


def test_tiers_are_not_shared_between_organizations(world, other_world):
    with world.context():
        ids_a = set(pricing_tier_list_active().values_list("id", flat=True))
    with other_world.context():
        ids_b = set(pricing_tier_list_active().values_list("id", flat=True))
    assert len(ids_a) == len(ids_b) == 3
    assert not ids_a & ids_b
