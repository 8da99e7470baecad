"""Review queues: oldest first, claimed, diffed, filtered, approved or rejected with the owner told."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from extensions import commit, db
from listings import operations as listings
from listings.visibility import is_public
from models.accounts import StaffRole
from models.listings import Listing
from models.moderation import AuditEntry
from models.profiles import ReviewState
from tests.backoffice.factories import DESCRIPTION, make_pending_listing, make_ready_designer, make_staff, staff_login


def reload(listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def test_queue_is_oldest_first(client):
    designer = make_ready_designer()
    newer = make_pending_listing(designer, title="Newer listing", subcategory="coping")
    older = make_pending_listing(designer, title="Older listing")
    older.submitted_at = newer.submitted_at - timedelta(hours=3)
    commit()
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get("/backoffice/reviews/listings/").get_data(as_text=True)
    assert page.index("Older listing") < page.index("Newer listing")


def test_claim_prevents_double_review(app):
    listing = make_pending_listing()
    maya, max_ = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    first, second = app.test_client(), app.test_client()
    staff_login(first, maya), staff_login(second, max_)
    assert "Take this item" in first.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    first.post(f"/backoffice/reviews/listings/{listing.id}/take")
    assert "You hold this item" in first.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    page = second.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    assert f"{maya.display_name} is reviewing this item" in page and ">Approve<" not in page
    assert f"claimed by {maya.display_name}" in second.get("/backoffice/reviews/listings/").get_data(as_text=True)
    second.post(f"/backoffice/reviews/listings/{listing.id}/approve")
    assert reload(listing).state == ReviewState.pending
    first.post(f"/backoffice/reviews/listings/{listing.id}/approve")
    assert reload(listing).state == ReviewState.approved


def test_reject_then_resubmit_then_approve_end_to_end(client, outbox, request_context):
    listing = make_pending_listing()
    designer = listing.designer
    moderator = make_staff(StaffRole.moderator)
    staff_login(client, moderator)
    page = client.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    assert "Zirconia crowns in exocad" in page and "/backoffice/reviews/listings/image/" in page
    assert "First review" in page
    client.post(
        f"/backoffice/reviews/listings/{listing.id}/reject",
        data={"reasons": ["missing_images", "missing_prices"], "note": "Show the occlusal view."},
    )
    listing = reload(listing)
    assert listing.state == ReviewState.rejected and listing.rejection_reasons == ["missing_images", "missing_prices"]
    mail = outbox.read()[-1]
    assert mail["To"] == designer.email and "Show the occlusal view." in mail.get_payload(decode=True).decode()

    # The designer fixes it and resubmits: the listing is back in the queue.
    draft = listings.ListingDraft(
        title=listing.title,
        category=listing.category,
        subcategory=listing.subcategory,
        description=DESCRIPTION + " Occlusal views included.",
        software=["exocad"],
        revisions_included=3,
        turnaround_days=2,
        unit=listing.unit,
        min_quantity=1,
        tiers=[listings.Tier(1, 900)],
    )
    listings.update_listing(listing, actor=designer, draft=draft)
    listings.submit_listing(listing, actor=designer)
    commit()
    assert listing.title in client.get("/backoffice/reviews/listings/").get_data(as_text=True)
    client.post(f"/backoffice/reviews/listings/{listing.id}/approve")
    listing = reload(listing)
    assert listing.state == ReviewState.approved and is_public(listing)
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type == "Listing", AuditEntry.actor_id == moderator.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["listing.rejected", "listing.approved"]


def test_an_update_shows_what_changed_since_the_approved_version(client, request_context):
    listing = make_pending_listing()
    moderator = make_staff(StaffRole.moderator)
    listings.approve_listing(listing, actor=moderator)
    commit()
    designer = listing.designer
    draft = listings.ListingDraft(
        title="Zirconia crowns, express",
        category=listing.category,
        subcategory=listing.subcategory,
        description=DESCRIPTION,
        software=["exocad"],
        revisions_included=2,
        turnaround_days=1,
        unit=listing.unit,
        min_quantity=1,
        tiers=[listings.Tier(1, 1200)],
    )
    listings.update_listing(listing, actor=designer, draft=draft)
    listings.submit_listing(listing, actor=designer)
    commit()
    staff_login(client, moderator)
    page = client.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    assert "<del>Zirconia crowns in exocad</del>" in page and "<ins>Zirconia crowns, express</ins>" in page
    assert "<del>2</del>" in page and "<ins>1</ins>" in page  # turnaround days


def _resubmitted_with(listing, *, moderator, **changes):
    """Approve `listing`, then let its designer edit `changes` and send it for review again."""
    listings.approve_listing(listing, actor=moderator)
    commit()
    fields = dict(
        title=listing.title,
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
    listings.update_listing(listing, actor=listing.designer, draft=listings.ListingDraft(**{**fields, **changes}))
    listings.submit_listing(listing, actor=listing.designer)
    commit()
    return listing


def test_findings_are_highlighted_and_bulk_approval_skips_them(client, request_context):
    moderator = make_staff(StaffRole.moderator)
    simple = _resubmitted_with(make_pending_listing(), moderator=moderator, turnaround_days=1)
    tricky = _resubmitted_with(
        make_pending_listing(title="Bridges", subcategory="coping"), moderator=moderator, turnaround_days=1
    )
    # Text that predates a filter update: the review still catches it.
    db.session.execute(
        sa.update(Listing)
        .where(Listing.id == tricky.id)
        .values(description=DESCRIPTION + " Questions? elena.cad@gmail.com")
    )
    commit()
    staff_login(client, moderator)
    page = client.get(f"/backoffice/reviews/listings/{tricky.id}").get_data(as_text=True)
    assert '<mark class="contact-finding"' in page and "elena.cad@gmail.com</mark>" in page
    client.post("/backoffice/reviews/listings/bulk-approve", data={"ids": [str(simple.id), str(tricky.id)]})
    assert reload(simple).state == ReviewState.approved
    assert reload(tricky).state == ReviewState.pending


def test_bulk_approval_takes_only_small_re_reviews_and_says_so_in_the_audit_log(client, request_context):
    moderator = make_staff(StaffRole.moderator)
    first = make_pending_listing()  # never approved: nobody has looked at it yet
    small = _resubmitted_with(
        make_pending_listing(title="Bridges", subcategory="coping"), moderator=moderator, turnaround_days=1
    )
    large = _resubmitted_with(
        make_pending_listing(title="Cut-back crowns", subcategory="cutback"),
        moderator=moderator,
        title="Cut-back crowns, express",
        turnaround_days=1,
        revisions_included=1,
        description=DESCRIPTION + " Express.",
    )
    staff_login(client, moderator)
    queue = client.get("/backoffice/reviews/listings/").get_data(as_text=True)
    assert f'name="ids" value="{first.id}"' not in queue and "First review: open it" in queue
    assert f'name="ids" value="{small.id}"' in queue and "More than 3 fields changed: open it" in queue
    response = client.post(
        "/backoffice/reviews/listings/bulk-approve",
        data={"ids": [str(first.id), str(small.id), str(large.id)]},
        follow_redirects=True,
    )
    assert "2 item(s) need a full review" in response.get_data(as_text=True)
    assert [reload(x).state for x in (first, small, large)] == [
        ReviewState.pending,
        ReviewState.approved,
        ReviewState.pending,
    ]
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.action == "listing.approved",
            AuditEntry.object_id == str(small.id),
            AuditEntry.after["bulk"].as_boolean().is_(True),
        )
    ).all()
    assert entry.reason == "bulk approval of a small edit"


def test_profile_queue_approve(client, request_context):
    from profiles import operations as profiles
    from models.profiles import DesignerProfile

    designer = make_ready_designer()
    profile = profiles.profile_for(designer)
    profiles.update_profile(profile, actor=designer, headline="Crowns and bridges, exocad")
    profiles.submit_profile(profile, actor=designer)
    commit()
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get(f"/backoffice/reviews/profiles/{profile.id}").get_data(as_text=True)
    assert "<ins>Crowns and bridges, exocad</ins>" in page
    client.post(f"/backoffice/reviews/profiles/{profile.id}/reject", data={"reasons": ["bogus"], "note": ""})
    db.session.expire_all()
    assert db.session.get(DesignerProfile, profile.id).state == ReviewState.pending  # unknown reason refused
    client.post(f"/backoffice/reviews/profiles/{profile.id}/approve")
    db.session.expire_all()
    assert db.session.get(DesignerProfile, profile.id).state == ReviewState.approved
