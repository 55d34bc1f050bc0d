"""Who may import whom (STYLE.md "Layers"), checked on the source with the ast module."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT / "apps"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                base = ".".join(package)
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


def _sources(pattern: str) -> list[Path]:
    return [p for p in APPS.glob(pattern) if "migrations" not in p.parts and "tests" not in p.parts]


def test_core_imports_no_other_app():
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            n for n in _imports(p) if n.startswith("apps.") and not n.startswith("apps.core")
        )
        for p in _sources("core/**/*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_engine_imports_neither_django_nor_the_apps():
    offenders = {}
    for path in (APPS / "tco" / "engine").rglob("*.py"):
        bad = [
            n
            for n in _imports(path)
            if n.split(".")[0] in ("django", "rest_framework", "celery")
            or (n.startswith("apps.") and not n.startswith("apps.tco.engine"))
        ]
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_models_and_selectors_do_not_reach_up():
    forbidden_suffixes = (".services", ".tasks", ".views", ".api", ".forms")
    offenders = {}
    for pattern in ("*/models.py", "*/selectors.py"):
        for path in _sources(pattern):
            bad = [
                n
                for n in _imports(path)
                if n.startswith("apps.") and n.endswith(forbidden_suffixes)
            ]
            if bad:
                offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_services_do_not_import_views_or_serializers():
    offenders = {}
    for path in _sources("*/services.py"):
        bad = [
            n
            for n in _imports(path)
            if n.startswith("apps.") and n.endswith((".views", ".api", ".forms", ".serializers"))
        ]
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}
