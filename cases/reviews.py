"""Reviews after completion: each party may rate the other once, 1–5 stars and a short text.

Reviews are public on profiles, so their text goes through the contact filter like any
other public text. A review of the designer adds to their reputation (the Pro badge).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask_babel import lazy_gettext as _l

from cases import notices
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from models.accounts import User
from models.cases import SUB_RATINGS, Case, CaseState, ClinicalOutcome, Review
from models.moderation import ViolationSource
from models.types import utcnow
from screening.contact_filter import screen_text
from profiles.operations import record_review_score

# Reviews open once the money has left escrow: after completion, or after a ruling.
REVIEWABLE_STATES = (CaseState.completed, CaseState.resolved)

MAX_REVIEW_CHARS = 2000


def review_by(case: Case, author: User) -> Review | None:
    return db.session.scalar(sa.select(Review).where(Review.case_id == case.id, Review.author_id == author.id))


def reviews_of_case(case: Case, viewer: User) -> tuple[list[Review], Review | None, bool]:
    """The case's reviews, the viewer's own among them, and whether the viewer may still post
    one (as can_review): one query for the case page, none before the case is completed or
    resolved (reviews are posted only then, and both states are final)."""
    if case.state not in REVIEWABLE_STATES:
        return [], None, False
    found = list(db.session.scalars(sa.select(Review).where(Review.case_id == case.id).order_by(Review.id)))
    mine = next((r for r in found if r.author_id == viewer.id), None)
    may = case.state in REVIEWABLE_STATES and viewer.id in (case.client_id, case.designer_id) and mine is None
    return found, mine, may


def can_review(case: Case, user: User | None) -> bool:
    return (
        user is not None
        and case.state in REVIEWABLE_STATES
        and user.id in (case.client_id, case.designer_id)
        and review_by(case, user) is None
    )


def post_review(
    case: Case, *, actor: User, stars: int, text: str = "", sub_ratings: dict[str, int | None] | None = None
) -> Review:
    """Rate the other party of a completed case; the client may also rate the design's fit,
    margins/contacts, aesthetics and communication (SUB_RATINGS, each 1–5, optional).

    Raises NotFound for a non-party, InvalidTransition before completion or for a second
    review, DomainError for bad stars, sub-ratings or text, ContactDetailsRefused for
    contact details in the text."""
    case = db.session.execute(sa.select(Case).where(Case.id == case.id).with_for_update()).scalar_one()
    if actor.id not in (case.client_id, case.designer_id):
        raise NotFound(_l("This case does not exist."))
    if case.state not in REVIEWABLE_STATES:
        raise InvalidTransition(_l("You can review once the case is completed."))
    if review_by(case, actor) is not None:
        raise InvalidTransition(_l("You have already reviewed this case."))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_l("Choose from 1 to 5 stars."), field="stars")
    text = (text or "").strip()
    if len(text) > MAX_REVIEW_CHARS:
        raise DomainError(_l("A review is at most %(n)d characters.", n=MAX_REVIEW_CHARS), field="text")
    screen_text({"text": text}, author=actor, source=ViolationSource.review, source_ref=f"case:{case.id}")
    about_designer = actor.id == case.client_id
    dental = {name: value for name, value in (sub_ratings or {}).items() if value is not None}
    if any(name not in SUB_RATINGS for name in dental):
        raise DomainError(_l("Unknown rating."))
    if dental and not about_designer:
        raise DomainError(_l("Only the client rates the design."))
    for name, value in dental.items():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_l("Choose from 1 to 5 stars."), field=name)
    subject_id = case.designer_id if about_designer else case.client_id
    review = Review(
        case_id=case.id,
        author_id=actor.id,
        subject_id=subject_id,
        about_designer=about_designer,
        stars=stars,
        text=text,
        **{f"{name}_stars": value for name, value in dental.items()},
    )
    db.session.add(review)
    db.session.flush()
    if about_designer:
        try:
            record_review_score(case.designer_id, stars)
        except NotFound:
            pass  # a designer without a profile has no public reputation to update
    notices.review_received(case, db.session.get(User, subject_id))
    return review


def record_outcome(review: Review, *, actor: User, outcome: ClinicalOutcome, now=None) -> Review:
    """The client records how the design did in the mouth: seated as designed, adjusted, or
    remade. Once per review; it feeds the designer's figures.

    Raises NotFound (not the client author of a review about the designer), InvalidTransition
    (already recorded)."""
    review = db.session.execute(sa.select(Review).where(Review.id == review.id).with_for_update()).scalar_one()
    if review.author_id != actor.id or not review.about_designer:
        raise NotFound(_l("This review does not exist."))
    if review.outcome is not None:
        raise InvalidTransition(_l("The clinical outcome is already recorded."))
    review.outcome, review.outcome_at = ClinicalOutcome(outcome), now or utcnow()
    db.session.flush()
    return review


def reviews_of(user_id: int, *, about_designer: bool = True, limit: int = 20) -> list[Review]:
    """The latest reviews about an account (designer profiles show these)."""
    return list(
        db.session.scalars(
            sa.select(Review)
            .where(Review.subject_id == user_id, Review.about_designer == about_designer)
            .options(selectinload(Review.author))
            .order_by(Review.created_at.desc())
            .limit(limit)
        )
    )


def listing_reviews(listing_id: int, *, limit: int = 10) -> list[Review]:
    """The latest client reviews of cases ordered from one listing (its page shows them)."""
    return list(
        db.session.scalars(
            sa.select(Review)
            .join(Case, Case.id == Review.case_id)
            .where(Case.listing_id == listing_id, Review.about_designer.is_(True))
            .options(selectinload(Review.author))
            .order_by(Review.created_at.desc())
            .limit(limit)
        )
    )
