"""Claims on queue items: one reviewer at a time per item; a claim lapses after a while.

REVIEW_CLAIM_MINUTES (default 30) is how long a claim holds without a decision; after that
anyone may take the item over, so an item is never stuck behind someone who went home.
An item is claimed only when its reviewer says so ("Take this item"), or by a lead (a staff
member with the admin role) who assigns it, hands it to someone else or takes it over.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from audit.trail import record_action
from errors import DomainError, InvalidTransition
from extensions import db
from models.accounts import StaffRole, User
from models.moderation import ReviewClaim
from models.types import utcnow
from moderation import permissions


def claim_minutes() -> int:
    return int(current_app.config.get("REVIEW_CLAIM_MINUTES", 30))


def lapse_time():
    """Claims taken before this moment have lapsed."""
    return utcnow() - timedelta(minutes=claim_minutes())


def active_claim(object_type: str, object_id: int) -> ReviewClaim | None:
    claim = db.session.scalar(
        sa.select(ReviewClaim).where(ReviewClaim.object_type == object_type, ReviewClaim.object_id == object_id)
    )
    return claim if claim is not None and claim.claimed_at > lapse_time() else None


# Built once (every queue page runs it, and building a statement costs more than running it).
_ACTIVE_CLAIMS = (
    sa.select(ReviewClaim)
    .join(ReviewClaim.moderator)
    .where(
        ReviewClaim.object_type == sa.bindparam("object_type"),
        ReviewClaim.object_id.in_(sa.bindparam("object_ids", expanding=True)),
        ReviewClaim.claimed_at > sa.bindparam("lapse"),
    )
    # A queue page names each holder: read in the claims' own rows, by key, not by a statement
    # of their own (their grants are not read).
    .options(contains_eager(ReviewClaim.moderator).lazyload(User.roles))
)


def active_claims(object_type: str, object_ids: list[int]) -> dict[int, ReviewClaim]:
    if not object_ids:
        return {}
    params = {"object_type": object_type, "object_ids": list(object_ids), "lapse": lapse_time()}
    return {c.object_id: c for c in db.session.scalars(_ACTIVE_CLAIMS, params)}


def claim_item(object_type: str, object_id: int, *, actor: User) -> ReviewClaim:
    """Take an item for review (renewing one's own claim). Raises InvalidTransition if
    someone else holds a claim that has not lapsed."""
    claim = db.session.scalar(
        sa.select(ReviewClaim)
        .where(ReviewClaim.object_type == object_type, ReviewClaim.object_id == object_id)
        .with_for_update()
    )
    if claim is not None and claim.moderator_id != actor.id and claim.claimed_at > lapse_time():
        raise InvalidTransition(
            _l("%(name)s is reviewing this item. It frees up if they leave it.", name=claim.moderator.display_name)
        )
    if claim is None:
        claim = ReviewClaim(object_type=object_type, object_id=object_id, moderator_id=actor.id)
        try:
            # Two moderators claiming the same fresh item at once: the unique key decides.
            with db.session.begin_nested():
                db.session.add(claim)
        except IntegrityError:
            raise InvalidTransition(_l("Someone else has just claimed this item.")) from None
    claim.moderator_id = actor.id
    claim.claimed_at = utcnow()
    db.session.flush()
    return claim


def require_claim(object_type: str, object_id: int, *, actor: User) -> None:
    """Guard for a decision: the actor must hold the item (claimed now if free).

    Raises InvalidTransition when someone else holds it."""
    claim_item(object_type, object_id, actor=actor)


def release_item(object_type: str, object_id: int, *, actor: User | None = None) -> None:
    """Drop the claim on an item (after its decision, or when its reviewer leaves it)."""
    query = sa.delete(ReviewClaim).where(ReviewClaim.object_type == object_type, ReviewClaim.object_id == object_id)
    if actor is not None:
        query = query.where(ReviewClaim.moderator_id == actor.id)
    db.session.execute(query)


def assign_item(object_type: str, item, *, to: User, role: StaffRole, actor: User) -> ReviewClaim:
    """A lead gives `item` to `to` (who must hold `role`), whoever holds it now: assigning a free
    item, reassigning a claimed one, or taking it over (to = the lead). Written to the audit log.

    Raises PermissionDenied (not a lead), DomainError (the person cannot work this queue)."""
    permissions.require(permissions.can_lead(actor))
    if not to.is_active or not (role in to.staff_roles or StaffRole.admin in to.staff_roles):
        raise DomainError(_l("%(name)s cannot work this queue.", name=to.display_name))
    claim = db.session.scalar(
        sa.select(ReviewClaim)
        .where(ReviewClaim.object_type == object_type, ReviewClaim.object_id == item.id)
        .with_for_update()
    )
    before = claim.moderator_id if claim is not None and claim.claimed_at > lapse_time() else None
    if claim is None:
        claim = ReviewClaim(object_type=object_type, object_id=item.id, moderator_id=to.id)
        db.session.add(claim)
    claim.moderator_id = to.id
    claim.claimed_at = utcnow()
    db.session.flush()
    record_action(f"{object_type}.assigned", item, actor=actor, before={"holder": before}, after={"holder": to.id})
    return claim
