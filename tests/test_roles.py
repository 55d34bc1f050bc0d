"""Salespeople sell; only admins configure. Admin-only routes are found by their markers."""

from __future__ import annotations

import itertools

import pytest

from apps.tenancy.permissions import AdminRequiredMixin, IsAdminForWrites, IsTenantAdmin
from tests.test_isolation import _build_path, _load_isolation_fixtures, _model_for_kwarg, all_routes

WRITE_METHODS = ("post", "put", "patch", "delete")


def _admin_rule(route) -> str | None:
    """'all' when every method is admin-only, 'writes' for admin-only writes, else None."""
    callback = route.callback
    if getattr(callback, "admin_only", False):
        return "all"
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and issubclass(view_class, AdminRequiredMixin):
        return "all"
    drf_class = getattr(callback, "cls", None)
    permissions = getattr(drf_class, "permission_classes", []) or []
    if any(issubclass(p, IsAdminForWrites) for p in permissions):
        return "writes"
    if any(issubclass(p, IsTenantAdmin) for p in permissions):
        return "all"
    return None


@pytest.fixture
def seeded_world(world):
    _load_isolation_fixtures(world)
    return world


def _own_ids(world, model) -> list[str]:
    with world.context():
        return [str(i) for i in model.objects.values_list("id", flat=True)[:1]]


def test_salesperson_gets_403_on_every_admin_only_route(seeded_world):
    world = seeded_world
    client = world.salesperson_client()
    checked = []
    failures = []
    for route in all_routes():
        rule = _admin_rule(route)
        if rule is None:
            continue
        values: dict[str, list[str]] = {}
        for kwarg in route.converters:
            if kwarg == "format":
                values[kwarg] = ["json"]
                continue
            model = _model_for_kwarg(kwarg, route)
            values[kwarg] = _own_ids(world, model) if model is not None else []
        if any(not v for v in values.values()):
            failures.append(f"{route.pattern}: no own object to test with")
            continue
        keys = list(values)
        for combo in itertools.islice(itertools.product(*(values[k] for k in keys)), 1):
            path = _build_path(route, dict(zip(keys, combo, strict=True)))
            if path is None:
                continue
            methods = ("get", *WRITE_METHODS) if rule == "all" else WRITE_METHODS
            for method in methods:
                response = getattr(client, method)(path, content_type="application/json")
                if response.status_code == 405:
                    continue
                checked.append(f"{method} {path}")
                if response.status_code != 403:
                    failures.append(f"{method.upper()} {path} → {response.status_code}")
    assert failures == [], "\n".join(failures)
    assert any("members" in c for c in checked)


def test_admin_reaches_admin_routes(world):
    response = world.admin_client().get("/accounts/members/")
    assert response.status_code == 200
    assert world.salesperson.email in response.content.decode()


def test_salesperson_does_not_see_admin_navigation(world):
    body = world.salesperson_client().get("/dashboard/").content.decode()
    assert "/accounts/members/" not in body
    assert "/accounts/members/" in world.admin_client().get("/dashboard/").content.decode()
