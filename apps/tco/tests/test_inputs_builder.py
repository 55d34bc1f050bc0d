"""The inputs builder: each calibration of TCO_MODEL.md, the golden case, and the sources record."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from apps.pricing.defaults import DEFAULT_TIERS, default_assumption_values
from apps.tco import engine
from apps.tco.inputs_builder import (
    backup_posture_multiplier,
    build_inputs,
    engine_errors_by_field,
    informal_support_hours,
    loaded_hourly_cost,
    outage_duration_blend,
    outage_rate_credibility,
    revenue_at_risk,
    security_posture_multiplier,
    ticket_rate_from_calls,
    ticket_rate_from_invoices,
    validate_overrides,
)

GOLDEN = Path(__file__).resolve().parents[1] / "engine" / "tests" / "golden"
STANDARD = next(t for t in DEFAULT_TIERS if t["name"] == "Standard")
ESSENTIALS = next(t for t in DEFAULT_TIERS if t["name"] == "Essentials")
SOURCES = {"assessment", "tier", "assumption", "override", "derived"}

ALL_CONTROLS = {
    "mfa_email": True,
    "mfa_remote_access": True,
    "mfa_admin": True,
    "edr_all_endpoints": True,
    "email_filtering": True,
    "patch_cadence": "monthly",
    "staff_training": True,
    "payment_change_verification": True,
}


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


def golden_1_answers() -> dict:
    """An assessment that describes golden case 1 (25 users, 4 outages last year)."""
    return {
        "company": {
            "users": 25,
            "sites": 1,
            "annual_revenue": 4_000_000,
            "revenue_dependence": "medium",
        },
        "endpoints": {"desktops": 20, "laptops": 5},
        "servers": {"physical": 1, "virtual": 0},
        "network": {"firewalls": 1, "switches": 2, "access_points": 1},
        "incidents": {"period_months": 12, "outages": 4},
    }


def tier(base: dict, **changes) -> dict:
    return {**base, "number": 1, **changes}


# --- the calibrations, one by one ------------------------------------------------------------


def test_outage_credibility_blends_prior_and_history_like_golden_case_1():
    # (λ0·β0 + k) / (β0 + t) = (2·1 + 4) / (1 + 1)
    assert outage_rate_credibility(
        prior_per_year=2, prior_weight_years=1, observed_count=4, observed_years=1
    ) == pytest.approx(3.0)


def test_outage_credibility_without_history_is_the_prior():
    assert outage_rate_credibility(
        prior_per_year=2, prior_weight_years=1, observed_count=0, observed_years=0
    ) == pytest.approx(2.0)


def test_outage_credibility_long_history_outweighs_the_prior():
    # 30 outages over 3 years: the blend moves most of the way from 2 towards 10 a year.
    rate = outage_rate_credibility(
        prior_per_year=2, prior_weight_years=1, observed_count=30, observed_years=3
    )
    assert rate == pytest.approx(32 / 4)


DEFAULT_RATES = {
    "billed_hours": 1.25,
    "hourly_rate": 150.0,
    "after_hours_share": 0.15,
    "after_hours_multiplier": 1.5,
    "emergency_multiplier": 2.0,
    "trip_fee": 50.0,
    "onsite_share": 0.4,
    "outage_tech_hours": 4.0,
}


def test_ticket_rate_from_invoices_follows_the_formula():
    rate = ticket_rate_from_invoices(
        spend=20_000, outages=4, users=25, prior_rate=0.3, **DEFAULT_RATES
    )
    # r_eff(1) = 150·(1 + 0.15·0.5) = 161.25; per ticket 1.25·161.25 + 0.4·50 = 221.5625
    # outage work 4·4·300 = 4800; τ_obs = 15200 / (221.5625·12·25)
    observed = 15_200 / (221.5625 * 12 * 25)
    assert rate is not None
    assert rate.observed == pytest.approx(observed)
    assert rate.blended == pytest.approx((0.3 + observed) / 2)


def test_ticket_rate_from_invoices_never_goes_negative():
    # The bill does not even cover the emergency work of the outages: τ_obs = 0.
    rate = ticket_rate_from_invoices(
        spend=1_000, outages=4, users=25, prior_rate=0.3, **DEFAULT_RATES
    )
    assert rate is not None
    assert rate.observed == 0
    assert rate.blended == pytest.approx(0.15)


def test_ticket_rate_from_invoices_needs_users():
    assert (
        ticket_rate_from_invoices(spend=5_000, outages=0, users=0, prior_rate=0.3, **DEFAULT_RATES)
        is None
    )


def test_ticket_rate_from_calls_blends_calls_per_user_month():
    rate = ticket_rate_from_calls(calls=120, users=25, prior_rate=0.3)
    assert rate is not None
    assert rate.observed == pytest.approx(0.4)
    assert rate.blended == pytest.approx(0.35)


@pytest.mark.parametrize(
    ("posture", "multiplier"),
    [("none", 2.0), ("untested", 1.0), ("tested_offsite", 0.3), (None, 1.0), ("unknown", 1.0)],
)
def test_backup_posture_multiplier(posture, multiplier):
    assert backup_posture_multiplier(posture) == multiplier


def test_security_posture_all_controls_in_place_lowers_the_risk():
    assert security_posture_multiplier({"security": ALL_CONTROLS}) == 0.7


@pytest.mark.parametrize("missing", ["mfa_email", "mfa_remote_access", "edr_all_endpoints"])
def test_security_posture_missing_mfa_or_edr_raises_the_risk(missing):
    answers = {"security": {**ALL_CONTROLS, missing: False}}
    assert security_posture_multiplier(answers) == 1.5


def test_security_posture_a_minor_gap_is_neutral():
    answers = {"security": {**ALL_CONTROLS, "patch_cadence": "quarterly"}}
    assert security_posture_multiplier(answers) == 1.0
    answers = {"security": {**ALL_CONTROLS, "staff_training": False}}
    assert security_posture_multiplier(answers) == 1.0


def test_security_posture_unanswered_is_neutral_and_admin_mfa_does_not_count():
    assert security_posture_multiplier({}) == 1.0
    assert security_posture_multiplier({"security": {**ALL_CONTROLS, "mfa_admin": False}}) == 0.7


def test_informal_support_hours_per_user_month():
    bf, ms = informal_support_hours(staff_it_hours_per_week=10, users=25, managed_reduction=0.75)
    assert bf == pytest.approx(10 * 52 / 12 / 25)
    assert ms == pytest.approx(bf * 0.25)
    assert informal_support_hours(staff_it_hours_per_week=10, users=0, managed_reduction=0.75) == (
        0.0,
        0.0,
    )


def test_loaded_cost_from_salary_and_benefits():
    value, how = loaded_hourly_cost(
        loaded=None, salary=60_000, benefits_percent=25, working_hours=2080
    )
    assert value == pytest.approx(75_000 / 2080)
    assert "salary" in how
    assert loaded_hourly_cost(loaded=52.5, salary=60_000, benefits_percent=25, working_hours=2080)[
        0
    ] == pytest.approx(52.5)
    assert (
        loaded_hourly_cost(loaded=None, salary=None, benefits_percent=None, working_hours=2080)
        is None
    )


def test_revenue_at_risk_from_dependence():
    assert (revenue_at_risk("low"), revenue_at_risk("medium"), revenue_at_risk("high")) == (
        0.05,
        0.10,
        0.20,
    )
    assert revenue_at_risk(None) is None


def test_outage_duration_blend_weights_the_prior_as_its_pseudo_count():
    assert outage_duration_blend(
        prior_hours=6, prior_outages=2, observed_count=4, observed_hours=3
    ) == pytest.approx((12 + 12) / 6)
    assert (
        outage_duration_blend(prior_hours=6, prior_outages=2, observed_count=0, observed_hours=3)
        == 6
    )


# --- build_inputs ------------------------------------------------------------------------------


def test_golden_case_1_is_rebuilt_from_an_assessment_the_standard_tier_and_the_defaults():
    case = golden("golden_01_standard_25_users")
    doc, _ = build_inputs(
        golden_1_answers(),
        tier(STANDARD),
        default_assumption_values(),
        trials=case["inputs"]["simulation"]["trials"],
        seed=case["inputs"]["simulation"]["seed"],
    )
    assert engine.validate(doc) == engine.validate(case["inputs"])
    result = engine.compute(doc, trials=0)
    expected = case["expected"]["present_value"]
    for key in ("break_fix", "managed", "savings"):
        assert result["present_value"][key] == pytest.approx(expected[key], abs=0.10)


def test_every_input_has_a_source():
    doc, sources = build_inputs(golden_1_answers(), tier(STANDARD), default_assumption_values())
    paths = [
        f"{section}.{name}" if isinstance(values, dict) else section
        for section, values in doc.items()
        if section != "sensitivity_ranges"
        for name in (values if isinstance(values, dict) else [None])
    ]
    assert set(paths) <= set(sources)
    assert {s["source"] for s in sources.values()} <= SOURCES
    for path, source in sources.items():
        assert source["detail"], path


def test_sources_name_the_answer_the_tier_and_the_assumption():
    answers = golden_1_answers()
    doc, sources = build_inputs(answers, tier(ESSENTIALS, number=3), default_assumption_values())
    assert sources["environment.users"]["source"] == "assessment"
    assert sources["environment.users"]["answer"] == "company.users"
    assert sources["environment.endpoints"]["value"] == 25
    assert "20 + 5" in sources["environment.endpoints"]["detail"]
    assert sources["managed.price_per_user"] == {
        "value": 100.0,
        "source": "tier",
        "detail": "Pricing tier Essentials v3",
    }
    hardware = sources["hardware.failure_rate"]
    assert hardware["source"] == "assumption"
    assert hardware["grade"] == "B"
    assert "SquareTrade" in hardware["detail"]
    assert sources["outages.revenue_at_risk"]["value"] == 0.10
    assert doc["managed"]["onboarding_fee"] is None


def test_ticket_rate_is_calibrated_from_last_years_spend():
    answers = golden_1_answers()
    answers["support"] = {"last_12m_spend": "20000.00"}
    doc, sources = build_inputs(answers, tier(STANDARD), default_assumption_values())
    observed = 15_200 / (221.5625 * 12 * 25)
    assert doc["tickets"]["per_user_per_month"] == pytest.approx((0.3 + observed) / 2)
    source = sources["tickets.per_user_per_month"]
    assert source["source"] == "derived"
    assert source["answer"] == "support.last_12m_spend"
    assert "20,000" in source["detail"]


def test_outage_history_over_24_months_counts_as_two_years():
    answers = golden_1_answers()
    answers["incidents"] = {"period_months": 24, "outages": 6}
    doc, _ = build_inputs(answers, tier(STANDARD), default_assumption_values())
    assert doc["outages"]["observed_years"] == 2.0
    assert doc["outages"]["observed_count"] == 6
    assert engine.compute(doc, trials=0)["derived"]["outages_per_year"] == pytest.approx(
        outage_rate_credibility(
            prior_per_year=2, prior_weight_years=1, observed_count=6, observed_years=2
        ),
        abs=0.005,
    )


def test_postures_and_informal_support_reach_the_document():
    answers = golden_1_answers()
    answers["backup"] = {"posture": "none"}
    answers["security"] = {**ALL_CONTROLS, "edr_all_endpoints": False}
    answers["support"] = {"staff_it_hours_per_week": Decimal("5")}
    doc, sources = build_inputs(answers, tier(STANDARD), default_assumption_values())
    assert doc["data_loss"]["events_per_year"] == pytest.approx(0.2)
    assert doc["major_security"]["probability_per_year"] == pytest.approx(0.045)
    assert doc["minor_security"]["events_per_year"] == pytest.approx(0.75)
    assert "EDR" in sources["major_security.probability_per_year"]["detail"]
    bf = 5 * 52 / 12 / 25
    assert doc["informal_support"]["hours_per_user_month_break_fix"] == pytest.approx(bf)
    assert doc["informal_support"]["hours_per_user_month_managed"] == pytest.approx(bf * 0.25)


def test_an_override_wins_over_a_calibration_and_records_its_reason():
    answers = golden_1_answers()
    answers["support"] = {"last_12m_spend": 20_000}
    overrides = {"tickets.per_user_per_month": {"value": 0.5, "reason": "Ticket export", "by": 7}}
    doc, sources = build_inputs(answers, tier(STANDARD), default_assumption_values(), overrides)
    assert doc["tickets"]["per_user_per_month"] == 0.5
    assert sources["tickets.per_user_per_month"]["source"] == "override"
    assert sources["tickets.per_user_per_month"]["detail"] == "Ticket export"
    assert sources["tickets.per_user_per_month"]["by"] == 7


def test_an_overridden_rate_feeds_the_ticket_calibration():
    answers = golden_1_answers()
    answers["support"] = {"last_12m_spend": 20_000}
    overrides = {"break_fix.hourly_rate": {"value": 200, "reason": "Their invoices"}}
    doc, _ = build_inputs(answers, tier(STANDARD), default_assumption_values(), overrides)
    per_ticket = 1.25 * 200 * 1.075 + 20
    observed = (20_000 - 4 * 4 * 400) / (per_ticket * 300)
    assert doc["tickets"]["per_user_per_month"] == pytest.approx((0.3 + observed) / 2)


def test_answered_break_fix_rates_and_salary_replace_the_assumptions():
    answers = golden_1_answers()
    answers["company"].update(average_salary=52_000, benefits_percent=30)
    answers["support"] = {"bf_hourly_rate": 175, "bf_trip_fee": 0}
    doc, sources = build_inputs(answers, tier(STANDARD), default_assumption_values())
    assert doc["labour"]["loaded_hourly_cost"] == pytest.approx(52_000 * 1.3 / 2080)
    assert doc["break_fix"]["hourly_rate"] == 175
    assert doc["break_fix"]["trip_fee"] == 0
    assert sources["break_fix.hourly_rate"]["source"] == "assessment"


def test_sensitivity_ranges_come_from_the_assumption_set():
    values = default_assumption_values()
    values["outages.reduction"] = {**values["outages.reduction"], "low": 0.1, "high": 0.9}
    doc, _ = build_inputs(golden_1_answers(), tier(STANDARD), values)
    assert doc["sensitivity_ranges"]["outages.reduction"] == [0.1, 0.9]


# --- overrides and errors ------------------------------------------------------------------------


def test_validate_overrides_reports_each_bad_row():
    clean, errors = validate_overrides(
        {
            "tickets.reduction": {"value": "0.4", "reason": "Agreed SLA"},
            "nope.path": {"value": 1, "reason": "x"},
            "labour.loaded_hourly_cost": {"value": "abc", "reason": "x"},
            "outages.reduction": {"value": 0.6, "reason": " "},
        }
    )
    assert clean == {"tickets.reduction": {"value": 0.4, "reason": "Agreed SLA"}}
    assert set(errors) == {
        "overrides.nope.path",
        "overrides.labour.loaded_hourly_cost",
        "overrides.outages.reduction",
    }
    assert validate_overrides([1, 2])[1] == {
        "overrides": ["must be an object mapping input paths to {value, reason}"]
    }


def test_engine_errors_point_at_the_field_the_user_can_fix():
    answers = golden_1_answers()
    overrides = {"tickets.reduction": {"value": 1.0, "reason": "Everything prevented"}}
    doc, sources = build_inputs(answers, tier(STANDARD), default_assumption_values(), overrides)
    with pytest.raises(engine.EngineInputError) as caught:
        engine.validate(doc)
    mapped = engine_errors_by_field(caught.value.errors, sources)
    assert mapped == {"overrides.tickets.reduction": ["must be in [0, 1)"]}

    del answers["company"]["users"]
    doc, sources = build_inputs(answers, tier(STANDARD), default_assumption_values())
    with pytest.raises(engine.EngineInputError) as caught:
        engine.validate(doc)
    assert "answers.company.users" in engine_errors_by_field(caught.value.errors, sources)
