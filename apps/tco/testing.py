"""Test helpers for analyses: a complete assessment, and rows for the route-isolation probe."""

from __future__ import annotations

import copy
from typing import Any

from apps.tenancy.testing import TenantWorld

# An assessment close to golden case 1 (25 users, Standard tier, 4 outages last year), with
# every answer an analysis needs, and postures that leave the priors unchanged
# (backup untested ×1; MFA and EDR in place but not every control ×1).
COMPLETE_ANSWERS: dict[str, Any] = {
    "company": {
        "users": 25,
        "sites": 1,
        "annual_revenue": 4_000_000,
        "working_hours_per_year": 2080,
        "revenue_dependence": "medium",
    },
    "endpoints": {"desktops": 20, "laptops": 5},
    "servers": {"physical": 1, "virtual": 0},
    "network": {"firewalls": 1, "switches": 2, "access_points": 1},
    "backup": {"posture": "untested"},
    "security": {"mfa_email": True, "mfa_remote_access": True, "edr_all_endpoints": True},
    "incidents": {"period_months": 12, "outages": 4},
}


def complete_answers(**sections: dict[str, Any]) -> dict[str, Any]:
    """COMPLETE_ANSWERS with some sections' answers changed."""
    answers = copy.deepcopy(COMPLETE_ANSWERS)
    for section, values in sections.items():
        answers.setdefault(section, {}).update(values)
    return answers


def make_assessment(world: TenantWorld, *, answers: dict[str, Any] | None = None, client=None):
    """A client (unless given) and an assessment with complete answers; inside world's tenant."""
    from apps.assessments.services import assessment_create
    from apps.clients.services import client_create

    with world.context():
        if client is None:
            client = client_create(user=world.admin, name="Harbour Dental", industry="Healthcare")
        return assessment_create(
            client=client,
            user=world.salesperson,
            title="Discovery",
            answers=answers if answers is not None else complete_answers(),
        )


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe: a tier comparison."""
    from apps.clients.models import Client

    from .services import analysis_request

    with world.context():
        client = Client.objects.first()
    assessment = make_assessment(world, client=client)
    with world.context():
        analysis_request(assessment=assessment, user=world.salesperson, trials=1000)
