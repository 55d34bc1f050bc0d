"""`manage.py tco_compute`: prints the output document; bad input → field errors, non-zero exit."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.tco import engine

ROOT = Path(__file__).resolve().parents[3]
CASE = ROOT / "apps" / "tco" / "engine" / "tests" / "golden" / "golden_01_standard_25_users.json"


def run(*args: str, stdin: str | None = None, monkeypatch=None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("tco_compute", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_the_output_document_of_a_file(tmp_path):
    inputs = json.loads(CASE.read_text())["inputs"]
    path = tmp_path / "input.json"
    path.write_text(json.dumps(inputs))
    out, _ = run(str(path), "--trials", "1000")
    printed = json.loads(out)
    assert printed == engine.compute(inputs, trials=1000)
    assert printed["present_value"]["savings"] == 4085.47


def test_reads_standard_input_and_golden_case_files(monkeypatch):
    out, _ = run("-", "--trials", "0", stdin=CASE.read_text(), monkeypatch=monkeypatch)
    printed = json.loads(out)
    assert printed["payback_month"] == 15
    assert printed["simulation"] is None


def test_bad_document_prints_field_errors_and_fails(monkeypatch):
    bad = {
        "environment": {
            "users": -3,
            "endpoints": 1,
            "servers": 0,
            "sites": 1,
            "network_devices": 0,
            "annual_revenue": 1,
        },
        "tickets": {"reduction": 1},
    }
    with pytest.raises(CommandError) as caught:
        run("-", stdin=json.dumps(bad), monkeypatch=monkeypatch)
    assert caught.value.returncode == 2


def test_cli_exit_status_and_messages():
    bad = json.dumps({"environment": {"users": "many"}, "tickets": {"reduction": 1.5}})
    completed = subprocess.run(
        [sys.executable, "manage.py", "tco_compute", "-"],
        input=bad,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "environment.users: must be a number" in completed.stderr
    assert "tickets.reduction: must be in [0, 1)" in completed.stderr
    assert "environment.sites: is required" in completed.stderr
    assert completed.stdout == ""
    garbage = subprocess.run(
        [sys.executable, "manage.py", "tco_compute", "-"],
        input="{not json",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert garbage.returncode == 2
    assert "not valid JSON" in garbage.stderr
