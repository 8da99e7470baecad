"""In Chromium: a designer offers a monthly contract from a conversation, the client accepts it
with a card, the month is charged by the sweep, and the client sends cases under it: the first
is "case 1 of 3" on its page, and the contract page counts the places used."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from extensions import commit, db
from jobs.sweep import run_sweeps
from messaging.threads import open_general_conversation
from models.contracts import Contract
from models.types import utcnow
from tests.factories import PASSWORD, make_user
from tests.fixtures.browser import log_in


def _log_out(page):
    page.click("form[action$='/account/logout'] button")


def test_designer_offers_a_contract_and_the_client_sends_cases_under_it(live_server, browser):
    base = live_server.url
    designer = make_user(email="dana@example.com", name="Dana CAD", client=False, designer=True)
    lab = make_user(email="lab@example.com", name="Northside Lab")
    conversation = open_general_conversation(lab, designer, subject="Crowns every month")
    commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # the designer offers the contract from the conversation
    log_in(page, base, designer.email, PASSWORD)
    page.goto(f"{base}/messages/{conversation.id}")
    page.click("text=Offer a monthly contract")
    expect(page.locator("h1")).to_have_text("Monthly contract for Northside Lab")
    page.fill("#title", "Zirconia crowns, anatomic")
    page.fill("#cases_per_month", "3")
    page.fill("#month_price", "300")
    page.fill("#extra_case_price", "120")
    page.fill("#turnaround_days", "3")
    page.fill("#starts_on", utcnow().date().isoformat())
    page.fill("#notice_days", "30")
    page.click("button:has-text('Send contract offer')")
    expect(page.locator(".flash-success")).to_contain_text("Your contract offer is sent to Northside Lab")
    expect(page.locator("h1")).to_contain_text("Offered")
    _log_out(page)

    # the client accepts with a card
    reference = db.session.scalar(db.select(Contract.reference))
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/contracts/")
    page.click(f"text={reference}")
    expect(page.locator("main")).to_contain_text("$300.00")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.click("button:has-text('Accept the contract')")
    expect(page.locator(".flash-success")).to_contain_text("Contract accepted")
    expect(page.locator("h1")).to_contain_text("Running")

    # the sweep charges the first month; the client sends two cases under it
    run_sweeps(utcnow() + timedelta(minutes=1))
    page.reload()
    expect(page.locator(".allowance")).to_have_text("0 of 3 cases used")
    page.fill("#instructions", "Anatomic crown on 36, zirconia, shade A2, contacts tight.")
    page.click("button:has-text('Send a case under this contract')")
    expect(page.locator(".flash-success")).to_contain_text("was sent under the contract")
    expect(page.locator("main")).to_contain_text("case 1 of 3")
    page.goto(f"{base}/contracts/{reference}")
    page.fill("#instructions", "Anatomic crown on 46, zirconia, shade A3.")
    page.click("button:has-text('Send a case under this contract')")
    expect(page.locator("main")).to_contain_text("case 2 of 3")
    page.goto(f"{base}/contracts/{reference}")
    expect(page.locator(".allowance")).to_have_text("2 of 3 cases used")
    expect(page.locator("table")).to_contain_text("$300.00")
