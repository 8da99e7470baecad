"""The listing editor and lifecycle: one per subcategory, review, rejection, approved snapshot."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from errors import DomainError, InvalidTransition, PermissionDenied
from extensions import commit, db
from listings import operations
from models.listings import Listing
from models.moderation import AuditEntry, Violation
from models.profiles import ReviewState
from tests.catalogue.factories import draft, make_designer, make_listing, moderator, picture

FORM = {
    "title": "Zirconia crowns designed in exocad",
    "subcategory": "crowns/anatomic_crown",
    "description": "Full-contour anatomic zirconia crowns, tight contacts, functional occlusion, STL delivery.",
    "software": ["exocad"],
    "revisions_included": "2",
    "turnaround_days": "2",
    "unit": "unit",
    "min_quantity": "1",
    "basis": "client",
    "tiers-0-price": "9.00",
    "tiers-1-min_quantity": "10",
    "tiers-1-price": "7.50",
}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Listing))


def test_the_editor_creates_a_draft_with_its_tiers(client, login):
    login(make_designer())
    response = client.post("/listings/mine/new", data=FORM)
    assert response.status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert listing.state == ReviewState.draft
    assert [(t.min_quantity, t.unit_price_cents) for t in listing.tiers] == [(1, 900), (10, 750)]


def test_a_second_listing_in_the_same_subcategory_is_explained_on_the_form(client, login):
    login(make_designer())
    client.post("/listings/mine/new", data=FORM)
    response = client.post("/listings/mine/new", data={**FORM, "title": "Another crown service, cheaper"})
    assert response.status_code == 200
    assert "one listing per category/subcategory" in response.get_data(as_text=True)
    assert _count() == 1


def test_the_database_itself_refuses_a_twin_listing():
    designer = make_designer()
    make_listing(designer, approve=False)
    db.session.add(Listing(designer_id=designer.id, title="Twin", category="crowns", subcategory="anatomic_crown"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_private_listing_may_share_a_subcategory_with_the_public_one():
    from tests.factories import make_user

    designer = make_designer()
    make_listing(designer, approve=False)
    make_listing(designer, approve=False, private_client=make_user())
    assert _count() == 2


def test_contact_details_in_a_listing_are_refused_shown_and_recorded(client, login):
    login(make_designer())
    response = client.post(
        "/listings/mine/new",
        data={**FORM, "description": FORM["description"] + " Write to me at elena.cad@gmail.com for discounts."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<mark class="contact-finding"' in page and "elena.cad@gmail.com" in page
    assert _count() == 0
    violation = db.session.scalar(sa.select(Violation))
    assert violation.source.value == "listing"


def test_submit_requires_images_and_lists_what_is_missing(client, login):
    designer = make_designer()
    listing = make_listing(designer, approve=False)
    operations.remove_listing_image(listing, actor=designer, token=operations.listing_images(listing)[0].token)
    commit()
    login(designer)
    response = client.post(f"/listings/mine/{listing.id}/submit", follow_redirects=True)
    assert "at least one CAD design image" in response.get_data(as_text=True)
    db.session.refresh(listing)
    assert listing.state == ReviewState.draft


def test_rejection_shows_reasons_and_note_then_the_designer_fixes_and_resubmits(client, login, outbox):
    designer = make_designer()
    listing = make_listing(designer, approve=False)
    operations.submit_listing(listing, actor=designer)
    staff = moderator()
    operations.reject_listing(
        listing,
        actor=staff,
        reasons=["missing_images", "promotion"],
        note="Please show the design, not the milled crown.",
    )
    commit()
    mail = outbox.read()[-1]
    body = mail.get_payload(decode=True).decode()
    assert "needs changes" in mail["Subject"] and "not the milled crown" in body
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "listing.rejected"))
    assert audit.actor_id == staff.id and audit.reason == "Please show the design, not the milled crown."
    login(designer)
    page = client.get(f"/listings/mine/{listing.id}").get_data(as_text=True)
    assert "Promotes other products or services" in page and "not the milled crown" in page
    client.post(f"/listings/mine/{listing.id}/edit", data={**FORM, "title": "Zirconia crowns, design only"})
    client.post(f"/listings/mine/{listing.id}/submit")
    db.session.refresh(listing)
    assert listing.state == ReviewState.pending and listing.title == "Zirconia crowns, design only"


def test_a_live_listing_keeps_showing_its_approved_version_while_an_edit_waits(client, login):
    designer = make_designer()
    listing = make_listing(designer, title="Original approved title")
    operations.update_listing(listing, actor=designer, draft=draft(title="Edited title awaiting review"))
    operations.submit_listing(listing, actor=designer)
    commit()
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Original approved title" in page and "Edited title" not in page
    assert "Original approved title" in client.get("/find").get_data(as_text=True)
    operations.approve_listing(listing, actor=moderator())
    commit()
    assert "Edited title awaiting review" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_only_moderators_decide_and_only_on_pending_listings():
    designer = make_designer()
    listing = make_listing(designer, approve=False)
    with pytest.raises(InvalidTransition):
        operations.approve_listing(listing, actor=moderator())
    operations.submit_listing(listing, actor=designer)
    with pytest.raises(PermissionDenied):
        operations.approve_listing(listing, actor=designer)
    with pytest.raises(DomainError):
        operations.reject_listing(listing, actor=moderator(), reasons=["not_a_reason"], note="")
    with pytest.raises(DomainError):
        operations.reject_listing(listing, actor=moderator(), reasons=[], note="no reason")


def test_pause_hides_and_resume_shows_without_review(client, login):
    designer = make_designer()
    listing = make_listing(designer)
    login(designer)
    client.post(f"/listings/mine/{listing.id}/pause")
    client.post("/account/logout")
    assert client.get(f"/listings/{listing.id}").status_code == 404
    login(designer)
    client.post(f"/listings/mine/{listing.id}/resume")
    client.post("/account/logout")
    assert client.get(f"/listings/{listing.id}").status_code == 200


def test_someone_elses_listing_editor_is_a_404(client, login):
    listing = make_listing(make_designer(), approve=False)
    login(make_designer())
    assert client.get(f"/listings/mine/{listing.id}").status_code == 404
    assert client.post(f"/listings/mine/{listing.id}/edit", data=FORM).status_code == 404


def test_images_upload_from_the_listing_page(client, login):
    designer = make_designer()
    listing = make_listing(designer, approve=False)
    login(designer)
    from io import BytesIO

    client.post(
        f"/listings/mine/{listing.id}/images",
        data={"images": (BytesIO(picture()), "shot.png")},
        content_type="multipart/form-data",
    )
    assert len(operations.listing_images(listing)) == 2
