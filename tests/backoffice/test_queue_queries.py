"""Each queue page runs a fixed number of queries however many items wait and however many staff
hold them (rows, owners, claims and their holders, pictures of re-reviews, strikes: one query
each, never one per row)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from extensions import commit, db
from models.accounts import StaffRole
from models.listings import Listing, PriceTier
from models.moderation import Violation, ViolationSource, ViolationStatus
from models.profiles import CatalogueImage, DesignerProfile, ImagePurpose, ReviewState
from models.types import utcnow
from models.verification import VerificationStatus, VerificationSubmission
from moderation import claims
from tests.backoffice.factories import make_staff, staff_login
from tests.catalogue.factories import picture
from tests.community.factories import make_post, new_designer
from tests.factories import make_user
from tests.statements import statements


def _listing(n: int) -> Listing:
    designer = make_user(client=False, designer=True)
    listing = Listing(
        designer_id=designer.id,
        title=f"Zirconia crowns {n}",
        category="crowns",
        subcategory="anatomic_crown",
        description="Anatomic zirconia crowns.",
        software=["exocad"],
        revisions_included=2,
        turnaround_days=2,
        unit="unit",
        min_quantity=1,
        state=ReviewState.pending,
        submitted_at=utcnow() - timedelta(hours=n),
        # every other one a re-review, whose pictures and tiers the page compares
        approved_snapshot={"title": "Old title", "images": [], "tiers": []} if n % 2 else None,
    )
    db.session.add(listing)
    db.session.flush()
    db.session.add_all(
        [
            PriceTier(listing_id=listing.id, min_quantity=1, unit_price_cents=900),
            CatalogueImage(
                token=f"l{n}-{listing.id}",
                owner_id=designer.id,
                listing_id=listing.id,
                purpose=ImagePurpose.listing,
                content_type="image/png",
                width=1,
                height=1,
                data=b"x",
                thumb=b"x",
                position=0,
            ),
        ]
    )
    return listing


def _profile(n: int) -> DesignerProfile:
    designer = make_user(client=False, designer=True, locale="fr" if n % 3 else "en")
    profile = DesignerProfile(
        user_id=designer.id,
        real_name=f"Real {n}",
        country="FR",
        tax_id="X",
        bio="Bio",
        skills=["crowns"],
        software=["exocad"],
        state=ReviewState.pending,
        submitted_at=utcnow() - timedelta(hours=n),
        rejection_reasons=[],
        approved_snapshot={"bio": "Old bio"} if n % 2 else None,
    )
    db.session.add(profile)
    db.session.flush()
    db.session.add(
        CatalogueImage(
            token=f"p{n}-{profile.id}",
            owner_id=designer.id,
            purpose=ImagePurpose.photo,
            content_type="image/png",
            width=1,
            height=1,
            data=b"x",
            thumb=b"x",
            position=0,
        )
    )
    return profile


def _verification(n: int) -> VerificationSubmission:
    submission = VerificationSubmission(
        designer_id=make_user(client=False, designer=True).id,
        nationality="FR",
        submitted_at=utcnow() - timedelta(hours=n),
        document_summary=[{"type": "passport", "sha256": "0" * 64}],
    )
    db.session.add(submission)
    return submission


def _violation(n: int) -> Violation:
    user = make_user()
    # a strike already on the account, counted on the page
    db.session.add(
        Violation(
            user_id=user.id,
            source=ViolationSource.message,
            text="mail me",
            status=ViolationStatus.warned,
            decided_at=utcnow() - timedelta(days=1),
            created_at=utcnow() - timedelta(days=2),
        )
    )
    violation = Violation(
        user_id=user.id,
        source=ViolationSource.report if n % 2 else ViolationSource.message,
        reporter_id=make_user().id if n % 2 else None,
        report_reason="spam" if n % 2 else None,
        text="mail me at someone at example dot com",
        status=ViolationStatus.open,
        created_at=utcnow() - timedelta(hours=n),
    )
    db.session.add(violation)
    return violation


def _post(n: int):
    # a new designer's first post waits for review; every other one with pictures
    return make_post(new_designer(), f"My first crown {n}, zirconia.", pictures=[picture()] if n % 2 else [])


QUEUES = [
    ("/backoffice/reviews/listings/", "listing", _listing, StaffRole.moderator),
    ("/backoffice/reviews/profiles/", "profile", _profile, StaffRole.moderator),
    ("/backoffice/verifications/", "verification", _verification, StaffRole.verifier),
    ("/backoffice/violations/", "violation", _violation, StaffRole.moderator),
    ("/backoffice/reviews/posts/", "post", _post, StaffRole.moderator),
]
# What each page costs, whatever waits: a change that adds a statement says so here.
STATEMENTS = {"listing": 7, "profile": 6, "verification": 5, "violation": 6, "post": 6}


@pytest.mark.parametrize("url, kind, make, role", QUEUES, ids=[q[1] for q in QUEUES])
def test_a_queue_page_runs_the_same_queries_for_four_items_or_twenty(client, url, kind, make, role):
    staff = make_staff(role)
    first = [make(n) for n in range(4)]  # two held; a new item and a re-review free
    commit()
    claims.claim_item(kind, first[0].id, actor=staff)
    claims.claim_item(kind, first[1].id, actor=make_staff(role))
    commit()
    staff_login(client, staff)
    few = statements(client, url)
    few_unassigned = statements(client, url + "?assignee=none")

    for n in range(4, 20):
        made = make(n)
        if n % 4 == 0:  # four more items, each held by another staff member
            commit()
            claims.claim_item(kind, made.id, actor=make_staff(role))
    commit()
    db.session.expire_all()

    assert statements(client, url) == few == STATEMENTS[kind]
    assert statements(client, url + "?assignee=none") == few_unassigned


def test_the_decided_verifications_run_the_same_queries_for_four_or_twenty(client):
    verifier = make_staff(StaffRole.verifier)

    def decide(n: int) -> None:
        submission = _verification(n)
        submission.status = VerificationStatus.approved if n % 2 else VerificationStatus.rejected
        submission.verifier_id = verifier.id if n % 3 else make_staff(StaffRole.verifier).id
        submission.decided_at = utcnow() - timedelta(minutes=n)

    for n in range(4):
        decide(n)
    commit()
    staff_login(client, verifier)
    few = statements(client, "/backoffice/verifications/?decided=1")
    for n in range(4, 20):
        decide(n)
    commit()
    db.session.expire_all()
    assert statements(client, "/backoffice/verifications/?decided=1") == few
