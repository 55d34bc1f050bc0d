"""Test helpers: organisations with members, built through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.test import Client

from apps.accounts.models import User
from apps.accounts.services import signup
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Membership, Organization, Role

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


@dataclass
class TenantWorld:
    """An organisation with an admin and a salesperson, and logged-in clients for both."""

    organization: Organization
    admin: User
    salesperson: User

    @property
    def id(self) -> int:
        return self.organization.id

    def context(self) -> Any:
        return tenant_context(self.organization.id)

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user, backend="apps.accounts.backends.EmailBackend")
        session = client.session
        session["organization_id"] = self.organization.id
        session.save()
        return client

    def admin_client(self) -> Client:
        return self.client_for(self.admin)

    def salesperson_client(self) -> Client:
        return self.client_for(self.salesperson)


def make_user(*, email: str | None = None, full_name: str = "Test User") -> User:
    n = next(_counter)
    return User.objects.create_user(
        email=email or f"user{n}@example.test", password=PASSWORD, full_name=full_name
    )


def make_world(name: str | None = None) -> TenantWorld:
    n = next(_counter)
    admin, organization = signup(
        email=f"admin{n}@msp{n}.test",
        password=PASSWORD,
        full_name=f"Admin {n}",
        organization_name=name or f"MSP {n}",
    )
    salesperson = make_user(email=f"sales{n}@msp{n}.test", full_name=f"Sales {n}")
    with tenant_context(organization.id):
        Membership.objects.create(user=salesperson, role=Role.SALESPERSON)
    return TenantWorld(organization=organization, admin=admin, salesperson=salesperson)


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe."""
    from apps.tenancy.services import invitation_create

    with world.context():
        invitation_create(
            email="invitee@example.test", role=Role.SALESPERSON, invited_by=world.admin
        )
