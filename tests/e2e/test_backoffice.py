"""In a real browser: a moderator passes TOTP, rejects a listing with a reason, the designer reads it,
edits and resubmits, the moderator approves, and the listing appears in search. No CSP errors."""

from __future__ import annotations

import pytest

from models.accounts import StaffRole
from tests.backoffice.factories import current_code, make_pending_listing, make_staff
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _watch_console(page) -> list[str]:
    problems = []
    # Browsers ask for /favicon.ico on their own; everything else must load and run.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    return problems


def test_moderator_rejects_designer_fixes_moderator_approves(live_server, browser):
    base = live_server.url
    listing = make_pending_listing(title="Monolithic zirconia crowns")
    designer = listing.designer
    moderator = make_staff(StaffRole.moderator, name="Maya Moderator")

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    mod_page = staff.new_page()
    problems = _watch_console(mod_page)
    log_in(mod_page, base, moderator.email, PASSWORD)
    mod_page.goto(f"{base}/backoffice/reviews/listings/")
    mod_page.fill("input[name=code]", current_code())
    mod_page.click("button:has-text('Continue')")
    mod_page.click("text=Monolithic zirconia crowns")
    mod_page.click("#take-item")
    mod_page.check("#reason-missing_images")
    mod_page.fill("#note", "Please add an occlusal view of the crown.")
    mod_page.click("button:has-text('Reject')")
    mod_page.wait_for_selector("text=Listing rejected")

    owner = browser.new_context(viewport={"width": 390, "height": 844})
    designer_page = owner.new_page()
    log_in(designer_page, base, designer.email, PASSWORD)
    designer_page.goto(f"{base}/listings/mine/{listing.id}")
    assert designer_page.is_visible("text=Please add an occlusal view of the crown.")
    designer_page.click("a:has-text('Edit')")
    designer_page.fill(
        "textarea[name=description]",
        designer_page.input_value("textarea[name=description]") + " Occlusal and buccal views in every delivery.",
    )
    designer_page.click("button[value=save]")
    designer_page.goto(f"{base}/listings/mine/{listing.id}")
    designer_page.click("button:has-text('Send for review')")
    designer_page.wait_for_selector("text=sent for review")

    mod_page.goto(f"{base}/backoffice/reviews/listings/")
    mod_page.click("text=Monolithic zirconia crowns")
    assert mod_page.is_visible("text=Changes since the approved version")
    mod_page.click("#take-item")
    mod_page.click("button:has-text('Approve')")
    mod_page.wait_for_selector("text=Listing approved")
    assert problems == [], problems

    designer_page.goto(f"{base}/find?q=zirconia")
    assert designer_page.is_visible("text=Monolithic zirconia crowns")
    staff.close()
    owner.close()
