"""Pricing services: validation, versions that never change, archive, assumption overrides."""

from decimal import Decimal

import pytest

from apps.core.errors import ApplicationError
from apps.pricing.models import ImmutableVersionError, PricingTierVersion
from apps.pricing.selectors import (
    assumption_set_default,
    pricing_tier_list_active,
    pricing_tier_version_get,
)
from apps.pricing.services import (
    assumption_set_update,
    pricing_seed_defaults,
    pricing_tier_archive,
    pricing_tier_create,
    pricing_tier_restore,
    pricing_tier_update,
)
from apps.pricing.validation import assumption_validate_override

pytestmark = pytest.mark.django_db

FULL = {
    "price_per_user": "150",
    "price_per_endpoint": "0",
    "price_per_server": "150",
    "price_per_site": "100",
    "price_per_network_device": "0",
    "minimum_monthly_fee": "500",
    "onboarding_fee": None,
    "onboarding_multiple": "1",
    "annual_escalator": "0.03",
    "contract_term_months": 24,
    "tickets_reduction": "0.3",
    "outages_reduction": "0.5",
    "hardware_reduction": "0",
    "data_loss_reduction": "0.75",
    "minor_security_reduction": "0.5",
    "major_security_reduction": "0.5",
    "informal_support_reduction": "0.75",
    "tickets_user_hours_lost_managed": "0.75",
    "hardware_user_hours_lost_managed": "4",
    "minor_security_user_hours_lost_managed": "4",
    "outages_duration_ratio_managed": "0.5",
}


def standard(world):
    return next(t for t in pricing_tier_list_active() if t.name == "Standard")


def test_create_tier_with_first_version(world):
    with world.context():
        tier = pricing_tier_create(
            user=world.admin, name="Compliance+", included_services=["HIPAA audit"], **FULL
        )
        version = tier.current_version
    assert version.number == 1
    assert version.price_per_user == Decimal("150.00")
    assert version.minimum_monthly_fee == Decimal("500.00")
    assert version.included_services == ["HIPAA audit"]
    assert version.created_by_id == world.admin.id
    assert tier.position == 4


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price_per_user", "-1", "Must be at least 0."),
        ("price_per_user", "1000000000000", "Must be at most 1000000."),
        ("price_per_user", "abc", "Enter a number."),
        ("price_per_user", "10.005", "At most 2 decimal places."),
        ("price_per_user", None, "This field is required."),
        ("tickets_reduction", "1", "Must be less than 1 (a tier never prevents every incident)."),
        ("annual_escalator", "0.9", "Must be at most 0.5."),
        ("contract_term_months", "12.5", "Enter a whole number."),
        ("contract_term_months", 0, "Must be at least 1."),
    ],
)
def test_invalid_tier_values_are_refused(world, field, value, message):
    with world.context(), pytest.raises(ApplicationError) as info:
        pricing_tier_create(user=world.admin, name="Bad", **{**FULL, field: value})
    assert info.value.extra == {field: [message]}


def test_duplicate_active_name_is_refused(world):
    with world.context(), pytest.raises(ApplicationError) as info:
        pricing_tier_create(user=world.admin, name="standard", **FULL)
    assert "name" in info.value.extra


def test_editing_a_tier_writes_a_new_version_and_leaves_the_old_one(world):
    with world.context():
        tier = standard(world)
        old = tier.current_version
        # A stand-in for a proposal: something that holds the old version's id.
        referenced_id = old.id
        new = pricing_tier_update(tier=tier, user=world.admin, price_per_user="135.00")
        assert new.number == 2
        assert new.price_per_user == Decimal("135.00")
        assert new.data_loss_reduction == old.data_loss_reduction
        kept = pricing_tier_version_get(referenced_id)
        assert kept.price_per_user == Decimal("125.00")
        assert kept.number == 1
        tier.refresh_from_db()
        assert tier.current_version_id == new.id
        assert PricingTierVersion.objects.filter(tier=tier).count() == 2


def test_an_unchanged_save_writes_no_version(world):
    with world.context():
        tier = standard(world)
        same = pricing_tier_update(tier=tier, user=world.admin, price_per_user="125")
        assert same.id == tier.current_version_id


def test_versions_are_immutable(world):
    with world.context():
        version = standard(world).current_version
        version.price_per_user = Decimal("1")
        with pytest.raises(ImmutableVersionError):
            version.save()


def test_archived_tier_leaves_the_price_book_but_keeps_its_versions(world):
    with world.context():
        tier = standard(world)
        version_id = tier.current_version_id
        pricing_tier_archive(tier=tier, user=world.admin)
        assert "Standard" not in [t.name for t in pricing_tier_list_active()]
        assert pricing_tier_version_get(version_id) is not None
        tier.refresh_from_db()
        assert tier.is_active is False
        with pytest.raises(ApplicationError):
            pricing_tier_update(tier=tier, user=world.admin, price_per_user="1")
        # The name is free again while archived; restoring needs it back.
        pricing_tier_create(user=world.admin, name="Standard", **FULL)
        with pytest.raises(ApplicationError):
            pricing_tier_restore(tier=tier, user=world.admin)


def test_seeding_twice_changes_nothing(world):
    with world.context():
        pricing_seed_defaults(user=world.admin)
        assert pricing_tier_list_active().count() == 3


def test_assumption_update_writes_a_new_version(world):
    with world.context():
        assumption_set = assumption_set_default()
        old = assumption_set.current_version
        new = assumption_set_update(
            assumption_set=assumption_set,
            values={"tickets.per_user_per_month": {"value": "0.35", "source": "Our 2025 tickets"}},
            user=world.admin,
            note="Calibrated",
        )
        assert new.number == 2
        assert new.values["tickets.per_user_per_month"]["value"] == 0.35
        assert new.values["tickets.per_user_per_month"]["source"] == "Our 2025 tickets"
        assert new.values["tickets.per_user_per_month"]["low"] == 0.15
        old.refresh_from_db()
        assert old.values["tickets.per_user_per_month"]["value"] == 0.30
        assert assumption_set_default().current_version_id == new.id


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"tickets.per_user_per_month": {"value": -1}}, "tickets.per_user_per_month.value"),
        ({"tickets.per_user_per_month": {"value": "x"}}, "tickets.per_user_per_month.value"),
        ({"tickets.per_user_per_month": {"value": 0.9}}, "tickets.per_user_per_month.value"),
        (
            {"tickets.per_user_per_month": {"low": 0.5, "high": 0.2}},
            "tickets.per_user_per_month.high",
        ),
        ({"tickets.per_user_per_month": {"grade": "E"}}, "tickets.per_user_per_month.grade"),
        ({"tickets.reduction": {"value": 0.4}}, "tickets.reduction.value"),
        ({"horizon_years": {"value": 2.5}}, "horizon_years.value"),
        ({"weather.sunny": {"value": 1}}, "weather.sunny"),
    ],
)
def test_invalid_assumptions_are_refused(world, values, key):
    with world.context():
        assumption_set = assumption_set_default()
        with pytest.raises(ApplicationError) as info:
            assumption_set_update(assumption_set=assumption_set, values=values, user=world.admin)
        assert key in info.value.extra
        assert assumption_set_default().current_version.number == 1


@pytest.mark.parametrize(
    ("path", "value", "ok"),
    [
        ("tickets.per_user_per_month", 0.8, True),  # outside the plausible range, still valid
        ("tickets.per_user_per_month", -0.1, False),
        ("tickets.reduction", 1.0, False),
        ("tickets.reduction", 0.99, True),
        ("major_security.probability_per_year", 1.5, False),
        ("horizon_years", 11, False),
        ("horizon_years", 3.5, False),
        ("managed.onboarding_fee", None, True),
        ("environment.users", 25, True),
        ("labour.loaded_hourly_cost", "abc", False),
        ("labour.loaded_hourly_cost", True, False),
        ("no.such.input", 1, False),
    ],
)
def test_assumption_validate_override(path, value, ok):
    errors = assumption_validate_override(path, value)
    assert (errors == []) is ok, errors
