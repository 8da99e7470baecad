"""In a real browser: a signed-out visitor (locked out of their account) writes from the footer's "Contact us",
confirms the address by the mailed link, support staff answer from the back-office queue, and the visitor reads
the answer through the link of the answer's mail and writes back."""

from __future__ import annotations

import email
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from models.accounts import StaffRole
from tests.backoffice.factories import current_code, make_staff
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _mailed_link(app, to: str, part: str) -> str:
    """The link containing `part` in the newest mail to `to`."""
    folder = Path(app.config["MAIL_OUTBOX"])
    for path in sorted(folder.iterdir(), reverse=True):
        mail = email.message_from_bytes(path.read_bytes())
        if mail["To"] == to:
            links = [
                link for link in re.findall(r"https?://\S+", mail.get_payload(decode=True).decode()) if part in link
            ]
            if links:
                return links[0]
    raise AssertionError(f"no mail to {to} with a {part} link")


def test_a_signed_out_visitor_files_a_ticket_staff_answer_and_the_visitor_reads_it(live_server, live_app, browser):
    base = live_server.url
    agent = make_staff(StaffRole.support, name="Sam Support")
    address = "locked.out.lab@example.com"

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = visitor.new_page()
    page.goto(f"{base}/")
    page.click("#footer-contact")
    page.fill("input[name=email]", address)
    page.select_option("select[name=topic]", "account")
    page.fill("input[name=subject]", "Cannot log in since yesterday")
    page.fill("textarea[name=text]", "The reset mail never arrives, so I cannot reach my cases.")
    page.click("#contact-submit")
    page.wait_for_selector("#check-mail")

    page.goto(_mailed_link(live_app, address, "/support/confirm/"))
    # expect() names what the page said instead, should the confirmation ever not show.
    expect(page.locator("main")).to_contain_text("Your address is confirmed")
    expect(page.locator("main")).to_contain_text("Waiting for our team")

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    bo = staff.new_page()
    log_in(bo, base, agent.email, PASSWORD)
    bo.goto(f"{base}/backoffice/support/")
    bo.fill("input[name=code]", current_code())
    bo.click("button:has-text('Continue')")
    bo.click("#tickets a")
    assert address in bo.inner_text("#ticket-from")
    bo.click("#take-item")
    bo.wait_for_selector("text=You hold this item now")
    bo.fill("#answer-text", "We sent the reset mail again: look in the spam folder too.")
    bo.click("#answer-send")
    bo.wait_for_selector("text=Your answer is sent; the ticket waits on the user.")

    page.goto(_mailed_link(live_app, address, "/support/t/"))
    thread = page.inner_text("#ticket-thread")
    assert "We sent the reset mail again" in thread and "Occlusa support" in thread
    assert "Answered: waiting for you" in page.inner_text("main")
    page.fill("textarea[name=text]", "Found it in the spam folder, thank you!")
    page.click("#answer-submit")
    page.wait_for_selector("text=Your answer is sent.")
    assert "Found it in the spam folder" in page.inner_text("#ticket-thread")
    visitor.close()
    staff.close()
