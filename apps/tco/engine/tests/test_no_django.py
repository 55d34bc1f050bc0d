"""The engine stays pure: standard library and NumPy only (STYLE.md layer rules)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]
REPO_ROOT = ENGINE.parents[2]
ENGINE_ALLOWED = set(sys.stdlib_module_names) | {"numpy"}
# The tests may also use their own tools, still without Django.
TEST_ALLOWED = ENGINE_ALLOWED | {"pytest", "hypothesis"}


def _imported_roots(path: Path) -> set[str]:
    """Top-level module names a file imports (relative imports stay inside the engine)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.partition(".")[0])
    return roots


def test_engine_modules_import_only_the_standard_library_and_numpy() -> None:
    sources = [p for p in ENGINE.rglob("*.py") if "tests" not in p.relative_to(ENGINE).parts]
    assert len(sources) >= 6
    for path in sources:
        foreign = _imported_roots(path) - ENGINE_ALLOWED
        assert not foreign, f"{path.relative_to(REPO_ROOT)} imports {sorted(foreign)}"


def test_engine_tests_do_not_import_django_either() -> None:
    for path in (ENGINE / "tests").rglob("*.py"):
        foreign = _imported_roots(path) - TEST_ALLOWED
        assert not foreign, f"{path.relative_to(REPO_ROOT)} imports {sorted(foreign)}"


def test_importing_and_running_the_engine_loads_no_django() -> None:
    script = (
        "import sys\n"
        "import apps.tco.engine as engine\n"
        "doc = {'environment': {'users': 5, 'endpoints': 5, 'servers': 0, 'sites': 1,\n"
        "       'network_devices': 1, 'annual_revenue': 500000}}\n"
        "engine.compute(doc, trials=100)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, check=True, timeout=60)
