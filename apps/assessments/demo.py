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
