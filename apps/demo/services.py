"""The demo MSP that `make run` seeds: logins for an admin and a salesperson, and sample data.

Idempotent: running it again finds the demo organisation and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.services import signup
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Membership, Organization, Role
from apps.tenancy.selectors import user_organizations

DEMO_ORGANIZATION = "Northwind Managed IT"
DEMO_ADMIN_EMAIL = "admin@demo.breakeven.test"
DEMO_SALES_EMAIL = "sales@demo.breakeven.test"
DEMO_PASSWORD = "breakeven-demo-2026"


@dataclass
class DemoLogins:
    organization: Organization
    admin: User
    salesperson: User


@transaction.atomic
def demo_seed() -> DemoLogins:
    admin = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    if admin is None:
        admin, organization = signup(
            email=DEMO_ADMIN_EMAIL,
            password=DEMO_PASSWORD,
            full_name="Dana Admin",
            organization_name=DEMO_ORGANIZATION,
        )
    organization_id = user_organizations(user_id=admin.id)[0].id
    with tenant_context(organization_id):
        organization = Organization.objects.get(id=organization_id)
        salesperson = User.objects.filter(email=DEMO_SALES_EMAIL).first()
        if salesperson is None:
            salesperson = User.objects.create_user(
                email=DEMO_SALES_EMAIL, password=DEMO_PASSWORD, full_name="Sam Sales"
            )
        Membership.objects.get_or_create(user=salesperson, defaults={"role": Role.SALESPERSON})
        demo_seed_sample_data(organization=organization, salesperson=salesperson)
    return DemoLogins(organization=organization, admin=admin, salesperson=salesperson)


def demo_seed_sample_data(*, organization: Organization, salesperson: User) -> None:
    """Clients, a finished assessment and more, filled in as those features exist."""
    from apps.assessments.demo import demo_seed_prospect

    # A 25-user prospect with contacts and a complete, versioned assessment.
    demo_seed_prospect(salesperson=salesperson)
