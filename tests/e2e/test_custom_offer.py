"""In Chromium: a new client messages a designer from the listing, receives a custom offer, accepts
it once a moderator approved it, pays; the designer opens the client's profile from the request and accepts the case, and the
client sees its due date."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from extensions import commit, db
from listings import operations as listing_ops
from models.listings import Listing
from models.offers import CustomOffer
from tests.catalogue.factories import make_designer, make_listing, moderator
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


def _log_out(page):
    page.click("form[action$='/account/logout'] button")


def test_from_a_question_to_a_paid_custom_offer(live_server, browser):
    base = live_server.url
    designer = make_designer(email="elena@example.com", name="Elena CAD")
    listing = make_listing(designer)  # $9.00 a unit
    lab = make_user(email="newlab@example.com", name="Northside Lab")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # the new client writes from the listing
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/listings/{listing.id}")
    page.click("[data-message-designer]")
    expect(page.locator("h1")).to_have_text("Write to Elena CAD")
    page.fill("#body", "Hello, could you do three crowns on 14, 15, 16 for $25 in total?")
    page.click("main button[type=submit]")
    expect(page.locator(".conversation-head")).to_contain_text("About: Zirconia crowns designed in exocad")
    expect(page.locator(".conversation-side")).to_contain_text("Zirconia crowns designed in exocad")
    conversation_url = page.url
    _log_out(page)

    # the designer answers with a custom offer
    log_in(page, base, designer.email, PASSWORD)
    page.goto(conversation_url)
    page.click("text=Send a custom offer")
    page.fill("#units", "3")
    page.check("input[name=pricing][value=total]")
    page.fill("#total", "25.00")
    page.click("button:has-text('Send offer')")
    expect(page.locator(".error-text")).to_contain_text("$24.99 or $25.02")  # not three equal prices in cents
    page.fill("#total", "25.02")
    page.fill("#turnaround_days", "3")
    page.fill("#note", "Three crowns as discussed.")
    page.click("button:has-text('Send offer')")
    expect(page.locator(".flash-success")).to_contain_text("Your offer is sent")
    expect(page.locator("[data-offer-status]")).to_have_attribute("data-offer-status", "in_review")
    _log_out(page)

    # a moderator approves the private listing the offer became
    offer = db.session.scalar(db.select(CustomOffer))
    listing_ops.approve_listing(db.session.get(Listing, offer.listing_id), actor=moderator())
    commit()

    # the client accepts, lands on the order page prefilled with the offer's terms, and pays
    log_in(page, base, lab.email, PASSWORD)
    page.goto(conversation_url)
    card = page.locator("[data-offer]")
    expect(card).to_contain_text("$25.02")
    expect(card).to_contain_text("3 days")
    card.locator("button:has-text('Accept offer')").click()
    expect(page.locator(".flash-success")).to_contain_text("Offer accepted")
    expect(page.locator("h1")).to_have_text("Send a case")
    expect(page.locator(".page-head .muted")).to_contain_text("3 day(s) turnaround")
    for tooth in ("14", "15", "16"):
        page.click(f'[data-svg-tooth="{tooth}"]')
    expect(page.locator("[data-total]")).to_have_text("$25.02")
    page.select_option("#material", "zirconia")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.click("button:has-text('Confirm payment')")
    expect(page.locator(".flash-success")).to_contain_text("was sent")
    case_url = page.url
    assert re.search(r"/cases/OC-\w+", case_url)
    _log_out(page)

    # the designer opens the client's profile from the request
    log_in(page, base, designer.email, PASSWORD)
    page.goto(case_url)
    page.click("[data-client-profile]")
    expect(page.locator("h1")).to_have_text("Northside Lab")
    expect(page.locator('[data-figure="completed"] dd')).to_have_text("0")
    expect(page.locator('[data-figure="disputes"] dd')).to_have_text("0")

    # the designer accepts: the offer's three working days become the case's due date, which the
    # client sees with its countdown
    page.goto(case_url)
    page.click("button:has-text('Accept case')")
    expect(page.locator("#case-due")).to_contain_text("due in")
    _log_out(page)
    log_in(page, base, lab.email, PASSWORD)
    page.goto(case_url)
    expect(page.locator("#case-due")).to_contain_text("due in")
