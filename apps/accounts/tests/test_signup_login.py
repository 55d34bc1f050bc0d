import re

import pytest
from django.core import mail

from apps.accounts.models import User
from apps.tenancy.models import Membership, Organization, Role
from apps.tenancy.selectors import user_organizations
from apps.tenancy.testing import PASSWORD, make_user

SIGNUP = {
    "organization_name": "Acme Managed IT",
    "full_name": "Ada Admin",
    "email": "ada@acme.test",
    "password": "a-long-enough-passphrase",
    "password_confirm": "a-long-enough-passphrase",
}


@pytest.fixture(autouse=True)
def _clear_throttle(clean_cache):
    yield


def test_signup_creates_organisation_with_admin_and_signs_in(client, db):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    user = User.objects.get(email="ada@acme.test")
    assert user.password.startswith("argon2")
    [choice] = user_organizations(user_id=user.id)
    assert choice.name == "Acme Managed IT" and choice.role == Role.ADMIN
    dashboard = client.get("/dashboard/")
    assert "Acme Managed IT" in dashboard.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "This field is required."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("organization_name", "", "This field is required."),
        ("full_name", "", "This field is required."),
        ("password", "short", "Ensure this value has at least 10 characters"),
        ("password_confirm", "different-passphrase", "The two passwords differ."),
    ],
)
def test_signup_shows_field_errors_and_creates_nothing(client, db, field, value, message):
    response = client.post("/accounts/signup/", {**SIGNUP, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_common_password_is_refused_inline(client, db):
    data = {**SIGNUP, "password": "password123", "password_confirm": "password123"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_gets_clear_message_and_nothing_half_created(client, world):
    organizations_before = len(user_organizations(user_id=world.admin.id))
    users_before = User.objects.count()
    data = {**SIGNUP, "email": world.admin.email.upper(), "organization_name": "Second MSP"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert "An account with this e-mail already exists" in response.content.decode()
    assert User.objects.count() == users_before
    assert len(user_organizations(user_id=world.admin.id)) == organizations_before


def test_failed_organisation_creation_rolls_back_the_user(db, monkeypatch):
    from apps.accounts import services
    from apps.core.errors import ApplicationError

    def boom(**kwargs):
        raise ApplicationError("organisation refused")

    monkeypatch.setattr(services, "organization_create", boom)
    with pytest.raises(ApplicationError):
        services.signup(
            email="x@y.test",
            password="a-long-enough-passphrase",
            full_name="X",
            organization_name="Y",
        )
    assert not User.objects.filter(email="x@y.test").exists()


def test_login_with_missing_fields_shows_field_errors(client, db):
    response = client.post("/accounts/login/", {"email": "", "password": ""})
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 2


def test_login_with_malformed_email(client, db):
    response = client.post("/accounts/login/", {"email": "nope", "password": "x"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_login_and_logout(client, world):
    response = client.post("/accounts/login/", {"email": world.admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


def test_login_is_throttled_after_repeated_failures(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post("/accounts/login/", {"email": world.admin.email, "password": "bad"})
        assert "E-mail or password is incorrect." in response.content.decode()
    response = client.post("/accounts/login/", {"email": world.admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Too many failed sign-ins" in response.content.decode()


def test_password_reset_by_email(client, world):
    response = client.post("/accounts/password-reset/", {"email": world.salesperson.email})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"}
    )
    assert response.status_code == 302
    world.salesperson.refresh_from_db()
    assert world.salesperson.check_password("brand-new-passphrase")


def test_user_in_two_organisations_switches(world, other_world):
    with other_world.context():
        Membership.objects.create(user=world.salesperson, role=Role.ADMIN)
    client = world.salesperson_client()
    page = client.get("/dashboard/").content.decode()
    assert world.organization.name in page
    assert f'<option value="{other_world.id}"' in page  # the switcher offers both
    response = client.post("/accounts/switch/", {"organization": other_world.id})
    assert response.status_code == 302
    body = client.get("/dashboard/").content.decode()
    assert other_world.organization.name in body
    # Now an admin there: the Team page is reachable in that organisation only.
    assert client.get("/accounts/members/").status_code == 200


def test_switching_to_a_foreign_organisation_is_404(world, other_world):
    client = world.salesperson_client()
    response = client.post("/accounts/switch/", {"organization": other_world.id})
    assert response.status_code == 404
    assert world.organization.name in client.get("/dashboard/").content.decode()


def test_removed_member_loses_access(world):
    client = world.salesperson_client()
    with world.context():
        Membership.objects.filter(user=world.salesperson).delete()
    body = client.get("/dashboard/").content.decode()
    assert world.organization.name not in body
    assert "not a member of any organisation" in body


def test_organisation_rows_are_invisible_across_tenants(world, other_world):
    with world.context():
        assert list(Organization.objects.values_list("id", flat=True)) == [world.id]


def test_invitation_creates_membership(client, world, django_capture_on_commit_callbacks):
    admin = world.admin_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/accounts/members/", {"email": "new@hire.test", "role": "salesperson"}
        )
    assert response.status_code == 200
    [message] = mail.outbox
    path = re.search(r"http://[^/]+(/accounts/invitations/\S+/)", message.body).group(1)
    invitee = make_user(email="new@hire.test")
    client.force_login(invitee, backend="apps.accounts.backends.EmailBackend")
    assert "Join Alpha IT" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert [c.id for c in user_organizations(user_id=invitee.id)] == [world.id]
    # Single use.
    assert client.post(path).status_code == 410


def test_invitation_for_another_email_is_refused(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.admin_client().post("/accounts/members/", {"email": "a@b.test", "role": "admin"})
    path = re.search(r"http://[^/]+(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)
    stranger = make_user(email="stranger@else.test")
    client.force_login(stranger, backend="apps.accounts.backends.EmailBackend")
    response = client.post(path)
    assert response.status_code == 410
    assert user_organizations(user_id=stranger.id) == []


def test_invitation_form_validates(world):
    response = world.admin_client().post("/accounts/members/", {"email": "bad", "role": "king"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address." in body and "Select a valid choice" in body


def test_last_admin_cannot_be_demoted(world):
    with world.context():
        membership = Membership.objects.get(user=world.admin)
    response = world.admin_client().post(
        f"/accounts/members/{membership.id}/", {"role": "salesperson"}, follow=True
    )
    assert "needs at least one admin" in response.content.decode()
    with world.context():
        membership.refresh_from_db()
    assert membership.role == Role.ADMIN
