"""A new MSP signs up in the browser, sees inline errors, and lands on its dashboard."""

import pytest

pytestmark = pytest.mark.browser


def test_signup_in_the_browser(live_server, new_context):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Company (your MSP)").fill("Browser MSP")
    page.get_by_label("Your name").fill("Bea Browser")
    page.get_by_label("Work e-mail").fill("bea@browser.test")
    page.locator("#id_password").fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Create organisation").click()
    assert page.locator(".field-error").first.is_visible()
    assert page.get_by_label("Company (your MSP)").input_value() == "Browser MSP"

    page.locator("#id_password").fill("a-long-enough-passphrase")
    page.get_by_label("Password again").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create organisation").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.locator(".org-name").inner_text() == "Browser MSP"
