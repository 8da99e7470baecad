"""In Chromium: after a contract month is paid out, the designer finds the month's invoice and
commission invoice on the contract page and in Settings > Transactions, and downloads the PDF."""

from __future__ import annotations

import os

from playwright.sync_api import expect

from tests.contracts.test_invoices import month_documents, paid_month
from tests.factories import PASSWORD
from tests.fixtures.browser import log_in

SHOTS = os.environ.get("SHOTS_DIR")  # set to keep the screenshots for a look


def test_the_designer_finds_and_downloads_the_months_invoices(live_server, browser):
    base = live_server.url
    contract, month = paid_month()
    service, commission = month_documents(month)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, contract.designer.email, PASSWORD)

    page.goto(f"{base}/contracts/{contract.reference}")
    row = page.locator("tr", has_text=service.display_number)
    expect(row).to_contain_text(commission.display_number)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/contract_page_en.png", full_page=True)

    page.goto(f"{base}/settings/transactions")
    listed = page.locator("table.month-invoices")
    expect(listed).to_contain_text(contract.reference)
    expect(listed).to_contain_text(service.display_number)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/transactions_en.png", full_page=True)

    response = page.request.get(f"{base}/invoices/{service.id}.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
