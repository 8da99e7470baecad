"""In a browser, with CSRF on: the agent writes to both parties, the client answers privately,
the designer never sees that answer, and each reads the times in their own time zone."""

from __future__ import annotations

from models.accounts import StaffRole
from tests.backoffice.factories import current_code, make_staff
from tests.disputes.factories import disputed
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user

TO_BOTH = "Please both say which scan version the design was made from."
PRIVATE = "Version 2 of the scan, sent on the third day; I kept the first one too."


def _as(browser, base: str, email: str, zone: str = "UTC"):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id=zone)
    page = context.new_page()
    log_in(page, base, email, PASSWORD)
    return context, page


def test_agent_and_parties_speak_in_the_dispute(live_server, browser):
    base = live_server.url
    customer = make_user(email="lab@example.com", name="Lab North")
    designer = make_user(email="dana@example.com", name="Dana Designer", client=False, designer=True)
    make_staff(StaffRole.resolution_agent, email="agent@example.com", name="Alex Agent")
    _case, dispute = disputed(customer, designer)

    context, page = _as(browser, base, "agent@example.com")
    page.goto(f"{base}/backoffice/resolution/{dispute.id}")
    page.fill("input[name=code]", current_code())
    page.click("form:has(input[name=code]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    if f"/backoffice/resolution/{dispute.id}" not in page.url:
        page.goto(f"{base}/backoffice/resolution/{dispute.id}")
    page.click("#take-item")  # opening a dispute claims nothing: the agent takes it
    page.wait_for_load_state("networkidle")
    page.select_option("#message-audience", "all")
    page.fill("#message-body", TO_BOTH)
    page.click("#dispute-message-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Your message was sent" in page.inner_text("body")
    assert TO_BOTH in page.inner_text("#conversation")
    context.close()

    context, page = _as(browser, base, customer.email, zone="Europe/Paris")
    page.goto(f"{base}/disputes/{dispute.id}")
    message = page.locator("#conversation [data-speaker=agent]")
    assert TO_BOTH in message.inner_text() and "Resolution centre" in message.inner_text()
    shown = message.locator("time").inner_text()
    assert "UTC" not in shown and "GMT+1" in shown, shown  # the reader's zone, not the server's
    page.select_option("#message-audience", "client")
    page.fill("#message-body", PRIVATE)
    page.click("#dispute-message-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Your message was sent" in page.inner_text("body")
    assert PRIVATE in page.inner_text("#conversation")
    context.close()

    context, page = _as(browser, base, designer.email)
    page.goto(f"{base}/disputes/{dispute.id}")
    conversation = page.inner_text("#conversation")
    assert TO_BOTH in conversation and PRIVATE not in conversation
    context.close()
