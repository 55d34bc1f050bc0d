"""A real Celery worker: each task sees only its own tenant and inherits nothing."""

import time
import uuid

from celery import current_app
from django.core.cache import cache

from conftest import start_worker, stop_worker


def _wait_for(key: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"worker did not report {key}")


def test_worker_tasks_are_confined_to_their_tenant(transactional_db):
    from apps.tenancy.testing import make_world

    alpha, bravo = make_world("Alpha"), make_world("Bravo")
    worker = start_worker("--include", "apps.tenancy.tests.probe_tasks")
    try:
        keys = {name: f"probe-{name}-{uuid.uuid4().hex}" for name in ("a", "b", "none", "bad")}
        current_app.send_task(
            "tests.probe_tenant", kwargs={"key": keys["a"], "organization_id": alpha.id}
        )
        seen_a = _wait_for(keys["a"])
        # The same single worker process runs the next tasks.
        current_app.send_task(
            "tests.probe_tenant", kwargs={"key": keys["b"], "organization_id": bravo.id}
        )
        seen_b = _wait_for(keys["b"])
        current_app.send_task("tests.probe_no_tenant", kwargs={"key": keys["none"]})
        seen_none = _wait_for(keys["none"])
        current_app.send_task("tests.probe_missing_tenant_argument", kwargs={"key": keys["bad"]})
        seen_bad = _wait_for(keys["bad"])
    finally:
        log = stop_worker(worker)

    assert seen_a["visible_membership_orgs"] == [alpha.id]
    assert seen_a["visible_organizations"] == [alpha.id]
    assert seen_a["setting"] == str(alpha.id)
    assert seen_b["visible_membership_orgs"] == [bravo.id]
    assert seen_b["visible_organizations"] == [bravo.id]
    assert seen_none == {
        "setting": "",
        "visible_membership_orgs": [],
        "visible_organizations": [],
        "context": None,
    }
    assert seen_bad == {"error": "TenantNotSetError"}
    assert "TenantNotSetError" in log
