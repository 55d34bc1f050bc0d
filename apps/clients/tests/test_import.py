"""CSV import: a preview with per-row errors, then all rows or none."""

import pytest

from apps.clients.importing import client_import_commit, client_import_preview
from apps.clients.models import Client, Contact
from apps.clients.services import client_create
from apps.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

GOOD = (
    "Company Name,Contact,Email,Phone,Title\n"
    "Harbor Dental,Ana Ortiz,ana@harbor.test,555-0100,Office manager\n"
    "Harbor Dental,Ben Ko,ben@harbor.test,,\n"
    "Cedar Law,Cy Dee,cy@cedar.test,555-0199,Partner\n"
)


def test_preview_writes_nothing_and_groups_rows_by_company(world):
    with world.context():
        preview = client_import_preview(GOOD)
        assert preview.ok
        assert preview.new_clients == 2
        assert preview.contacts == 3
        assert [r.action for r in preview.rows] == ["new client", "same new client", "new client"]
        assert not Client.objects.exists()


def test_commit_creates_clients_and_contacts(world):
    with world.context():
        client_import_commit(data=GOOD.encode("utf-8-sig"), user=world.salesperson)
        harbor = Client.objects.get(name="Harbor Dental")
        assert harbor.owner_id == world.salesperson.id
        assert sorted(harbor.contacts.values_list("name", flat=True)) == ["Ana Ortiz", "Ben Ko"]
        assert harbor.contacts.get(name="Ana Ortiz").role == "Office manager"
        assert Client.objects.count() == 2


def test_existing_client_gets_the_contacts(world):
    with world.context():
        existing = client_create(user=world.admin, name="harbor dental")
        preview = client_import_commit(data=GOOD, user=world.admin)
        assert preview.rows[0].action == "existing client"
        assert existing.contacts.count() == 2
        assert Client.objects.count() == 2


def test_a_bad_row_never_half_imports_the_file(world):
    bad = GOOD + ",Nobody,nobody@x.test,,\nDelta Co,Dee,not-an-email,,\n"
    with world.context():
        preview = client_import_preview(bad)
        assert not preview.ok
        errors = {r.line: r.errors for r in preview.bad_rows}
        assert set(errors) == {5, 6}
        assert any("Company" in e for e in errors[5])
        assert any("E-mail" in e for e in errors[6])
        with pytest.raises(ApplicationError) as info:
            client_import_commit(data=bad, user=world.admin)
        assert "line 5" in info.value.extra
        assert not Client.objects.exists()
        assert not Contact.objects.exists()


def test_psa_style_headers_and_semicolons_are_understood(world):
    text = "Account;First Name;Last Name;E-mail Address;Phone Number\nOak Ltd;Al;Bo;al@oak.test;1\n"
    with world.context():
        preview = client_import_preview(text)
    assert preview.ok, preview.as_dict()
    assert preview.rows[0].contact == "Al Bo"
    assert preview.rows[0].email == "al@oak.test"


def test_file_without_company_column_is_refused(world):
    with world.context():
        preview = client_import_preview("Name,Email\nA,a@b.test\n")
    assert not preview.ok
    assert "company" in preview.errors[0].lower()


def test_duplicate_email_in_the_file_is_an_error(world):
    text = "Company,Contact,Email\nA,X,x@a.test\nB,Y,X@A.test\n"
    with world.context():
        preview = client_import_preview(text)
    assert preview.rows[1].errors == ["E-mail: also on line 2."]
