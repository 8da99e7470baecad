"""Quality sampling (four-eyes): a share of each staff member's decisions is reviewed by another.

Which decisions are sampled follows from the audit entry's id alone (Knuth's multiplicative
hash, read in its high bits): deterministic, the same in Python and in SQL, and about
QUALITY_SAMPLE_PERCENT of every staff member's decisions. Nothing is written when a decision
is made; the sample is a view on the audit log, and a review adds one QualityReview row.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from audit.areas import area_of, readable_areas, visible_to
from audit.trail import record_action
from backoffice.figures import DECISION_ACTIONS
from errors import DomainError, NotFound
from extensions import db
from models.accounts import User
from models.moderation import AuditEntry, QualityReview

MULTIPLIER = 2654435761  # ⌊2³² / golden ratio⌋: consecutive ids spread over the whole range
SPACE = 2**32
REVIEWED = "quality.reviewed"


def sample_percent() -> int:
    return int(current_app.config.get("QUALITY_SAMPLE_PERCENT", 5))


def is_sampled(entry_id: int, percent: int | None = None) -> bool:
    percent = sample_percent() if percent is None else percent
    return (entry_id * MULTIPLIER) % SPACE * 100 < percent * SPACE


def sampled(percent: int | None = None) -> sa.ColumnElement[bool]:
    """The same test as is_sampled, as a condition on AuditEntry."""
    percent = sample_percent() if percent is None else percent
    spread = (
        sa.cast(AuditEntry.id, sa.BigInteger) * sa.literal(MULTIPLIER, sa.BigInteger) % sa.literal(SPACE, sa.BigInteger)
    )
    return spread * 100 < sa.literal(percent * SPACE, sa.BigInteger)


def _waiting_for(reviewer: User) -> sa.Select:
    """Sampled decisions of the reviewer's areas, made by someone else, not reviewed yet."""
    return sa.select(AuditEntry).where(
        AuditEntry.action.in_(DECISION_ACTIONS),
        sampled(),
        visible_to(reviewer),
        AuditEntry.actor_id.isnot(None),
        AuditEntry.actor_id != reviewer.id,
        ~sa.exists().where(QualityReview.audit_entry_id == AuditEntry.id),
    )


def review_queue(reviewer: User, *, limit: int = 50) -> tuple[int, list[AuditEntry]]:
    """(how many wait, the oldest `limit` of them) for `reviewer`."""
    query = _waiting_for(reviewer)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    return total, list(db.session.scalars(query.order_by(AuditEntry.at, AuditEntry.id).limit(limit)))


def entry_to_review(entry_id: int, reviewer: User) -> AuditEntry:
    """A sampled decision `reviewer` may see; anything else is a 404, like someone else's object."""
    entry = db.session.get(AuditEntry, entry_id)
    if (
        entry is None
        or entry.action not in DECISION_ACTIONS
        or not is_sampled(entry.id)
        or area_of(entry.action) not in readable_areas(reviewer)
    ):
        raise NotFound(_("No such decision to review."))
    return entry


def review_decision(entry_id: int, *, reviewer: User, agrees: bool, note: str) -> QualityReview:
    """The second staff member's verdict on a sampled decision, once, never on their own."""
    entry = entry_to_review(entry_id, reviewer)
    db.session.execute(sa.select(AuditEntry.id).where(AuditEntry.id == entry.id).with_for_update())
    note = (note or "").strip()
    if entry.actor_id == reviewer.id:
        raise DomainError(_("You cannot review your own decision: another staff member reviews it."))
    if db.session.scalar(sa.select(QualityReview.id).where(QualityReview.audit_entry_id == entry.id)):
        raise DomainError(_("This decision has already been reviewed."))
    if not agrees and not note:
        raise DomainError(_("Say why you disagree: the note goes to the decider's record."), field="note")
    review = QualityReview(
        audit_entry_id=entry.id, decider_id=entry.actor_id, reviewer_id=reviewer.id, agrees=agrees, note=note
    )
    db.session.add(review)
    record_action(
        REVIEWED,
        ("AuditEntry", entry.id),
        actor=reviewer,
        reason=note or None,
        after={"agrees": agrees, "decision": entry.action, "decider": entry.actor_id},
    )
    return review


def agreement_rates(viewer: User) -> dict[int, tuple[int, int]]:
    """decider → (reviews, agreements), over the decisions of the viewer's areas. One query."""
    rows = db.session.execute(
        sa.select(
            QualityReview.decider_id,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((QualityReview.agrees, 1), else_=0)), 0),
        )
        .join(AuditEntry, AuditEntry.id == QualityReview.audit_entry_id)
        .where(visible_to(viewer), QualityReview.decider_id.isnot(None))
        .group_by(QualityReview.decider_id)
    )
    return {decider: (reviews, agreed) for decider, reviews, agreed in rows}
