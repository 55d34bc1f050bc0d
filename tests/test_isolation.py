"""Every route of the project, probed by organisation B's admin with organisation A's ids: 404.

Routes are enumerated from the URL resolver, so a new route is covered without editing this
file. Organisation A gets at least one row in every tenant table (each app's `testing.py`
provides `isolation_fixtures(world)`); organisation B gets nothing but its members. A route
that takes object ids is then requested with every id A owns for the matching model (or, when
the model cannot be told from the route, with every id A owns that B does not), and must answer
404 — never 200, 403 or 500. Token routes get tampered tokens and must answer 404 or 410.
"""

from __future__ import annotations

import importlib
import itertools
import re
import secrets
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from apps.tenancy.db import tenant_models
from apps.tenancy.models import Organization


@dataclass
class Route:
    pattern: str  # a regex-ish description for messages
    name: str
    callback: object
    converters: dict[str, str]  # kwarg -> "int" | "str" | "uuid" | "slug" | "path"
    parts: list  # pattern objects from the root to the leaf


def _walk(resolver: URLResolver, parents: list) -> list[Route]:
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        chain = [*parents, entry.pattern]
        if isinstance(entry, URLResolver):
            routes.extend(_walk(entry, chain))
        elif isinstance(entry, URLPattern):
            converters: dict[str, str] = {}
            for part in chain:
                for key, converter in getattr(part, "converters", {}).items():
                    converters[key] = type(converter).__name__.replace("Converter", "").lower()
                regex = getattr(part, "_regex", None) or ""
                for key in re.findall(r"\(\?P<(\w+)>", str(regex)):
                    converters.setdefault(key, "regex")
            routes.append(
                Route(
                    pattern="".join(str(p) for p in chain),
                    name=entry.name or "",
                    callback=entry.callback,
                    converters=converters,
                    parts=chain,
                )
            )
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver(), [])


def _build_path(route: Route, values: dict[str, str]) -> str | None:
    path = ""
    for part in route.parts:
        text = str(part)
        if hasattr(part, "converters") and part.converters:
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], text)
        elif "(?P<" in text:
            # A regex route (DRF's format suffix and the like): fill named groups, drop anchors.
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), ""), text)
            text = text.replace("^", "").replace("$", "").replace("\\.", ".")
            if "(" in text or "[" in text:
                return None
        text = text.replace("^", "").replace("$", "")
        path += text
    return "/" + path.lstrip("/")


def _model_for_kwarg(kwarg: str, route: Route):
    models = {m._meta.model_name: m for m in tenant_models()}
    if kwarg.endswith("_id") and kwarg[:-3].replace("_", "") in models:
        return models[kwarg[:-3].replace("_", "")]
    if kwarg in ("pk", "id"):
        view_class = getattr(route.callback, "cls", None) or getattr(
            route.callback, "view_class", None
        )
        queryset = getattr(view_class, "queryset", None)
        if queryset is not None:
            return queryset.model
        serializer = getattr(view_class, "serializer_class", None)
        meta = getattr(serializer, "Meta", None)
        if meta is not None and getattr(meta, "model", None) is not None:
            return meta.model
        model = getattr(view_class, "model", None)
        if model is not None:
            return model
    return None


def _load_isolation_fixtures(world) -> None:
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("apps."):
            continue
        try:
            module = importlib.import_module(f"{app_config.name}.testing")
        except ModuleNotFoundError:
            continue
        fixture = getattr(module, "isolation_fixtures", None)
        if fixture is not None:
            fixture(world)


@pytest.fixture
def populated(db):
    from apps.tenancy.testing import make_world

    alpha = make_world("Alpha Victim IT")
    _load_isolation_fixtures(alpha)
    bravo = make_world("Bravo Prober IT")
    owned_by_alpha: dict[type, set[int]] = {}
    owned_by_bravo: dict[type, set[int]] = {}
    for model in tenant_models():
        field = "id" if model is Organization else "organization_id"
        with alpha.context():
            owned_by_alpha[model] = set(
                model._base_manager.filter(**{field: alpha.id}).values_list("id", flat=True)
            )
        with bravo.context():
            owned_by_bravo[model] = set(
                model._base_manager.filter(**{field: bravo.id}).values_list("id", flat=True)
            )
    return alpha, bravo, owned_by_alpha, owned_by_bravo


def test_every_tenant_model_has_an_isolation_fixture(populated):
    _, _, owned_by_alpha, _ = populated
    missing = [m._meta.label for m, ids in owned_by_alpha.items() if not ids]
    assert missing == [], (
        "Add rows for these models to their app's testing.isolation_fixtures(world) so the "
        f"route probe can use their ids: {missing}"
    )


def test_routes_are_enumerated(populated):
    names = {route.name for route in all_routes()}
    assert {"dashboard", "members", "invitation_accept", "job-detail"} <= names


def test_every_route_answers_404_to_another_tenant(populated):
    alpha, bravo, owned_by_alpha, owned_by_bravo = populated
    client = bravo.admin_client()
    alpha_only_ids = set(itertools.chain.from_iterable(owned_by_alpha.values())) - set(
        itertools.chain.from_iterable(owned_by_bravo.values())
    )
    probed = 0
    failures: list[str] = []
    for route in all_routes():
        if not set(route.converters) - {"format"}:
            continue  # a list route (perhaps with a format suffix): see the next test
        candidates: dict[str, list[str]] = {}
        for kwarg, kind in route.converters.items():
            if kwarg == "format":
                candidates[kwarg] = ["json"]
            elif kwarg == "token" or kind in ("str", "slug", "path", "regex"):
                candidates[kwarg] = [
                    f"{alpha.id}.{secrets.token_urlsafe(32)}",
                    "not-a-token",
                ]
            elif kind == "uuid":
                candidates[kwarg] = ["00000000-0000-4000-8000-000000000000"]
            else:
                model = _model_for_kwarg(kwarg, route)
                if model is not None:
                    ids = owned_by_alpha.get(model, set()) - owned_by_bravo.get(model, set())
                else:
                    ids = alpha_only_ids
                candidates[kwarg] = [str(i) for i in sorted(ids)[:3]]
        if any(not values for values in candidates.values()):
            failures.append(f"{route.pattern}: no id of organisation A to probe with")
            continue
        keys = list(candidates)
        for combo in itertools.product(*(candidates[k] for k in keys)):
            path = _build_path(route, dict(zip(keys, combo, strict=True)))
            if path is None:
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                if response.status_code == 405:
                    continue
                probed += 1
                allowed = {404, 410} if "token" in route.converters else {404}
                if response.status_code not in allowed:
                    failures.append(
                        f"{method.upper()} {path} ({route.name}) → {response.status_code}"
                    )
                break
    assert failures == [], "\n".join(failures)
    assert probed >= 5


def test_lists_show_nothing_of_another_tenant(populated):
    alpha, bravo, _, _ = populated
    client = bravo.admin_client()
    for route in all_routes():
        if set(route.converters) - {"format"} or not route.name:
            continue
        path = _build_path(route, {"format": "json"})
        if path is None or path.startswith(("/static", "/media", "/api/schema", "/api/docs")):
            continue
        response = client.get(path)
        assert response.status_code < 500, f"{path} → {response.status_code}"
        body = response.content.decode(errors="replace")
        assert alpha.organization.name not in body, f"{path} shows organisation A's name"
        assert alpha.admin.email not in body, f"{path} shows organisation A's admin"
