"""The queues as a workbench: due times, filters, explicit take, leads, workload, decide and next,
resubmissions read against the rejected version."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from extensions import commit, db
from listings import operations as listings
from listings.rules import LISTING_REJECTION_REASONS
from models.accounts import StaffRole, StaffRoleGrant
from models.disputes import Dispute
from models.listings import Listing
from models.moderation import AuditEntry, ReviewClaim
from models.profiles import DesignerProfile, ReviewState
from models.types import utcnow
from moderation import claims, workbench
from tests.backoffice.factories import DESCRIPTION, make_pending_listing, make_ready_designer, make_staff, staff_login
from tests.disputes.factories import disputed, people
from tests.statements import Counted

QUEUE = "/backoffice/reviews/listings/"


def reload(listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def submitted_hours_ago(listing, hours: float) -> None:
    db.session.execute(
        sa.update(Listing).where(Listing.id == listing.id).values(submitted_at=utcnow() - timedelta(hours=hours))
    )
    commit()


def rows(page: str) -> list[str]:
    return re.findall(r'href="/backoffice/reviews/listings/(\d+)"', page)


def test_due_times_words_and_order(client):
    designer = make_ready_designer()
    fresh = make_pending_listing(designer, title="Fresh listing", subcategory="coping")
    soon = make_pending_listing(designer, title="Soon listing", subcategory="cutback")
    late = make_pending_listing(designer, title="Late listing")
    submitted_hours_ago(fresh, 1)
    submitted_hours_ago(soon, 20)  # 4 h left of 24: the last quarter
    submitted_hours_ago(late, 30)  # 6 h past the 24 h service level
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get(QUEUE).get_data(as_text=True)
    assert rows(page) == [str(late.id), str(soon.id), str(fresh.id)]  # due first
    assert "overdue" in page and "6 h 0 min late" in page
    assert "due soon" in page and "on time" in page and "22 h 59 min left" in page
    assert "bo-due-overdue" in page and "bo-due-soon" in page and "bo-due-ok" in page


def test_service_level_comes_from_config(app, client, monkeypatch):
    listing = make_pending_listing()
    submitted_hours_ago(listing, 30)
    # (monkeypatch puts the app's setting back: the app outlives this test)
    monkeypatch.setitem(app.config, "QUEUE_SERVICE_HOURS", {**app.config["QUEUE_SERVICE_HOURS"], "listing": 48})
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get(QUEUE).get_data(as_text=True)
    assert "bo-due-overdue" not in page and "bo-due-ok" in page and "17 h 59 min left" in page


def test_filters_by_state_assignee_country_and_language(client):
    french = make_ready_designer(locale="fr")
    db.session.execute(sa.update(DesignerProfile).where(DesignerProfile.user_id == french.id).values(country="FR"))
    commit()
    in_french = make_pending_listing(french, title="Couronnes")
    other = make_pending_listing(title="Crowns from Spain")
    decided = make_pending_listing(title="Already approved", subcategory="coping")
    moderator = make_staff(StaffRole.moderator)
    listings.approve_listing(decided, actor=moderator)
    claims.claim_item("listing", other.id, actor=moderator)
    commit()
    staff_login(client, moderator)
    assert rows(client.get(QUEUE + "?country=fr").get_data(as_text=True)) == [str(in_french.id)]
    assert rows(client.get(QUEUE + "?language=fr").get_data(as_text=True)) == [str(in_french.id)]
    assert rows(client.get(QUEUE + "?assignee=me").get_data(as_text=True)) == [str(other.id)]
    assert rows(client.get(QUEUE + "?assignee=none").get_data(as_text=True)) == [str(in_french.id)]
    assert rows(client.get(QUEUE + f"?assignee={moderator.id}").get_data(as_text=True)) == [str(other.id)]
    assert rows(client.get(QUEUE + "?state=approved").get_data(as_text=True)) == [str(decided.id)]


def test_opening_does_not_claim_taking_does(app, client):
    listing = make_pending_listing()
    maya, max_ = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    staff_login(client, maya)
    page = client.get(f"{QUEUE}{listing.id}").get_data(as_text=True)
    assert "Take this item" in page and "Approve and next" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewClaim)) == 0
    client.post(f"{QUEUE}{listing.id}/take")
    page = client.get(f"{QUEUE}{listing.id}").get_data(as_text=True)
    assert "You hold this item" in page and "Approve and next" in page
    other = app.test_client()
    staff_login(other, max_)
    other.post(f"{QUEUE}{listing.id}/take")  # refused: Maya holds it
    assert claims.active_claim("listing", listing.id).moderator_id == maya.id


def test_a_lead_reassigns_and_takes_over_a_non_lead_cannot(app, client):
    listing = make_pending_listing()
    maya, max_ = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    lead = make_staff(StaffRole.admin)
    claims.claim_item("listing", listing.id, actor=maya)
    commit()
    staff_login(client, max_)
    assert "Reassign" not in client.get(f"{QUEUE}{listing.id}").get_data(as_text=True)
    client.post(f"{QUEUE}{listing.id}/assign", data={"staff_id": str(max_.id)})
    assert claims.active_claim("listing", listing.id).moderator_id == maya.id
    lead_client = app.test_client()
    staff_login(lead_client, lead)
    assert "Reassign" in lead_client.get(f"{QUEUE}{listing.id}").get_data(as_text=True)
    lead_client.post(f"{QUEUE}{listing.id}/assign", data={"staff_id": str(max_.id)})
    db.session.expire_all()
    assert claims.active_claim("listing", listing.id).moderator_id == max_.id
    lead_client.post(f"{QUEUE}{listing.id}/assign", data={"staff_id": str(lead.id)})  # takeover
    db.session.expire_all()
    assert claims.active_claim("listing", listing.id).moderator_id == lead.id
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "listing.assigned").order_by(AuditEntry.id)
    ).all()
    assert [(e.actor_id, e.before["holder"], e.after["holder"]) for e in entries] == [
        (lead.id, maya.id, max_.id),
        (lead.id, max_.id, lead.id),
    ]
    verifier = make_staff(StaffRole.verifier)  # not a moderator: cannot be given a listing
    lead_client.post(f"{QUEUE}{listing.id}/assign", data={"staff_id": str(verifier.id)})
    db.session.expire_all()
    assert claims.active_claim("listing", listing.id).moderator_id == lead.id


def test_workload_per_person_on_the_queue_page(client):
    designer = make_ready_designer()
    first = make_pending_listing(designer, title="First", subcategory="coping")
    second = make_pending_listing(designer, title="Second", subcategory="cutback")
    third = make_pending_listing(designer, title="Third")
    maya = make_staff(StaffRole.moderator, name="Maya Workload")
    max_ = make_staff(StaffRole.moderator, name="Max Workload")
    for listing, who in ((first, maya), (second, maya), (third, max_)):
        claims.claim_item("listing", listing.id, actor=who)
    commit()
    staff_login(client, maya)
    page = client.get(QUEUE).get_data(as_text=True)
    workload = page.split("Workload: items held now")[1]
    assert re.search(r"Maya Workload</th><td>2<", workload) and re.search(r"Max Workload</th><td>1<", workload)


def test_staff_and_workload_of_a_queue_in_one_statement(app):
    designer = make_ready_designer()
    listings_ = [make_pending_listing(designer, title=t, subcategory=s) for t, s in (("A", "coping"), ("B", "cutback"))]
    third = make_pending_listing(designer, title="C")
    idle = make_staff(StaffRole.moderator, name="Ida Idle")
    busy = make_staff(StaffRole.moderator, name="Bea Busy")
    admin = make_staff(StaffRole.admin, name="Ada Admin")
    gone = make_staff(StaffRole.moderator, name="Gus Gone")  # holds an item, then loses the role
    verifier = make_staff(StaffRole.verifier, name="Vic Verifier")  # not this queue's people
    for listing, who in ((listings_[0], busy), (listings_[1], busy), (third, gone)):
        claims.claim_item("listing", listing.id, actor=who)
    claims.claim_item("profile", third.id, actor=idle)  # a claim in another queue: not this workload
    db.session.execute(sa.delete(StaffRoleGrant).where(StaffRoleGrant.user_id == gone.id))
    commit()
    db.session.expire_all()

    with Counted() as counted:
        staff, workload = workbench.staff_and_workload(workbench.LISTINGS)

    assert counted.seen == 1, counted.statements
    assert staff == workbench.queue_staff(workbench.LISTINGS)  # the same people, in the same order
    assert {idle.id, busy.id, admin.id} <= {u.id for u in staff}
    assert verifier.id not in {u.id for u in staff} and gone.id not in {u.id for u in staff}
    assert [(u.display_name, n) for u, n in workload] == [("Bea Busy", 2), ("Gus Gone", 1)]


def test_decide_and_next_lands_on_the_next_due_item_taken(client):
    designer = make_ready_designer()
    current = make_pending_listing(designer, title="Current", subcategory="coping")
    later = make_pending_listing(designer, title="Later", subcategory="cutback")
    next_due = make_pending_listing(designer, title="Next due")
    held = make_pending_listing(designer, title="Held by Max", subcategory="provisional")
    submitted_hours_ago(current, 10), submitted_hours_ago(later, 2), submitted_hours_ago(next_due, 5)
    submitted_hours_ago(held, 8)
    moderator, max_ = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    claims.claim_item("listing", held.id, actor=max_)
    commit()
    staff_login(client, moderator)
    client.post(f"{QUEUE}{current.id}/take")
    response = client.post(f"{QUEUE}{current.id}/approve", data={"and_next": "1"})
    assert response.headers["Location"].endswith(f"{QUEUE}{next_due.id}")
    assert reload(current).state == ReviewState.approved
    assert claims.active_claim("listing", next_due.id).moderator_id == moderator.id
    response = client.post(
        f"{QUEUE}{next_due.id}/reject", data={"and_next": "1", "reasons": [next(iter(LISTING_REJECTION_REASONS))]}
    )
    assert response.headers["Location"].endswith(f"{QUEUE}{later.id}")
    response = client.post(f"{QUEUE}{later.id}/approve", data={"and_next": "1"})
    assert response.headers["Location"].endswith(QUEUE)  # only Max's item is left


def test_a_resubmission_shows_the_diff_against_the_rejected_version(client, request_context):
    listing = make_pending_listing(title="Crowns, cheap")
    moderator = make_staff(StaffRole.moderator, name="Rita Reviewer")
    staff_login(client, moderator)
    client.post(f"{QUEUE}{listing.id}/reject", data={"reasons": ["missing_images"], "note": "Show the occlusal view."})
    listing = reload(listing)
    fields = dict(
        title="Zirconia crowns, occlusal views",
        category=listing.category,
        subcategory=listing.subcategory,
        description=DESCRIPTION,
        software=["exocad"],
        revisions_included=listing.revisions_included,
        turnaround_days=listing.turnaround_days,
        unit=listing.unit,
        min_quantity=1,
        tiers=[listings.Tier(t.min_quantity, t.unit_price_cents) for t in listing.tiers],
    )
    listings.update_listing(listing, actor=listing.designer, draft=listings.ListingDraft(**fields))
    listings.submit_listing(listing, actor=listing.designer)
    commit()
    page = client.get(f"{QUEUE}{listing.id}").get_data(as_text=True)
    assert "Resubmitted after a rejection" in page and "Rejected by Rita Reviewer" in page
    assert str(LISTING_REJECTION_REASONS["missing_images"]) in page and "Show the occlusal view." in page
    diff = page.split('id="diff-rejected"')[1].split("</table>")[0]
    assert "<del>Crowns, cheap</del>" in diff and "<ins>Zirconia crowns, occlusal views</ins>" in diff
    assert "description" not in diff  # unchanged since the rejection


def test_disputes_keep_their_own_deadlines_in_the_queue(client):
    customer, designer, _agent = people()
    _case, answering = disputed(customer, designer)
    db.session.execute(
        sa.update(Dispute).where(Dispute.id == answering.id).values(answer_due_at=utcnow() - timedelta(hours=3))
    )
    commit()
    agent = make_staff(StaffRole.resolution_agent, name="Rae Resolution")
    claims.claim_item("dispute", answering.id, actor=agent)
    commit()
    staff_login(client, agent)
    page = client.get("/backoffice/resolution/").get_data(as_text=True)
    assert "bo-due-overdue" in page and "3 h 0 min late" in page  # the designer's answer date, as it is
    assert re.search(r"Rae Resolution</th><td>1<", page.split("Workload: items held now")[1])


def test_opening_a_dispute_claims_nothing_until_the_agent_takes_it(client):
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    assert 'id="take-item"' in client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert claims.active_claim("dispute", dispute.id) is None
    client.post(f"/backoffice/resolution/{dispute.id}/take")
    assert claims.active_claim("dispute", dispute.id).moderator_id == agent.id
    assert 'id="take-item"' not in client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
