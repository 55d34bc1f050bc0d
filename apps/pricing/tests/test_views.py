"""Admin pages for tiers and assumptions."""

import pytest

from apps.pricing.forms import PricingTierForm
from apps.pricing.models import PricingTier, PricingTierVersion
from apps.pricing.selectors import assumption_set_default

pytestmark = pytest.mark.django_db


def tier_post(world, name):
    with world.context():
        tier = PricingTier.objects.get(name=name)
        data = PricingTierForm.initial_for(tier.name, tier.current_version)
    return tier, {k: "" if v is None else str(v) for k, v in data.items()}


def test_salesperson_gets_403_on_admin_pages(world):
    sales = world.salesperson_client()
    with world.context():
        tier = PricingTier.objects.first()
    for url in (
        "/pricing/",
        "/pricing/tiers/new/",
        f"/pricing/tiers/{tier.id}/",
        "/pricing/assumptions/",
    ):
        assert sales.get(url).status_code == 403, url
    assert sales.post(f"/pricing/tiers/{tier.id}/", {"name": "x"}).status_code == 403
    assert sales.post("/pricing/assumptions/", {}).status_code == 403


def test_tier_list_shows_prices(world):
    text = world.admin_client().get("/pricing/").content.decode()
    assert "Essentials" in text and "125.00" in text and "1.00 × monthly" in text


def test_edit_tier_creates_a_version(world):
    tier, data = tier_post(world, "Standard")
    data["price_per_user"] = "130"
    response = world.admin_client().post(f"/pricing/tiers/{tier.id}/", data)
    assert response.status_code == 302
    with world.context():
        tier.refresh_from_db()
        assert tier.current_version.number == 2
        assert PricingTierVersion.objects.get(tier=tier, number=1).price_per_user == 125


def test_edit_tier_with_bad_values_shows_errors_and_saves_nothing(world):
    tier, data = tier_post(world, "Standard")
    data["price_per_user"] = "-4"
    data["tickets_reduction"] = "abc"
    response = world.admin_client().post(f"/pricing/tiers/{tier.id}/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Must be at least 0." in text and "Enter a number." in text
    with world.context():
        assert PricingTierVersion.objects.filter(tier=tier).count() == 1


def test_create_and_archive_a_tier(world):
    _, data = tier_post(world, "Standard")
    data["name"] = "Compliance+"
    admin = world.admin_client()
    assert admin.post("/pricing/tiers/new/", data).status_code == 302
    with world.context():
        tier = PricingTier.objects.get(name="Compliance+")
    admin.post(f"/pricing/tiers/{tier.id}/archive/")
    with world.context():
        tier.refresh_from_db()
    assert tier.archived_at is not None


def test_assumptions_page_edits_create_a_version(world):
    admin = world.admin_client()
    page = admin.get("/pricing/assumptions/").content.decode()
    assert "BLS ECEC 2024" in page
    assert 'name="v__tickets.per_user_per_month" value="0.3"' in page
    response = admin.post(
        "/pricing/assumptions/",
        {"v__tickets.per_user_per_month": "0.35", "note": "From our ticket data"},
    )
    assert response.status_code == 302
    with world.context():
        version = assumption_set_default().current_version
    assert version.number == 2
    assert version.values["tickets.per_user_per_month"]["value"] == 0.35
    assert version.note == "From our ticket data"
    response = admin.post("/pricing/assumptions/", {"v__discount_rate": "7"})
    assert response.status_code == 400
    assert "Must be at most 1." in response.content.decode()
    with world.context():
        assert assumption_set_default().current_version.number == 2
    old = admin.get(f"/pricing/assumptions/versions/{version.id}/")
    assert old.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_tier_list_page_query_count_is_flat(world, rows, django_assert_max_num_queries):
    with world.context():
        tiers = PricingTier.objects.bulk_create(
            PricingTier(organization=world.organization, name=f"T{i}", position=10 + i)
            for i in range(rows)
        )
        versions = PricingTierVersion.objects.bulk_create(
            PricingTierVersion(
                organization=world.organization, tier=t, number=1, name=t.name, price_per_user=1
            )
            for t in tiers
        )
        for tier, version in zip(tiers, versions, strict=True):
            tier.current_version = version
        PricingTier.objects.bulk_update(tiers, ["current_version"])
    admin = world.admin_client()
    with django_assert_max_num_queries(15):
        response = admin.get("/pricing/")
    assert response.status_code == 200
