"""Client pages: list, detail, forms, CSV import in the browser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.assessments.services import assessment_create
from apps.clients.models import Client
from apps.clients.services import client_create, contact_create
from apps.clients.tests.test_api import make_clients

pytestmark = pytest.mark.django_db


def test_list_searches_filters_and_paginates(world):
    make_clients(world, 30)
    page = world.salesperson_client().get("/clients/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Client 0000" in text and "Client 0025" not in text
    assert "Page 1 of 2" in text
    text = world.salesperson_client().get("/clients/", {"q": "0029"}).content.decode()
    assert "Client 0029" in text and "Client 0000" not in text


@pytest.mark.parametrize("rows", [5, 200])
def test_client_list_page_query_count_is_flat(world, rows, django_assert_max_num_queries):
    make_clients(world, rows)
    client = world.admin_client()
    with django_assert_max_num_queries(15):
        response = client.get("/clients/")
    assert response.status_code == 200


def test_create_client_in_the_browser(world):
    browser = world.salesperson_client()
    response = browser.post("/clients/new/", {"name": "", "status": "prospect"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = browser.post(
        "/clients/new/", {"name": "Harbor", "status": "prospect", "owner": world.salesperson.id}
    )
    assert response.status_code == 302
    with world.context():
        client = Client.objects.get()
    assert client.owner_id == world.salesperson.id


def test_detail_shows_contacts_and_assessments(world):
    with world.context():
        client = client_create(user=world.admin, name="Harbor")
        contact_create(client=client, name="Ana Ortiz", email="ana@h.test")
        assessment_create(client=client, user=world.admin, title="Spring discovery")
    text = world.salesperson_client().get(f"/clients/{client.id}/").content.decode()
    assert "Ana Ortiz" in text
    assert "Spring discovery" in text


def test_contact_add_edit_remove(world):
    with world.context():
        client = client_create(user=world.admin, name="Harbor")
    browser = world.salesperson_client()
    assert (
        browser.post(
            f"/clients/{client.id}/contacts/new/", {"name": "Ana", "email": "nope"}
        ).status_code
        == 400
    )
    assert browser.post(f"/clients/{client.id}/contacts/new/", {"name": "Ana"}).status_code == 302
    with world.context():
        contact = client.contacts.get()
    url = f"/clients/{client.id}/contacts/{contact.id}/edit/"
    assert browser.post(url, {"name": "Ana B", "phone": "1"}).status_code == 302
    with world.context():
        contact.refresh_from_db()
    assert contact.name == "Ana B"
    assert browser.post(f"/clients/{client.id}/contacts/{contact.id}/delete/").status_code == 302
    with world.context():
        assert not client.contacts.exists()


def test_contact_of_another_client_is_404(world):
    with world.context():
        a = client_create(user=world.admin, name="A")
        b = client_create(user=world.admin, name="B")
        contact = contact_create(client=b, name="Pat")
    response = world.admin_client().get(f"/clients/{a.id}/contacts/{contact.id}/edit/")
    assert response.status_code == 404


def test_delete_button_archives_a_client_with_assessments(world):
    with world.context():
        client = client_create(user=world.admin, name="A")
        assessment_create(client=client, user=world.admin)
    world.salesperson_client().post(f"/clients/{client.id}/delete/")
    with world.context():
        client.refresh_from_db()
    assert client.archived_at is not None
    world.salesperson_client().post(f"/clients/{client.id}/restore/")
    with world.context():
        client.refresh_from_db()
    assert client.archived_at is None


def test_import_upload_preview_then_confirm(world):
    browser = world.salesperson_client()
    csv = b"Company,Contact,E-mail,Phone\nHarbor,Ana,ana@h.test,555\nCedar,Cy,cy@c.test,\n"
    response = browser.post("/clients/import/", {"file": SimpleUploadedFile("psa.csv", csv)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Import 2 clients and 2 contacts" in text
    with world.context():
        assert not Client.objects.exists()
    csv_text = response.context["csv_text"]
    response = browser.post("/clients/import/", {"action": "commit", "csv_text": csv_text})
    assert response.status_code == 302
    with world.context():
        assert Client.objects.count() == 2


def test_import_with_bad_rows_shows_them_and_offers_no_confirm(world):
    csv = b"Company,Contact,E-mail\nHarbor,Ana,bad-email\n"
    response = world.salesperson_client().post(
        "/clients/import/", {"file": SimpleUploadedFile("psa.csv", csv)}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a valid e-mail address." in text
    assert 'value="commit"' not in text


@pytest.mark.parametrize("rows", [5, 200])
def test_client_detail_query_count_is_flat(world, rows, django_assert_max_num_queries):
    from apps.assessments.models import Assessment

    with world.context():
        client = client_create(user=world.admin, name="Harbor")
        Assessment.objects.bulk_create(
            Assessment(
                organization=world.organization,
                client=client,
                title=f"A{i}",
                assessed_on="2026-01-01",
            )
            for i in range(rows)
        )
        for i in range(rows):
            contact_create(client=client, name=f"Pat {i}")
    browser = world.admin_client()
    with django_assert_max_num_queries(20):
        response = browser.get(f"/clients/{client.id}/")
    assert response.status_code == 200
    assert "A199" in response.content.decode() or rows == 5
