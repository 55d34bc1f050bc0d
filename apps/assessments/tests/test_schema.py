"""The assessment schema: parsing, ranges, cross-field warnings, what an analysis needs."""

import datetime as dt

import pytest

from apps.assessments import schema
from apps.assessments.demo import complete_answers


def test_contract_answer_keys_exist_with_their_types():
    expected = {
        "company.users": "int",
        "company.sites": "int",
        "company.annual_revenue": "decimal",
        "company.working_hours_per_year": "int",
        "company.loaded_hourly_cost": "decimal",
        "company.average_salary": "decimal",
        "company.benefits_percent": "decimal",
        "company.revenue_dependence": "choice",
        "support.bf_hourly_rate": "decimal",
        "support.last_12m_spend": "decimal",
        "support.last_12m_calls": "int",
        "support.staff_it_hours_per_week": "decimal",
        "endpoints.desktops": "int",
        "endpoints.laptops": "int",
        "servers.physical": "int",
        "servers.virtual": "int",
        "network.firewalls": "int",
        "network.isp_redundancy": "bool",
        "backup.posture": "choice",
        "backup.last_restore_test": "date",
        "security.mfa_email": "bool",
        "security.patch_cadence": "choice",
        "compliance.frameworks": "multichoice",
        "incidents.period_months": "int",
        "incidents.outages": "int",
        "incidents.outage_average_hours": "decimal",
        "requirements.coverage_hours": "choice",
        "requirements.term_months": "int",
    }
    for path, kind in expected.items():
        assert schema.field_get(path) is not None, path
        assert schema.field_get(path).type == kind, path
    assert [k for k, _ in schema.field_get("backup.posture").choices] == [
        "none",
        "untested",
        "tested_offsite",
    ]
    assert schema.REVENUE_AT_RISK == {"low": 0.05, "medium": 0.10, "high": 0.20}


@pytest.mark.parametrize(
    ("path", "raw", "value", "error"),
    [
        ("company.users", "25", 25, None),
        ("company.users", " 1,200 ", 1200, None),
        ("company.users", "-1", None, "Must be at least 0."),
        ("company.users", "1000000000000", None, "Must be at most 100,000."),
        ("company.users", "2.5", None, "Enter a whole number."),
        ("company.users", "abc", None, "Enter a number."),
        ("company.users", True, None, "Enter a number."),
        ("company.users", "", None, None),
        ("company.sites", "0", None, "Must be at least 1."),
        ("company.annual_revenue", "4000000.50", 4000000.5, None),
        ("company.annual_revenue", "NaN", None, "Enter a number."),
        ("company.annual_revenue", "1e300", None, "Must be at most 100,000,000,000."),
        ("incidents.period_months", "6", None, "Must be at least 12."),
        ("security.mfa_email", "yes", True, None),
        ("security.mfa_email", False, False, None),
        ("security.mfa_email", "maybe", None, "Choose yes or no."),
        ("backup.posture", "tested_offsite", "tested_offsite", None),
        ("backup.posture", "great", None, "Choose one of the options."),
        ("backup.last_restore_test", "2024-02-30", None, "Enter a date (YYYY-MM-DD)."),
        ("backup.last_restore_test", "2999-01-01", None, "Cannot be in the future."),
        ("compliance.frameworks", ["soc2", "hipaa", "hipaa"], ["hipaa", "soc2"], None),
        (
            "compliance.frameworks",
            ["none", "hipaa"],
            None,
            "“None” cannot be combined with a framework.",
        ),
        ("compliance.frameworks", ["iso"], None, "Choose among the options."),
        ("requirements.onsite_needs", "x" * 2001, None, "At most 2000 characters."),
    ],
)
def test_clean_value(path, raw, value, error):
    assert schema.clean_value(schema.field_get(path), raw, today=dt.date(2026, 1, 1)) == (
        value,
        error,
    )


def test_missing_for_analysis_lists_required_labels():
    missing = schema.missing_for_analysis({"company": {"users": 25}})
    assert "Company profile: Users (people who use a computer)" not in missing
    assert "Company profile: Sites (offices with IT)" in missing
    assert "Backup and continuity: Backup posture" in missing
    assert schema.missing_for_analysis(complete_answers()) == []


def test_laptops_and_desktops_below_users_is_a_warning():
    warnings = schema.warnings(
        {"company": {"users": 25}, "endpoints": {"desktops": 10, "laptops": 5}}
    )
    assert warnings["endpoints.laptops"] == [
        "15 computers for 25 users: are some shared, or missing?"
    ]
    assert "endpoints.laptops" not in schema.warnings(complete_answers())


def test_tested_backup_without_a_recent_restore_test_is_a_warning():
    answers = {"backup": {"posture": "tested_offsite", "last_restore_test": "2020-01-01"}}
    assert schema.warnings(answers, today=dt.date(2026, 1, 1))["backup.last_restore_test"]


def test_derived_counts():
    counts = schema.derived_counts(complete_answers())
    assert counts == {"users": 25, "endpoints": 25, "servers": 1, "sites": 1, "network_devices": 4}
    assert schema.derived_counts({})["endpoints"] is None
