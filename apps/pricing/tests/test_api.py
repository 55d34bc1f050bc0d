"""/api/v1/pricing-tiers/ and /api/v1/assumption-sets/: reads for all, writes for admins."""

import pytest

from apps.pricing.models import PricingTier, PricingTierVersion
from apps.pricing.selectors import assumption_set_default, pricing_tier_version_get
from apps.pricing.tests.test_services import FULL

pytestmark = pytest.mark.django_db

URL = "/api/v1/pricing-tiers/"
JSON = "application/json"


def test_salesperson_reads_tiers_but_cannot_change_them(world):
    sales = world.salesperson_client()
    body = sales.get(URL).json()
    assert [t["name"] for t in body["results"]] == ["Essentials", "Standard", "Premium"]
    assert body["results"][1]["current_version"]["price_per_user"] == "125.00"
    assert body["results"][1]["currency"] == "USD"
    tier_id = body["results"][1]["id"]
    assert sales.post(URL, {"name": "X", **FULL}, content_type=JSON).status_code == 403
    assert (
        sales.patch(f"{URL}{tier_id}/", {"price_per_user": 1}, content_type=JSON).status_code == 403
    )
    assert sales.delete(f"{URL}{tier_id}/").status_code == 403
    set_id = sales.get("/api/v1/assumption-sets/").json()["results"][0]["id"]
    response = sales.patch(
        f"/api/v1/assumption-sets/{set_id}/",
        {"values": {"discount_rate": {"value": 0.08}}},
        content_type=JSON,
    )
    assert response.status_code == 403


def test_admin_creates_and_versions_a_tier(world):
    admin = world.admin_client()
    response = admin.post(URL, {"name": "Compliance+", **FULL}, content_type=JSON)
    assert response.status_code == 201, response.json()
    tier_id = response.json()["id"]
    first = response.json()["current_version"]["id"]
    response = admin.patch(f"{URL}{tier_id}/", {"price_per_user": "160.00"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["current_version"]["number"] == 2
    versions = admin.get(f"{URL}{tier_id}/versions/").json()
    assert [v["number"] for v in versions["results"]] == [2, 1]
    with world.context():
        assert str(pricing_tier_version_get(first).price_per_user) == "150.00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"price_per_user": -5}, "price_per_user"),
        ({"price_per_user": 10**12}, "price_per_user"),
        ({"price_per_user": "lots"}, "price_per_user"),
        ({"price_per_user": True}, "price_per_user"),
        ({"contract_term_months": "x"}, "contract_term_months"),
        ({"outages_reduction": 1}, "outages_reduction"),
        ({"name": ""}, "name"),
        ({"included_services": "not a list"}, "included_services"),
    ],
)
def test_invalid_tier_gets_400_with_field_message(world, payload, field):
    response = world.admin_client().post(URL, {"name": "New", **FULL, **payload}, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    with world.context():
        assert PricingTier.objects.count() == 3


def test_missing_required_price_is_a_400(world):
    payload = {k: v for k, v in FULL.items() if k != "price_per_user"}
    response = world.admin_client().post(URL, {"name": "New", **payload}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["price_per_user"] == ["This field is required."]


def test_delete_archives_and_keeps_versions(world):
    admin = world.admin_client()
    tier = admin.get(URL).json()["results"][0]
    assert admin.delete(f"{URL}{tier['id']}/").status_code == 204
    assert [t["name"] for t in admin.get(URL).json()["results"]] == ["Standard", "Premium"]
    assert admin.get(URL, {"archived": "true"}).json()["results"][0]["name"] == "Essentials"
    with world.context():
        assert PricingTierVersion.objects.filter(id=tier["current_version"]["id"]).exists()
    assert admin.post(f"{URL}{tier['id']}/restore/").status_code == 200


def test_admin_updates_assumptions_with_a_new_version(world):
    admin = world.admin_client()
    set_id = admin.get("/api/v1/assumption-sets/").json()["results"][0]["id"]
    url = f"/api/v1/assumption-sets/{set_id}/"
    response = admin.patch(
        url,
        {
            "values": {"discount_rate": {"value": 0.08, "source": "Our cost of capital"}},
            "note": "Q1",
        },
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["current_version"]["number"] == 2
    assert response.json()["current_version"]["values"]["discount_rate"]["value"] == 0.08
    response = admin.patch(url, {"values": {"discount_rate": {"value": 2}}}, content_type=JSON)
    assert response.status_code == 400
    assert "discount_rate.value" in response.json()
    response = admin.patch(url, {"values": {"discount_rate": 5}}, content_type=JSON)
    assert response.status_code == 400
    assert admin.get(f"{url}versions/").json()["count"] == 2
    with world.context():
        assert assumption_set_default().current_version.number == 2


def test_another_organization_gets_404(world, other_world):
    tier_id = world.admin_client().get(URL).json()["results"][0]["id"]
    set_id = world.admin_client().get("/api/v1/assumption-sets/").json()["results"][0]["id"]
    api = other_world.admin_client()
    assert api.get(f"{URL}{tier_id}/").status_code == 404
    assert (
        api.patch(f"{URL}{tier_id}/", {"price_per_user": 1}, content_type=JSON).status_code == 404
    )
    assert api.get(f"/api/v1/assumption-sets/{set_id}/").status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_tier_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
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
    api = world.salesperson_client()
    with django_assert_max_num_queries(15):
        response = api.get(URL, {"page_size": 250})
    assert response.json()["count"] == rows + 3


@pytest.mark.parametrize("rows", [5, 200])
def test_tier_version_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    with world.context():
        tier = PricingTier.objects.get(name="Standard")
        PricingTierVersion.objects.bulk_create(
            PricingTierVersion(
                organization=world.organization,
                tier=tier,
                number=i + 2,
                name="Standard",
                price_per_user=i,
                created_by=world.admin,
            )
            for i in range(rows)
        )
    api = world.salesperson_client()
    with django_assert_max_num_queries(15):
        response = api.get(f"{URL}{tier.id}/versions/", {"page_size": 200})
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [5, 200])
def test_assumption_set_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    from apps.pricing.models import AssumptionSet

    with world.context():
        AssumptionSet.objects.bulk_create(
            AssumptionSet(organization=world.organization, name=f"Set {i}") for i in range(rows)
        )
    api = world.salesperson_client()
    with django_assert_max_num_queries(15):
        response = api.get("/api/v1/assumption-sets/", {"page_size": 250})
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [5, 200])
def test_assumption_version_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    from apps.pricing.models import AssumptionSetVersion

    with world.context():
        assumption_set = assumption_set_default()
        AssumptionSetVersion.objects.bulk_create(
            AssumptionSetVersion(
                organization=world.organization,
                assumption_set=assumption_set,
                number=i + 2,
                values={},
                created_by=world.admin,
            )
            for i in range(rows)
        )
    api = world.salesperson_client()
    with django_assert_max_num_queries(15):
        response = api.get(
            f"/api/v1/assumption-sets/{assumption_set.id}/versions/", {"page_size": 250}
        )
    assert response.json()["count"] == rows + 1
