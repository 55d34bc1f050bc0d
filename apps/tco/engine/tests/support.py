"""Where the golden cases live, and loading them.

The contract's cases are in `shared/tco/` beside the repository (`/work/shared/tco` next to
`/work/main`; in CI `<clone>/../shared`). A copy sits in `golden/` so the tests also run without
`shared/`; when both exist the shared ones are used and the copies must be identical.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[3]  # tests → engine → tco → apps → repository root
SHARED_DIR = REPO_ROOT.parent / "shared" / "tco"
LOCAL_DIR = HERE / "golden"

GOLDEN_NAMES = (
    "golden_01_standard_25_users",
    "golden_02_small_office_essentials",
    "golden_03_premium_120_users",
)


def golden_dir() -> Path:
    return SHARED_DIR if SHARED_DIR.is_dir() else LOCAL_DIR


@cache
def _load(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((golden_dir() / f"{name}.json").read_text(encoding="utf-8"))
    return case


def golden(name: str) -> dict[str, Any]:
    """A fresh copy of a golden case ({"name", "inputs", "expected"})."""
    return copy.deepcopy(_load(name))


def standard_inputs() -> dict[str, Any]:
    """The product defaults (golden case 1's inputs), a base for property tests."""
    inputs: dict[str, Any] = golden(GOLDEN_NAMES[0])["inputs"]
    return inputs
