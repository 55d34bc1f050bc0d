"""A complete, realistic assessment of a 25-user prospect (the demo seed and the tests use it).

The numbers are consistent with shared/tco/golden_01_standard_25_users.json: 25 users, 25
endpoints, 1 server, 1 site, 4 network devices, revenue 4,000,000, 2080 hours, a loaded cost of
45/h, 4 outages in the last 12 months, a backup that exists but is untested, MFA and EDR in place
but no training (so no security multiplier), no informal support. The break/fix spend of
24,740.63 is what 0.30 tickets per user-month plus 4 outages cost at the default rates, so the
invoice calibration of TCO_MODEL.md lands on the golden ticket rate.
"""

from __future__ import annotations

import copy
from typing import Any

COMPLETE_ANSWERS: dict[str, Any] = {
    "company": {
        "users": 25,
        "named_accounts": 28,
        "sites": 1,
        "annual_revenue": 4000000,
        "business_hours": "Mon–Fri 7:30–18:00, Sat 8:00–13:00",
        "working_hours_per_year": 2080,
        "loaded_hourly_cost": 45,
        "revenue_dependence": "medium",
    },
    "support": {
        "model": "break_fix",
        "provider": "Local break/fix technician",
        "bf_hourly_rate": 150,
        "bf_after_hours_multiplier": 1.5,
        "bf_emergency_multiplier": 2,
        "bf_trip_fee": 50,
        "last_12m_spend": 24740.63,
        "last_12m_calls": 94,
        "staff_it_hours_per_week": 0,
    },
    "endpoints": {"desktops": 15, "laptops": 10, "average_age_years": 4.5, "unsupported_os": 3},
    "servers": {
        "physical": 1,
        "virtual": 0,
        "average_age_years": 6,
        "cloud_services": "Microsoft 365 Business Standard",
        "line_of_business_apps": "Dentrix practice management, imaging (Sidexis), QuickBooks",
    },
    "network": {
        "firewalls": 1,
        "switches": 1,
        "access_points": 2,
        "isp_redundancy": False,
        "notes": "One cable line; the switch is unmanaged.",
    },
    "backup": {
        "what": "Nightly image of the practice server to a USB disk",
        "posture": "untested",
    },
    "security": {
        "mfa_email": True,
        "mfa_remote_access": True,
        "mfa_admin": False,
        "edr_all_endpoints": True,
        "email_filtering": True,
        "patch_cadence": "ad_hoc",
        "staff_training": False,
        "payment_change_verification": False,
        "cyber_insurance": True,
    },
    "compliance": {"frameworks": ["hipaa"], "notes": "Patient records (ePHI) on the server."},
    "incidents": {
        "period_months": 12,
        "outages": 4,
        "outage_average_hours": 6,
        "hardware_failures": 2,
        "data_loss_events": 0,
        "security_incidents": 1,
        "notes": "Two internet outages, a server crash, a failed switch. One phishing click.",
    },
    "requirements": {
        "coverage_hours": "extended",
        "onsite_needs": "On-site within 4 hours for the imaging room.",
        "term_months": 36,
    },
}


def complete_answers() -> dict[str, Any]:
    """A fresh copy of the complete answers."""
    return copy.deepcopy(COMPLETE_ANSWERS)


DEMO_CLIENT = "Harbor Dental Group"
DEMO_ASSESSMENT = "Discovery visit"


def demo_seed_prospect(*, salesperson) -> Any:
    """The demo prospect: a 25-user dental practice with contacts and a complete, versioned
    assessment. Runs inside the demo tenant; idempotent (finds what exists)."""
    from django.utils import timezone

    from apps.clients.models import Client
    from apps.clients.services import client_create, contact_create

    from .models import Assessment
    from .services import assessment_create, assessment_mark_complete

    client = Client.objects.filter(name=DEMO_CLIENT).order_by("id").first()
    if client is None:
        client = client_create(
            user=salesperson,
            name=DEMO_CLIENT,
            industry="Dental practice",
            website="https://harbordental.example",
            address="412 Harbor Street\nPortsmouth, NH 03801",
            notes="Referred by their accountant. Frustrated by slow break/fix response.",
            status="prospect",
        )
        contact_create(
            client=client,
            name="Dr. Maya Chen",
            role="Owner, DDS",
            email="maya.chen@harbordental.example",
            phone="+1 603 555 0142",
        )
        contact_create(
            client=client,
            name="Luis Ortega",
            role="Office manager",
            email="luis.ortega@harbordental.example",
            phone="+1 603 555 0143",
        )
    assessment = Assessment.objects.filter(client=client, title=DEMO_ASSESSMENT).first()
    if assessment is None:
        assessment = assessment_create(
            client=client,
            user=salesperson,
            title=DEMO_ASSESSMENT,
            assessed_on=timezone.localdate(),
            answers=complete_answers(),
        )
    if assessment.current_version_id is None:
        assessment_mark_complete(assessment=assessment, user=salesperson)
        assessment.refresh_from_db()
    return assessment
