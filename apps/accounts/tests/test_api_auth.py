import pytest
from rest_framework.test import APIClient

from apps.tenancy.models import Membership, Role
from apps.tenancy.testing import PASSWORD


@pytest.fixture(autouse=True)
def _clear_throttle(clean_cache):
    yield


def test_token_for_email_and_password_authenticates_api(world):
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token/", {"email": world.salesperson.email, "password": PASSWORD}
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["organization"] == world.id
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = api.get("/api/v1/jobs/")
    assert listing.status_code == 200 and listing.json()["count"] == 0


def test_token_request_validates_fields(db):
    response = APIClient().post("/api/v1/auth/token/", {"email": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert "email" in body and "password" in body


def test_wrong_password_is_400_not_500(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": world.admin.email, "password": "wrong"}
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["E-mail or password is incorrect."]}


def test_token_for_an_organisation_the_user_is_not_in_is_refused(world, other_world):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"email": world.admin.email, "password": PASSWORD, "organization": other_world.id},
    )
    assert response.status_code == 400
    assert "organization" in response.json()


@pytest.mark.parametrize(
    "header",
    ["Token nonsense", "Token 1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Bearer x"],
)
def test_invalid_tokens_get_401(db, header):
    response = APIClient().get("/api/v1/jobs/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_token_with_another_tenants_id_does_not_resolve(world, other_world):
    api = APIClient()
    token = api.post(
        "/api/v1/auth/token/", {"email": world.admin.email, "password": PASSWORD}
    ).json()["token"]
    secret = token.split(".", 1)[1]
    forged = f"{other_world.id}.{secret}"
    response = api.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {forged}")
    assert response.status_code == 401


def test_token_stops_working_when_membership_ends(world):
    api = APIClient()
    token = api.post(
        "/api/v1/auth/token/", {"email": world.salesperson.email, "password": PASSWORD}
    ).json()["token"]
    with world.context():
        Membership.objects.filter(user=world.salesperson, role=Role.SALESPERSON).delete()
    response = api.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401


def test_session_authentication_works_for_api(world):
    response = world.admin_client().get("/api/v1/jobs/")
    assert response.status_code == 200


def test_anonymous_api_is_refused(db):
    assert APIClient().get("/api/v1/jobs/").status_code in (401, 403)


def test_openapi_schema_and_local_swagger_ui(world):
    client = world.admin_client()
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/jobs/" in schema.json()["paths"]
    assert "tokenAuth" in schema.json()["components"]["securitySchemes"]
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
