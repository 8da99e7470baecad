"""In Chromium: the client finds the accepted case on their home page with its countdown and
sees the due date on the case; the designer sees it under work due; a long search on a phone
stays within the screen and a refused price filter shows its message."""

from __future__ import annotations

from playwright.sync_api import expect

from models.cases import CaseState
from tests.cases.factories import drive, make_case, make_parties
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD


def test_both_sides_see_the_due_date_from_their_home(live_server, browser):
    base = live_server.url
    client, designer = make_parties()
    case = drive(make_case(client, designer), CaseState.in_progress)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, client.email, PASSWORD)
    page.goto(f"{base}/home")
    with_designers = page.locator("#in-the-works")
    expect(with_designers).to_contain_text(case.reference)
    expect(with_designers).to_contain_text("due in")
    with_designers.get_by_role("link", name=case.reference).click()
    expect(page.locator("#case-due")).to_contain_text(case.due_at.strftime("%Y-%m-%d %H:%M"))
    page.context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, base, designer.email, PASSWORD)
    phone.goto(f"{base}/home")
    expect(phone.locator("#work-due")).to_contain_text(case.reference)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.context.close()


def test_a_long_search_on_a_phone_stays_on_screen_and_keeps_the_query(live_server, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    query = "zirconiacrownwithoutanyspace" * 4
    page.goto(f"{live_server.url}/find?q={query}&min_price=50&max_price=10")
    expect(page.locator("#q")).to_have_value(query)
    expect(page.get_by_text("The maximum price must be at least the minimum price.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
