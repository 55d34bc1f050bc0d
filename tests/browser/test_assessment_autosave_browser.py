"""The assessment form saves as you go: what was typed survives a reload, errors and all."""

import pytest

pytestmark = pytest.mark.browser


def test_assessment_autosaves_each_section(live_server, new_context, transactional_db):
    from apps.assessments.models import Assessment
    from apps.assessments.services import assessment_create
    from apps.clients.services import client_create
    from apps.tenancy.testing import make_world

    world = make_world("Autosave MSP")
    with world.context():
        client = client_create(user=world.salesperson, name="Harbor Dental Group")
        assessment = assessment_create(client=client, user=world.salesperson)
    session = world.salesperson_client().cookies["sessionid"].value
    context = new_context()
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    url = f"{live_server.url}/assessments/{assessment.id}/"
    page.goto(url)

    page.locator("#f-company-users").fill("25")
    page.locator("#f-company-sites").fill("-2")
    page.locator("#f-company-annual_revenue").click()  # leaving the field fires "change"
    page.locator("#fb-f-company-sites .field-error").wait_for()
    assert page.locator("#fb-f-company-sites").inner_text() == "Must be at least 1."
    page.locator("#status-company").get_by_text("Saved, except 1 value to fix").wait_for()
    # The feedback came out of band: the inputs (and the focus) were not replaced.
    assert page.evaluate("document.activeElement.id") == "f-company-annual_revenue"

    page.locator("#f-endpoints-desktops").fill("10")
    page.locator("#f-endpoints-laptops").fill("5")
    page.locator("#f-endpoints-average_age_years").click()
    page.locator("#fb-f-endpoints-laptops .field-warning").wait_for()
    assert "15 computers for 25 users" in page.locator("#fb-f-endpoints-laptops").inner_text()

    page.reload()
    assert page.locator("#f-company-users").input_value() == "25"
    assert page.locator("#f-company-sites").input_value() == "-2"
    assert page.locator("#fb-f-company-sites").inner_text() == "Must be at least 1."
    assert page.locator("#f-endpoints-laptops").input_value() == "5"
    with world.context():
        saved = Assessment.objects.get(id=assessment.id)
    assert saved.answers["company"]["users"] == 25
    assert saved.draft_values == {"company": {"sites": "-2"}}
