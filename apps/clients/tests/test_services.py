"""Client and contact services: validation, archive instead of delete, isolation."""

import pytest

from apps.assessments.services import assessment_create
from apps.clients.models import Client, ClientStatus, Contact
from apps.clients.selectors import client_list
from apps.clients.services import (
    client_create,
    client_delete,
    client_update,
    contact_create,
    contact_update,
)
from apps.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_create_client_sets_owner_and_normalises_website(world):
    with world.context():
        client = client_create(
            user=world.salesperson, name="  Harbor Dental  ", website="harbor.test"
        )
    assert client.name == "Harbor Dental"
    assert client.owner_id == world.salesperson.id
    assert client.website == "https://harbor.test"
    assert client.status == ClientStatus.PROSPECT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "website": "not a url at all"}, "website"),
        ({"name": "A", "status": "sleeping"}, "status"),
        ({"name": "A", "owner": 999999}, "owner"),
        ({"name": 12}, "name"),
    ],
)
def test_invalid_client_is_refused_with_field_message(world, data, field):
    with world.context(), pytest.raises(ApplicationError) as info:
        client_create(user=world.admin, **data)
    assert field in info.value.extra


def test_owner_must_be_a_member_of_this_organization(world, other_world):
    with world.context(), pytest.raises(ApplicationError) as info:
        client_create(user=world.admin, name="A", owner=other_world.admin.id)
    assert "owner" in info.value.extra


def test_update_changes_only_given_fields(world):
    with world.context():
        client = client_create(user=world.admin, name="A", industry="Law")
        client_update(client=client, user=world.admin, status="active")
        client.refresh_from_db()
    assert client.status == "active"
    assert client.industry == "Law"


def test_unreferenced_client_is_deleted_with_its_contacts(world):
    with world.context():
        client = client_create(user=world.admin, name="A")
        contact_create(client=client, name="Pat")
        assert client_delete(client=client, user=world.admin) is True
        assert not Client.objects.exists()
        assert not Contact.objects.exists()


def test_client_with_an_assessment_is_archived_not_deleted(world):
    with world.context():
        client = client_create(user=world.admin, name="A")
        assessment_create(client=client, user=world.admin)
        assert client_delete(client=client, user=world.admin) is False
        client.refresh_from_db()
        assert client.archived_at is not None
        assert list(client_list()) == []
        assert list(client_list(archived=True)) == [client]


def test_contact_email_is_validated_and_lowercased(world):
    with world.context():
        client = client_create(user=world.admin, name="A")
        contact = contact_create(client=client, name="Pat", email="Pat@Harbor.TEST")
        assert contact.email == "pat@harbor.test"
        with pytest.raises(ApplicationError) as info:
            contact_update(contact=contact, email="nope")
        assert "email" in info.value.extra
        with pytest.raises(ApplicationError) as info:
            contact_create(client=client, name="")
        assert "name" in info.value.extra


def test_search_matches_contacts_and_filters_by_status_and_owner(world):
    with world.context():
        a = client_create(user=world.admin, name="Alpha Law", status="active")
        b = client_create(user=world.salesperson, name="Bravo Dental")
        contact_create(client=b, name="Zed Zulu", email="zed@bravo.test")
        assert list(client_list(q="zulu")) == [b]
        assert list(client_list(q="law")) == [a]
        assert list(client_list(status="active")) == [a]
        assert list(client_list(owner_id=world.salesperson.id)) == [b]
        row = client_list(q="bravo").get()
        assert row.contact_count == 1


def test_clients_of_another_organization_are_invisible(world, other_world):
    with world.context():
        client_create(user=world.admin, name="Secret Client")
    with other_world.context():
        assert list(client_list()) == []
        assert not Client.objects.filter(name="Secret Client").exists()
