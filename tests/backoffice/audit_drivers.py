"""How each back-office route of the audit coverage table (test_audit_coverage.py) is driven: each
function sets up a valid action and returns the request that performs it, as the staff member who may."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pyotp
import pytest
from werkzeug.datastructures import FileStorage

from extensions import commit, db
from listings import operations as listings
from listings.rules import LISTING_REJECTION_REASONS
from models.accounts import StaffRole, User
from models.moderation import AuditEntry, ViolationSource
from moderation import appeals, kyc, macros, suspension
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt, screen_text
from profiles import operations as profiles
from profiles.rules import PROFILE_REJECTION_REASONS
from support import operations as support
from tests.backoffice.factories import (
    DESCRIPTION,
    make_pending_listing,
    make_ready_designer,
    make_staff,
    png_bytes,
    staff_login,
)
from tests.disputes.factories import disputed, people
from tests.factories import PASSWORD, login, make_user


@dataclass
class Post:
    """The request that performs the action, by `staff` (already past the second factor unless said)."""

    staff: User
    url: str
    data: dict = field(default_factory=dict)
    method: str = "post"


# ---- how each route is driven ------------------------------------------------------------------


def _profile_in_review():
    designer = make_ready_designer()
    profile = profiles.profile_for(designer)
    profiles.update_profile(profile, actor=designer, headline="Crowns and bridges, exocad")
    profiles.submit_profile(profile, actor=designer)
    commit()
    return profile


def _moderator(client) -> User:
    moderator = make_staff(StaffRole.moderator)
    staff_login(client, moderator)
    return moderator


def profile_approve(app, client):
    profile = _profile_in_review()
    return Post(_moderator(client), f"/backoffice/reviews/profiles/{profile.id}/approve")


def profile_reject(app, client):
    profile = _profile_in_review()
    return Post(
        _moderator(client),
        f"/backoffice/reviews/profiles/{profile.id}/reject",
        {"reasons": [next(iter(PROFILE_REJECTION_REASONS))], "note": "Please say which software."},
    )


def profile_bulk_approve(app, client):
    profile = _profile_in_review()
    return Post(_moderator(client), "/backoffice/reviews/profiles/bulk-approve", {"ids": [str(profile.id)]})


def listing_approve(app, client):
    listing = make_pending_listing()
    return Post(_moderator(client), f"/backoffice/reviews/listings/{listing.id}/approve")


def listing_reject(app, client):
    listing = make_pending_listing()
    return Post(
        _moderator(client),
        f"/backoffice/reviews/listings/{listing.id}/reject",
        {"reasons": [next(iter(LISTING_REJECTION_REASONS))], "note": "The pictures show another case."},
    )


def listing_bulk_approve(app, client):
    listing = make_pending_listing()
    listings.approve_listing(listing, actor=make_staff(StaffRole.moderator))
    listings.update_listing(
        listing,
        actor=listing.designer,
        draft=listings.ListingDraft(
            title=listing.title,
            category=listing.category,
            subcategory=listing.subcategory,
            description=DESCRIPTION,
            software=["exocad"],
            revisions_included=listing.revisions_included,
            turnaround_days=1,
            unit=listing.unit,
            min_quantity=1,
            tiers=[listings.Tier(t.min_quantity, t.unit_price_cents) for t in listing.tiers],
        ),
    )
    listings.submit_listing(listing, actor=listing.designer)
    commit()
    return Post(_moderator(client), "/backoffice/reviews/listings/bulk-approve", {"ids": [str(listing.id)]})


def _submission(app):
    designer = make_user(designer=True)
    uploader = app.test_client()
    login(uploader, designer)
    response = uploader.post(
        "/settings/verification/",
        content_type="multipart/form-data",
        data={"nationality": "BR", "passport": (io.BytesIO(png_bytes()), "passport.png")},
    )
    assert response.status_code in (200, 302)
    db.session.expire_all()
    return kyc.latest_submission(designer)


def _verifier(client) -> User:
    verifier = make_staff(StaffRole.verifier)
    staff_login(client, verifier)
    return verifier


def verification_approve(app, client):
    submission = _submission(app)
    return Post(_verifier(client), f"/backoffice/verifications/{submission.id}/approve")


def verification_reject(app, client):
    submission = _submission(app)
    return Post(_verifier(client), f"/backoffice/verifications/{submission.id}/reject", {"reason": "Blurred photo"})


def _violation():
    with pytest.raises(ContactDetailsRefused) as refused:
        screen_text(
            {"body": "Write to me at elena.cad@gmail.com"},
            author=make_user(),
            source=ViolationSource.message,
            source_ref="conversation:7",
        )
    violation = record_refused_attempt(refused.value)
    commit()
    return violation


def violation_dismiss(app, client):
    return Post(_moderator(client), f"/backoffice/violations/{_violation().id}/dismiss", {"note": "Tooth numbers"})


def violation_warn(app, client):
    return Post(_moderator(client), f"/backoffice/violations/{_violation().id}/warn", {"note": "No e-mail addresses."})


def violation_suspend(app, client):
    return Post(
        _moderator(client),
        f"/backoffice/violations/{_violation().id}/suspend",
        {"reason": "Third time", "until": "2099-01-01T00:00"},
    )


def violation_group_dismiss(app, client):
    return Post(
        _moderator(client), f"/backoffice/violations/{_violation().id}/group/dismiss", {"note": "Tooth numbers"}
    )


def violation_group_warn(app, client):
    return Post(
        _moderator(client), f"/backoffice/violations/{_violation().id}/group/warn", {"note": "No e-mail addresses."}
    )


def _appeal():
    user = make_user()
    suspension.suspend_account(user, actor=make_staff(StaffRole.moderator), reason="Shared a phone number")
    commit()
    return appeals.file_appeal(email=user.email, password=PASSWORD, text="It was our own site's address.")


def appeal_uphold(app, client):
    appeal = _appeal()
    commit()
    return Post(_moderator(client), f"/backoffice/appeals/{appeal.id}/uphold", {"note": "The decision stands."})


def appeal_reinstate(app, client):
    appeal = _appeal()
    commit()
    return Post(_moderator(client), f"/backoffice/appeals/{appeal.id}/reinstate", {"note": "Reinstated on appeal."})


def account_suspend(app, client):
    return Post(_moderator(client), f"/backoffice/accounts/{make_user().id}/suspend", {"reason": "Spam", "until": ""})


def account_terminate(app, client):
    return Post(_moderator(client), f"/backoffice/accounts/{make_user().id}/terminate", {"reason": "Fraud"})


def account_reinstate(app, client):
    user, moderator = make_user(), _moderator(client)
    suspension.suspend_account(user, actor=make_staff(StaffRole.moderator), reason="Spam", until=None)
    commit()
    return Post(moderator, f"/backoffice/accounts/{user.id}/reinstate", {"reason": "Cleared"})


def account_warn(app, client):
    return Post(_moderator(client), f"/backoffice/accounts/{make_user().id}/warn", {"note": "Keep the talk here."})


def account_force_logout(app, client):
    return Post(_moderator(client), f"/backoffice/accounts/{make_user().id}/logout", {"reason": "Cookie stolen"})


def account_add_note(app, client):
    return Post(_moderator(client), f"/backoffice/accounts/{make_user().id}/notes", {"text": "Phoned the lab."})


def _admin(client) -> User:
    admin = make_staff(StaffRole.admin)
    staff_login(client, admin)
    return admin


def roles_grant(app, client):
    return Post(_admin(client), f"/backoffice/accounts/{make_user().id}/roles/grant", {"roles": ["verifier"]})


def roles_revoke(app, client):
    verifier = make_staff(StaffRole.verifier)
    return Post(_admin(client), f"/backoffice/accounts/{verifier.id}/roles/revoke", {"roles": ["verifier"]})


def second_factor_reset(app, client):
    verifier = make_staff(StaffRole.verifier)
    return Post(_admin(client), f"/backoffice/accounts/{verifier.id}/second-factor/reset", {"reason": "Lost phone"})


def _canned_response():
    macro = macros.create_macro(
        actor=make_staff(StaffRole.admin),
        queue="listing",
        language="en",
        title="Blurred pictures",
        body="Hello {user_name}, the pictures are blurred.",
    )
    commit()
    return macro


def macro_new(app, client):
    return Post(
        _admin(client),
        "/backoffice/macros/new",
        {"queue": "violation", "language": "fr", "title": "Coordonnées", "body": "Bonjour {user_name}."},
    )


def macro_edit(app, client):
    return Post(
        _admin(client),
        f"/backoffice/macros/{_canned_response().id}",
        {"queue": "listing", "language": "en", "title": "Blurred", "body": "Hi {user_name}."},
    )


def macro_retire(app, client):
    return Post(_admin(client), f"/backoffice/macros/{_canned_response().id}/retire")


def second_factor_with_recovery_code(app, client):
    moderator = make_staff(StaffRole.moderator)
    login(client, moderator)
    return Post(moderator, "/backoffice/second-factor/", {"code": moderator.recovery_codes[0]})


def second_factor_enrol(app, client):
    admin = make_staff(StaffRole.admin, enrolled=False)
    login(client, admin)
    page = client.get("/backoffice/second-factor/enrol").get_data(as_text=True)
    secret = page.split('class="secret-key">')[1].split("<")[0]
    return Post(admin, "/backoffice/second-factor/enrol", {"code": pyotp.TOTP(secret).now()})


def quality_review(app, client):
    from backoffice.quality import is_sampled

    decider = make_staff(StaffRole.moderator)
    entry = None
    while entry is None or not is_sampled(entry.id):
        entry = AuditEntry(action="listing.approved", object_type="Listing", object_id="1", actor_id=decider.id)
        db.session.add(entry)
        commit()
    return Post(_moderator(client), f"/backoffice/figures/quality/{entry.id}", {"verdict": "agree"})


def _lead(client) -> User:
    lead = make_staff(StaffRole.admin)
    staff_login(client, lead)
    return lead


def profile_assign(app, client):
    profile = _profile_in_review()
    return Post(
        _lead(client),
        f"/backoffice/reviews/profiles/{profile.id}/assign",
        {"staff_id": str(make_staff(StaffRole.moderator).id)},
    )


def listing_assign(app, client):
    listing = make_pending_listing()
    return Post(
        _lead(client),
        f"/backoffice/reviews/listings/{listing.id}/assign",
        {"staff_id": str(make_staff(StaffRole.moderator).id)},
    )


def verification_assign(app, client):
    submission = _submission(app)
    return Post(
        _lead(client),
        f"/backoffice/verifications/{submission.id}/assign",
        {"staff_id": str(make_staff(StaffRole.verifier).id)},
    )


def violation_assign(app, client):
    return Post(
        _lead(client),
        f"/backoffice/violations/{_violation().id}/assign",
        {"staff_id": str(make_staff(StaffRole.moderator).id)},
    )


def dispute_assign(app, client):
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    return Post(
        _lead(client),
        f"/backoffice/resolution/{dispute.id}/assign",
        {"staff_id": str(make_staff(StaffRole.resolution_agent).id)},
    )


def _ticket():
    ticket = support.file_ticket(
        user=make_user(), topic="payments", subject="Payout not arrived", text="My payout has not reached my bank."
    )
    commit()
    return ticket


def _support(client) -> User:
    person = make_staff(StaffRole.support)
    staff_login(client, person)
    return person


def ticket_answer(app, client):
    ticket = _ticket()
    return Post(_support(client), f"/backoffice/support/{ticket.id}/answer", {"text": "It left on Monday."})


def ticket_solve(app, client):
    ticket = _ticket()
    return Post(_support(client), f"/backoffice/support/{ticket.id}/solve")


def ticket_assign(app, client):
    ticket = _ticket()
    return Post(
        _lead(client), f"/backoffice/support/{ticket.id}/assign", {"staff_id": str(make_staff(StaffRole.support).id)}
    )


# ---- openings of private content: reading is written down too ------------------------------------


def open_violation(app, client):
    return Post(_moderator(client), f"/backoffice/violations/{_violation().id}", method="get")


def open_identity_document(app, client):
    submission = _submission(app)
    verifier = _verifier(client)
    client.post(f"/backoffice/verifications/{submission.id}/take")  # the verifier takes the submission
    public_id = submission.documents[0].stored_file.public_id
    return Post(verifier, f"/backoffice/verifications/document/{public_id}", method="get")


def open_ticket_file(app, client):
    ticket = support.file_ticket(
        user=make_user(),
        topic="bug",
        subject="Upload error",
        text="See the screenshot.",
        uploads=[FileStorage(io.BytesIO(png_bytes()), filename="error.png")],
    )
    commit()
    public_id = ticket.messages[0].attachments[0].file.public_id
    return Post(_support(client), f"/backoffice/support/{ticket.id}/files/{public_id}", method="get")
