"""In a real browser: a moderator works through five listings with "decide and next", from the
keyboard, in due order; a key typed in a field decides nothing. No CSP errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from extensions import commit, db
from models.accounts import StaffRole
from models.listings import Listing
from models.moderation import AuditEntry
from models.profiles import ReviewState
from models.types import utcnow
from moderation import claims
from tests.backoffice.factories import current_code, make_pending_listing, make_ready_designer, make_staff
from tests.fixtures.browser import log_in
from tests.e2e.test_backoffice import _watch_console
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

SUBCATEGORIES = ("anatomic_crown", "coping", "cutback", "provisional")


def test_a_moderator_works_through_five_listings_with_decide_and_next(live_server, browser):
    base = live_server.url
    first_designer, second_designer = make_ready_designer(), make_ready_designer()
    listings = []
    for n in range(5):
        designer = first_designer if n < 4 else second_designer
        listing = make_pending_listing(designer, title=f"Queue listing {n + 1}", subcategory=SUBCATEGORIES[n % 4])
        listings.append(listing)
    for n, listing in enumerate(listings):  # listing 1 is due first
        db.session.execute(
            sa.update(Listing).where(Listing.id == listing.id).values(submitted_at=utcnow() - timedelta(hours=20 - n))
        )
    commit()
    moderator = make_staff(StaffRole.moderator, name="Maya Moderator")

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    problems = _watch_console(page)
    log_in(page, base, moderator.email, PASSWORD)
    page.goto(f"{base}/backoffice/reviews/listings/")
    page.fill("input[name=code]", current_code())
    page.click("button:has-text('Continue')")
    page.wait_for_selector("text=Workload: items held now")
    assert page.is_visible("text=Queue listing 1") and page.is_visible("text=due soon")

    page.click("#view-unassigned")
    page.wait_for_url("**assignee=none")
    page.keyboard.press("n")  # take the next due item
    page.wait_for_url(f"**/listings/{listings[0].id}")
    assert page.is_visible("text=You hold this item") and page.is_visible("kbd >> text=a")

    page.keyboard.press("a")  # approve and next
    page.wait_for_url(f"**/listings/{listings[1].id}")
    assert page.is_visible("text=Listing approved")

    page.click("#note")  # typing in the note decides nothing
    page.keyboard.type("a rejection note")
    assert page.url.endswith(f"/listings/{listings[1].id}")
    page.evaluate("document.activeElement.blur()")  # leave the field
    page.keyboard.press("r")  # no reason ticked yet: goes to the reasons
    page.keyboard.press("Space")
    page.keyboard.press("r")  # a reason is ticked: reject and next
    page.wait_for_url(f"**/listings/{listings[2].id}")
    assert page.is_visible("text=Listing rejected")

    for n in (3, 4):
        page.keyboard.press("a")
        page.wait_for_url(f"**/listings/{listings[n].id}")
    page.keyboard.press("a")
    page.wait_for_selector("text=Nothing else waits in this queue.")
    assert problems == [], problems

    db.session.expire_all()
    states = [db.session.get(Listing, listing.id).state for listing in listings]
    assert states == [ReviewState.approved, ReviewState.rejected] + [ReviewState.approved] * 3
    assert db.session.get(Listing, listings[1].id).rejection_note == "a rejection note"
    decided = db.session.scalars(
        sa.select(AuditEntry.object_id)
        .where(AuditEntry.action.in_(["listing.approved", "listing.rejected"]), AuditEntry.actor_id == moderator.id)
        .order_by(AuditEntry.id)
    ).all()
    assert decided == [str(listing.id) for listing in listings]  # in due order
    staff.close()


def test_a_lead_reassigns_a_held_listing_then_takes_it_over(live_server, browser):
    base = live_server.url
    listing = make_pending_listing(make_ready_designer(), title="Held listing")
    holder = make_staff(StaffRole.moderator, name="Hugo Holder")
    other = make_staff(StaffRole.moderator, name="Olga Other")
    lead = make_staff(StaffRole.admin, name="Lea Lead")
    claims.claim_item("listing", listing.id, actor=holder)
    commit()

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    problems = _watch_console(page)
    log_in(page, base, lead.email, PASSWORD)
    page.goto(f"{base}/backoffice/reviews/listings/?assignee={holder.id}")
    page.fill("input[name=code]", current_code())
    page.click("button:has-text('Continue')")
    page.wait_for_selector("text=Workload: items held now")
    assert page.is_visible("text=Held listing") and page.is_visible(".bo-workload >> text=Hugo Holder")

    page.click("text=Held listing")
    page.wait_for_url(f"**/listings/{listing.id}")
    assert page.locator("#assign-item").inner_text().strip() == "Reassign"
    page.select_option("#assign-to", label="Olga Other")
    page.click("#assign-item")
    page.wait_for_selector("text=Olga Other holds this item now.")

    page.select_option("#assign-to", label="Lea Lead (me)")
    page.click("#assign-item")
    page.wait_for_selector("text=Lea Lead holds this item now.")
    page.goto(f"{base}/backoffice/reviews/listings/?assignee=me")
    assert page.is_visible("text=Held listing") and page.is_visible(".bo-workload >> text=Lea Lead")
    assert problems == [], problems

    moves = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "listing.assigned").order_by(AuditEntry.id)
    ).all()
    assert [(m.before["holder"], m.after["holder"]) for m in moves] == [(holder.id, other.id), (other.id, lead.id)]
