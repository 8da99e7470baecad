"""The back button after paying, in Chromium: the order page comes back, and sending it again
shows the case already created instead of a second case and a second card hold."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from extensions import db
from models.cases import Case
from models.ledger import SandboxObject, SandboxObjectKind
from tests.catalogue.factories import make_designer, make_listing
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_back_after_paying_and_sending_again_shows_the_same_case_and_holds_once(live_server, page):
    base = live_server.url
    listing = make_listing(make_designer(email="elena@example.com", name="Elena CAD"))  # $9.00 a unit
    lab = make_user(email="lab@example.com", name="Northside Lab")
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/cases/new?listing_id={listing.id}")
    page.click('[data-svg-tooth="11"]')
    page.fill("#client_case_id", "LAB-2026-31")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.click("button:has-text('Confirm payment')")
    expect(page.locator(".flash-success")).to_contain_text("was sent")
    case_url = page.url
    reference = re.search(r"/cases/(OC-\w+)", case_url).group(1)

    page.go_back()
    expect(page.locator("[data-order-placed]")).to_contain_text(f"You already sent this order as case {reference}")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.click("button:has-text('Confirm payment')")

    expect(page.locator(".flash-info")).to_contain_text(f"This case was already sent as {reference}")
    assert page.url == case_url
    assert _count(Case) == 1
    assert _count(SandboxObject, SandboxObject.kind == SandboxObjectKind.payment_intent) == 1
