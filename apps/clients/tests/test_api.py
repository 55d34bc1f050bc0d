"""/api/v1/clients/ and /api/v1/contacts/: status codes, field messages, isolation, queries."""

import pytest

from apps.assessments.services import assessment_create
from apps.clients.models import Client, Contact
from apps.clients.services import client_create, contact_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/clients/"


def make_clients(world, n):
    with world.context():
        clients = Client.objects.bulk_create(
            Client(organization=world.organization, name=f"Client {i:04}", owner=world.admin)
            for i in range(n)
        )
        Contact.objects.bulk_create(
            Contact(organization=world.organization, client=c, name=f"Pat {c.name}")
            for c in clients
        )
    return clients


def test_create_update_and_read_a_client(world):
    api = world.salesperson_client()
    response = api.post(
        URL, {"name": "Harbor Dental", "industry": "Healthcare"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == world.salesperson.id
    client_id = body["id"]
    response = api.patch(
        f"{URL}{client_id}/", {"status": "active"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert api.get(f"{URL}{client_id}/").json()["industry"] == "Healthcare"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "A", "status": "sleeping"}, "status"),
        ({"name": "A", "website": "::nope::"}, "website"),
        ({"name": "A", "owner": "me"}, "owner"),
        ({"name": ["A"]}, "name"),
    ],
)
def test_invalid_client_gets_400_with_field_message(world, payload, field):
    response = world.admin_client().post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    with world.context():
        assert not Client.objects.exists()


def test_delete_archives_a_referenced_client_and_deletes_a_free_one(world):
    with world.context():
        used = client_create(user=world.admin, name="Used")
        assessment_create(client=used, user=world.admin)
        free = client_create(user=world.admin, name="Free")
    api = world.admin_client()
    response = api.delete(f"{URL}{used.id}/")
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    assert api.delete(f"{URL}{free.id}/").status_code == 204
    with world.context():
        assert list(Client.objects.values_list("name", flat=True)) == ["Used"]


def test_list_filters_and_search(world):
    with world.context():
        client_create(user=world.admin, name="Alpha Law", status="active")
        b = client_create(user=world.salesperson, name="Bravo Dental")
        contact_create(client=b, name="Zed", email="zed@bravo.test")
    api = world.admin_client()
    names = lambda r: [c["name"] for c in r.json()["results"]]  # noqa: E731
    assert names(api.get(URL, {"q": "zed@"})) == ["Bravo Dental"]
    assert names(api.get(URL, {"status": "active"})) == ["Alpha Law"]
    assert names(api.get(URL, {"owner": world.salesperson.id})) == ["Bravo Dental"]
    assert api.get(URL).json()["results"][1]["contacts"][0]["email"] == "zed@bravo.test"


def test_another_organization_gets_404(world, other_world):
    with world.context():
        client = client_create(user=world.admin, name="Secret")
        contact = contact_create(client=client, name="Pat")
    api = other_world.admin_client()
    assert api.get(f"{URL}{client.id}/").status_code == 404
    assert (
        api.patch(f"{URL}{client.id}/", {"name": "x"}, content_type="application/json").status_code
        == 404
    )
    assert api.delete(f"{URL}{client.id}/").status_code == 404
    assert api.get(f"/api/v1/contacts/{contact.id}/").status_code == 404
    response = api.post(
        "/api/v1/contacts/", {"client": client.id, "name": "Eve"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "client" in response.json()
    assert api.get(URL).json()["count"] == 0


def test_contacts_crud(world):
    with world.context():
        client = client_create(user=world.admin, name="A")
    api = world.salesperson_client()
    response = api.post(
        "/api/v1/contacts/",
        {"client": client.id, "name": "Pat", "email": "bad"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "email" in response.json()
    response = api.post(
        "/api/v1/contacts/",
        {"client": client.id, "name": "Pat", "email": "pat@a.test"},
        content_type="application/json",
    )
    assert response.status_code == 201
    contact_id = response.json()["id"]
    assert (
        api.patch(
            f"/api/v1/contacts/{contact_id}/", {"phone": "555"}, content_type="application/json"
        ).json()["phone"]
        == "555"
    )
    assert api.get("/api/v1/contacts/", {"client": client.id}).json()["count"] == 1
    assert api.delete(f"/api/v1/contacts/{contact_id}/").status_code == 204


def test_import_preview_then_commit(world):
    api = world.salesperson_client()
    csv = "Company,Contact,Email\nHarbor,Ana,ana@h.test\nBad,,x@@\n"
    response = api.post(f"{URL}import/", {"csv": csv}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["rows"][1]["errors"]
    response = api.post(
        f"{URL}import/", {"csv": csv, "commit": True}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "line 3" in response.json()
    with world.context():
        assert not Client.objects.exists()
    good = "Company,Contact,Email\nHarbor,Ana,ana@h.test\n"
    response = api.post(
        f"{URL}import/", {"csv": good, "commit": True}, content_type="application/json"
    )
    assert response.status_code == 201
    with world.context():
        assert Client.objects.get().contacts.get().email == "ana@h.test"


@pytest.mark.parametrize("rows", [5, 200])
def test_client_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    make_clients(world, rows)
    api = world.admin_client()
    with django_assert_max_num_queries(15):
        response = api.get(URL, {"page_size": 200})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_contact_list_query_count_is_flat(world, rows, django_assert_max_num_queries):
    make_clients(world, rows)
    api = world.admin_client()
    with django_assert_max_num_queries(15):
        response = api.get("/api/v1/contacts/", {"page_size": 200})
    assert response.json()["count"] == rows
