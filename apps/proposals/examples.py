"""A realistic proposal snapshot without a database: golden case 1 priced by the real engine.

Used by the layout tests, the renderer tests and bench/pdf.py to render a full proposal
whatever state the other apps' data is in. The real snapshot comes from `proposal_create`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .branding import DEFAULT_TERMS

GOLDEN = Path(__file__).resolve().parents[1] / "tco" / "engine" / "tests" / "golden"

EXAMPLE_ANSWERS: dict[str, Any] = {
    "company": {
        "users": 25,
        "sites": 1,
        "annual_revenue": "4000000",
        "revenue_dependence": "medium",
    },
    "support": {"last_12m_spend": "31500", "last_12m_calls": 88, "staff_it_hours_per_week": "3"},
    "endpoints": {"desktops": 10, "laptops": 15, "average_age_years": "4.5", "unsupported_os": 3},
    "servers": {"physical": 1, "virtual": 0},
    "network": {"firewalls": 1, "switches": 2, "access_points": 1, "isp_redundancy": False},
    "backup": {"posture": "untested"},
    "security": {
        "mfa_email": True,
        "mfa_remote_access": False,
        "mfa_admin": True,
        "edr_all_endpoints": False,
        "email_filtering": True,
        "patch_cadence": "ad_hoc",
        "staff_training": False,
        "payment_change_verification": True,
        "cyber_insurance": False,
    },
    "compliance": {"frameworks": ["pci_dss"]},
    "incidents": {
        "period_months": 12,
        "outages": 4,
        "hardware_failures": 2,
        "security_incidents": 1,
    },
}

EXAMPLE_QUESTION = "Which line-of-business apps matter most?"
TIER_EXTRAS = {
    "Essentials": ("Remote support and monitoring for small offices; backup is not included.", 100),
    "Standard": ("Everything in Essentials, with managed backup and security hardening.", 125),
    "Premium": ("Everything in Standard, with extended hours and lifecycle management.", 175),
}


def golden_inputs(name: str = "golden_01_standard_25_users.json") -> dict[str, Any]:
    return json.loads((GOLDEN / name).read_text())["inputs"]


def example_option(
    inputs: dict[str, Any], *, tier: str = "Standard", trials: int = 4000, recommended: bool = True
) -> dict[str, Any]:
    from apps.tco import engine

    inputs = copy.deepcopy(inputs)
    inputs["simulation"]["trials"] = trials
    result = engine.compute(inputs)
    try:  # the results page's histogram, when the tco app provides it
        from apps.tco.histogram import savings_histogram

        result["simulation"]["histogram"] = savings_histogram(
            inputs, trials=trials, seed=int(inputs["simulation"]["seed"])
        )
    except ImportError:
        pass
    description, _ = TIER_EXTRAS.get(tier, ("", 0))
    sources = {
        "environment.users": {"source": "assessment", "detail": "company.users"},
        "environment.endpoints": {"source": "assessment", "detail": "desktops + laptops"},
        "managed.price_per_user": {"source": "tier", "detail": f"{tier} v1"},
        "outages.observed_count": {"source": "assessment", "detail": "incidents.outages"},
    }
    return {
        "analysis_id": None,
        "group": None,
        "recommended": recommended,
        "tier": {
            "name": tier,
            "version": 1,
            "description": description,
            "included_services": [
                "Remote and on-site help desk, business hours",
                "24/7 monitoring and alerting of servers and network",
                "Operating-system and third-party patching",
                "Managed backup with offsite copy and quarterly restore tests",
            ],
            "contract_term_months": 36,
        },
        "assumption_set": {
            "name": "Default assumptions",
            "version": 1,
            "values": {
                "labour.loaded_hourly_cost": {
                    "value": 45,
                    "low": 35.27,
                    "high": 60,
                    "grade": "A",
                    "source": "BLS ECEC 2024",
                    "label": "Loaded cost of an hour of staff time",
                },
                "hardware.failure_rate": {
                    "value": 0.068,
                    "low": 0.05,
                    "high": 0.1,
                    "grade": "B",
                    "source": "SquareTrade, 30,000 laptops",
                    "label": "",
                },
            },
        },
        "inputs": inputs,
        "input_sources": sources,
        "overrides": {},
        "result": result,
        "engine_version": result.get("engine_version", ""),
        "seed": inputs["simulation"]["seed"],
    }


def example_snapshot(
    *,
    client_name: str = "Contoso Dental Group",
    tiers: tuple[str, ...] = ("Standard",),
    custom: list[dict[str, Any]] | None = None,
    logo: dict[str, str] | None = None,
    trials: int = 4000,
) -> dict[str, Any]:
    base = golden_inputs()
    options = []
    for index, tier in enumerate(tiers):
        inputs = copy.deepcopy(base)
        inputs["managed"]["price_per_user"] = TIER_EXTRAS.get(tier, ("", 125))[1]
        options.append(example_option(inputs, tier=tier, trials=trials, recommended=index == 0))
    return {
        "schema": 1,
        "proposal": {
            "title": "Managed IT services",
            "version": 1,
            "date": "2026-11-20",
            "valid_until": (dt.date(2026, 11, 20) + dt.timedelta(days=30)).isoformat(),
            "terms": DEFAULT_TERMS,
            "note": "",
            "prepared_by": {"name": "Sam Sales", "email": "sam@northwind.example"},
        },
        "organization": {"id": 1, "name": "Northwind Managed IT", "currency": "USD"},
        "branding": {
            "company_name": "Northwind Managed IT",
            "primary_color": "#1f5fbf",
            "address": "1 Harbour Street, Springfield",
            "phone": "+1 555 0100",
            "email": "hello@northwind.example",
            "website": "https://northwind.example",
            "legal_footer": "Northwind Managed IT LLC · 1 Harbour Street, Springfield",
            "logo": logo,
        },
        "client": {"id": 1, "name": client_name, "industry": "Healthcare"},
        "assessment": {
            "title": "Initial assessment",
            "assessed_on": "2026-11-12",
            "answers": EXAMPLE_ANSWERS,
            "custom": custom
            or [
                {"id": 1, "label": "Which line-of-business apps matter most?", "answer": "Dentrix"}
            ],
        },
        "options": options,
    }
