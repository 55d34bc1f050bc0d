"""In a browser, with a real worker: run a comparison, watch the progress, see results appear."""

from __future__ import annotations

import os

import pytest

from conftest import start_worker, stop_worker

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TCO_SCREENSHOTS")  # a directory: keep screenshots of the pages


def test_run_a_tier_comparison_and_the_results_appear_without_reloading(
    live_server, new_context, transactional_db
):
    from apps.tco.models import Analysis
    from apps.tco.testing import make_assessment
    from apps.tenancy.testing import make_world

    world = make_world("Browser MSP")
    assessment = make_assessment(world)
    session = world.salesperson_client().cookies["sessionid"].value
    context = new_context()
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    worker = start_worker()
    try:
        page.goto(f"{live_server.url}/analyses/new/?assessment={assessment.id}")
        assert page.locator("input[name=tiers]:checked").count() == 3
        page.get_by_role("button", name="Run analysis").click()
        page.wait_for_url("**/compare/")
        # The page polls the job rows and reloads itself when each finishes (HX-Refresh).
        page.locator("#recommendation").wait_for(timeout=60_000)
        page.wait_for_function("!document.querySelector('.job')", timeout=60_000)
        assert "Essentials saves the most" in page.locator("#recommendation").inner_text()
        assert page.locator("#comparison tbody tr").count() == 9
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/compare.png", full_page=True)

        page.get_by_role("link", name="Standard").first.click()
        page.locator("#verdict").wait_for()
        kpis = page.locator(".kpis").inner_text()
        assert "$4,085" in kpis and "−$43,939" in kpis and "Month 15" in kpis
        assert page.locator("svg.chart").count() == 4
        assert page.locator("svg.chart g.payback").count() == 1
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/results.png", full_page=True)
    finally:
        stop_worker(worker)
    with world.context():
        assert Analysis.objects.filter(status="succeeded").count() == 3
