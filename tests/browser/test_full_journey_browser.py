"""The whole journey in a real browser, against a live server and a real Celery worker:
an MSP signs up, edits a tier, adds a client, fills the assessment, runs the analysis and
watches it finish, creates the proposal and its PDF, shares it; the prospect opens the link in
a separate browser context and accepts."""

from __future__ import annotations

import re

import pytest

from conftest import start_worker, stop_worker

pytestmark = pytest.mark.browser

ANSWERS = {
    "company-users": "25",
    "company-sites": "1",
    "company-annual_revenue": "4000000",
    "endpoints-desktops": "15",
    "endpoints-laptops": "10",
    "servers-physical": "1",
    "servers-virtual": "0",
    "network-firewalls": "1",
    "network-switches": "1",
    "network-access_points": "2",
    "incidents-period_months": "12",
    "incidents-outages": "4",
}
CHOICES = {
    "backup-posture": "untested",
    "security-mfa_email": "yes",
    "security-mfa_remote_access": "yes",
    "security-edr_all_endpoints": "yes",
}


def test_from_sign_up_to_accepted_proposal(live_server, new_context, transactional_db):
    from apps.proposals.models import Proposal
    from apps.tenancy.context import tenant_context
    from apps.tenancy.selectors import user_organizations

    base = live_server.url
    worker = start_worker()
    try:
        msp = new_context()
        page = msp.new_page()

        # 1. Sign up the MSP.
        page.goto(f"{base}/accounts/signup/")
        page.get_by_label("Company (your MSP)").fill("Journey Managed IT")
        page.get_by_label("Your name").fill("Jo Journey")
        page.get_by_label("Work e-mail").fill("jo@journey.test")
        page.locator("#id_password").fill("a-long-enough-passphrase")
        page.locator("#id_password_confirm").fill("a-long-enough-passphrase")
        page.get_by_role("button", name="Create organisation").click()
        page.wait_for_url(f"{base}/dashboard/")

        # 2. Edit a tier: Standard goes to 120 per user, as a new version.
        page.goto(f"{base}/pricing/")
        page.get_by_role("link", name="Standard", exact=True).click()
        page.locator("#id_price_per_user").fill("120")
        page.get_by_role("button", name="Save as a new version").click()
        page.wait_for_url(f"{base}/pricing/")
        assert "120" in page.locator("tr", has_text="Standard").inner_text()

        # 3. Add a client.
        page.goto(f"{base}/clients/new/")
        page.locator("#id_name").fill("Harbor <b>Dental</b> Group")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r".*/clients/\d+/$"))

        # 4. Fill the assessment; every change saves itself.
        page.get_by_role("button", name="New assessment").click()
        page.wait_for_url(re.compile(r".*/assessments/\d+/$"))
        for field, value in ANSWERS.items():
            page.locator(f"#f-{field}").fill(value)
            page.locator(f"#f-{field}").dispatch_event("change")
        for field, value in CHOICES.items():
            page.locator(f"#f-{field}").select_option(value)
        # The readiness box follows the saves without a reload...
        run = page.get_by_role("link", name="Run a TCO analysis")
        run.wait_for()
        # ...and everything typed was stored.
        page.reload()
        for field, value in {**ANSWERS, **CHOICES}.items():
            assert page.locator(f"#f-{field}").input_value() == value, field

        # 5. Run the analysis on the edited tier and watch it finish.
        run.click()
        page.wait_for_url(re.compile(r".*/analyses/new/.*"))
        for box in page.locator("input[name=tiers]").all():
            box.set_checked(False)
        page.locator("label", has_text="Standard").locator("input[name=tiers]").check()
        page.get_by_role("button", name="Run analysis").click()
        page.wait_for_url(re.compile(r".*/analyses/\d+/$"))
        page.locator("#verdict").wait_for(timeout=90_000)  # appears without a manual reload
        assert page.locator("svg.chart").count() >= 4
        savings_text = page.locator(".kpis").inner_text()
        assert "$" in savings_text

        # 6. Create the proposal and render its PDF.
        page.get_by_role("link", name="Create proposal").click()
        page.get_by_role("button", name="Create draft proposal").click()
        page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
        proposal_url = page.url
        page.get_by_role("button", name="Render PDF").click()
        page.get_by_role("link", name="Download PDF").wait_for(timeout=120_000)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download PDF").click()
        pdf_path = download_info.value.path()
        with open(pdf_path, "rb") as handle:
            assert handle.read(5) == b"%PDF-"

        # 7. Share it.
        page.get_by_role("button", name="Create share link").click()
        link = page.get_by_label("New share link").input_value()
        assert link.startswith(base) or "/p/" in link
        share_path = link[link.index("/p/") :]

        # 8. The prospect, in a separate browser context with no session, opens and accepts.
        prospect = new_context().new_page()
        prospect.goto(f"{base}{share_path}")
        body = prospect.locator("body").inner_text()
        assert "Harbor <b>Dental</b> Group" in body  # shown as text, not markup
        assert prospect.locator("svg").count() >= 1
        prospect.get_by_role("link", name="Accept or decline").click()
        prospect.locator("#id_full_name").fill("Pat Prospect")
        prospect.locator("#id_email").fill("pat@harbor.test")
        prospect.locator("#id_consent").check()
        prospect.get_by_role("button", name="Accept proposal").click()
        prospect.get_by_text(re.compile("accepted", re.I)).first.wait_for()

        # 9. The salesperson sees it accepted.
        page.goto(proposal_url)
        assert "Accepted" in page.locator("body").inner_text()
    finally:
        stop_worker(worker)

    from apps.accounts.models import User

    jo = User.objects.get(email="jo@journey.test")
    [organization] = user_organizations(user_id=jo.id)
    with tenant_context(organization.id):
        proposal = Proposal.objects.get()
        assert proposal.status == "accepted"
