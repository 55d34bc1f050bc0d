"""Bad documents raise one EngineInputError that lists every bad field."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from .. import EngineInputError, compute, simulate, validate
from ..inputs import DEFAULT_SENSITIVITY_RANGES, SCHEMA
from .support import standard_inputs


def _errors(doc: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(EngineInputError) as info:
        if kwargs:
            compute(doc, **kwargs)
        else:
            validate(doc)
    assert isinstance(info.value, ValueError)
    return info.value.errors


def test_every_bad_field_is_reported_at_once() -> None:
    doc = standard_inputs()
    del doc["environment"]["users"]  # missing
    doc["labour"]["loaded_hourly_cost"] = "45"  # wrong type
    doc["break_fix"]["trip_fee"] = -50  # negative cost
    doc["environment"]["servers"] = -1  # negative count
    doc["tickets"]["billed_hours"] = -0.5  # negative hours
    doc["tickets"]["reduction"] = 1.0  # a reduction never reaches 1
    doc["outages"]["reduction"] = -0.1
    doc["major_security"]["probability_per_year"] = 1.5  # probability above 1
    doc["horizon_years"] = 11
    doc["simulation"]["trials"] = 50
    doc["environment"]["endpoints"] = 2.5  # a count must be whole
    doc["hardware"]["failure_rate"] = True  # a bool is not a number
    doc["data_loss"]["mean_cost"] = None  # not nullable
    doc["minor_security"]["tech_hours"] = math.nan
    doc["tickets"]["per_user_per_montth"] = 0.3  # typo: unknown field
    doc["sensitivity_ranges"] = {
        "tickets.no_such_input": [0, 1],  # unknown path
        "break_fix.hourly_rate": [250, 125],  # low > high
        "tickets.reduction": [0, 1.2],  # outside the field's own range
        "discount_rate": [0.05],  # not a pair
        "simulation.trials": [100, 200],  # not an input of the model
    }

    errors = _errors(doc)

    assert set(errors) == {
        "environment.users",
        "labour.loaded_hourly_cost",
        "break_fix.trip_fee",
        "environment.servers",
        "tickets.billed_hours",
        "tickets.reduction",
        "outages.reduction",
        "major_security.probability_per_year",
        "horizon_years",
        "simulation.trials",
        "environment.endpoints",
        "hardware.failure_rate",
        "data_loss.mean_cost",
        "minor_security.tech_hours",
        "tickets.per_user_per_montth",
        "sensitivity_ranges.tickets.no_such_input",
        "sensitivity_ranges.break_fix.hourly_rate",
        "sensitivity_ranges.tickets.reduction",
        "sensitivity_ranges.discount_rate",
        "sensitivity_ranges.simulation.trials",
    }
    assert errors["environment.users"] == ["is required"]
    assert errors["labour.loaded_hourly_cost"] == ["must be a number"]
    assert errors["tickets.reduction"] == ["must be in [0, 1)"]
    assert errors["environment.endpoints"] == ["must be a whole number"]
    assert errors["tickets.per_user_per_montth"] == ["unknown field"]
    assert errors["sensitivity_ranges.break_fix.hourly_rate"] == ["low must not exceed high"]
    assert errors["sensitivity_ranges.tickets.reduction"] == ["high must be in [0, 1)"]
    assert all(messages and all(messages) for messages in errors.values())


def test_the_message_names_every_field() -> None:
    doc = standard_inputs()
    doc["tickets"]["reduction"] = 2
    doc["discount_rate"] = -1
    with pytest.raises(EngineInputError) as info:
        validate(doc)
    assert "tickets.reduction" in str(info.value)
    assert "discount_rate" in str(info.value)


def test_a_missing_environment_lists_each_required_count() -> None:
    doc = standard_inputs()
    del doc["environment"]
    assert set(_errors(doc)) == {
        f"environment.{name}" for name, spec in SCHEMA["environment"].items() if spec.required
    }


@pytest.mark.parametrize("doc", [None, [], "{}", 3])
def test_a_document_that_is_not_an_object_is_rejected(doc: Any) -> None:
    assert _errors(doc) == {"": ["the input document must be a JSON object"]}


def test_a_section_that_is_not_an_object_is_rejected() -> None:
    doc = standard_inputs()
    doc["tickets"] = [0.3]
    doc["surprise"] = {}
    assert set(_errors(doc)) == {"tickets", "surprise"}


def test_horizon_outside_one_to_ten_years_is_rejected() -> None:
    for horizon, ok in ((0, False), (1, True), (10, True), (11, False)):
        doc = standard_inputs()
        doc["horizon_years"] = horizon
        if ok:
            assert validate(doc)["horizon_years"] == horizon
        else:
            assert set(_errors(doc)) == {"horizon_years"}


def test_a_median_incident_cost_above_the_mean_is_rejected() -> None:
    doc = standard_inputs()
    doc["major_security"]["median_cost"] = 200_000
    assert _errors(doc) == {"major_security.median_cost": ["must not exceed mean_cost"]}


def test_a_trials_override_is_checked_with_the_document() -> None:
    doc = standard_inputs()
    doc["tickets"]["reduction"] = 1
    assert set(_errors(doc, trials=10)) == {"tickets.reduction", "simulation.trials"}
    assert set(_errors(standard_inputs(), trials=2_000_000)) == {"simulation.trials"}
    with pytest.raises(EngineInputError):
        simulate(standard_inputs(), trials=50)


def test_a_simulation_too_large_to_finish_is_rejected() -> None:
    doc = standard_inputs()
    doc["outages"]["prior_per_year"] = 500.0  # 500 outages a year, each with its own duration
    doc["horizon_years"] = 10
    errors = _errors(doc, trials=1_000_000)
    assert list(errors) == ["simulation.trials"]


def test_a_minimal_document_gets_the_defaults() -> None:
    doc = {
        "environment": {
            "users": 10,
            "endpoints": 12,
            "servers": 1,
            "sites": 1,
            "network_devices": 3,
            "annual_revenue": 1_500_000,
        }
    }
    normalised = validate(doc)
    assert normalised["horizon_years"] == 3
    assert normalised["discount_rate"] == 0.10
    assert normalised["environment"]["working_hours_per_year"] == 2080.0
    assert normalised["managed"]["onboarding_fee"] is None
    assert normalised["labour"]["loaded_hourly_cost"] == 45.0
    assert normalised["sensitivity_ranges"] == {
        path: list(pair) for path, pair in DEFAULT_SENSITIVITY_RANGES.items()
    }
    # No seed given: one is derived from the document, so the result is still reproducible.
    seed = normalised["simulation"]["seed"]
    assert isinstance(seed, int) and 0 <= seed < 2**63
    assert validate(copy.deepcopy(doc))["simulation"]["seed"] == seed
    doc["environment"]["users"] = 11
    assert validate(doc)["simulation"]["seed"] != seed


def test_the_defaults_match_the_standard_golden_case() -> None:
    # Golden case 1 uses the product defaults (TCO_MODEL.md); only the assessment and the
    # outage history, simulation settings and sensitivity ranges are its own.
    golden_doc = standard_inputs()
    minimal = {"environment": golden_doc["environment"]}
    defaults = validate(minimal)
    normalised = validate(golden_doc)
    for section, fields in SCHEMA.items():
        for name in fields:
            if section in ("environment", "simulation") or name.startswith("observed_"):
                continue
            assert defaults[section][name] == normalised[section][name], f"{section}.{name}"


def test_validation_is_idempotent_and_does_not_touch_its_input() -> None:
    doc = standard_inputs()
    before = copy.deepcopy(doc)
    once = validate(doc)
    assert doc == before
    assert validate(once) == once
    assert isinstance(once["environment"]["users"], int)
    assert isinstance(once["break_fix"]["hourly_rate"], float)


def test_large_integer_seeds_are_kept_exactly() -> None:
    doc = standard_inputs()
    for seed in (2**53 + 1, 2**63 - 1):
        doc["simulation"] = {**doc["simulation"], "seed": seed}
        assert validate(doc)["simulation"]["seed"] == seed
