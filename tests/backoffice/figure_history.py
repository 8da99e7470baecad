"""A known history for the figures tests: audit entries and queue rows at chosen times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from extensions import commit, db
from models.accounts import User
from models.disputes import DisputeState
from models.moderation import AuditEntry, Violation, ViolationSource, ViolationStatus
from models.profiles import ReviewState
from profiles import operations as profiles
from tests.disputes.factories import disputed
from tests.factories import make_user

NOW = datetime(2030, 1, 15, 12, 0, tzinfo=timezone.utc)


def at(day: int, hour: int) -> datetime:
    """A moment in January 2030."""
    return datetime(2030, 1, day, hour, 0, tzinfo=timezone.utc)


def entry(action: str, object_type: str, object_id: int, when: datetime, actor: User | None = None) -> AuditEntry:
    row = AuditEntry(
        action=action, object_type=object_type, object_id=str(object_id), at=when, actor_id=actor.id if actor else None
    )
    db.session.add(row)
    return row


def reviewed_profile(object_id: int, submitted: datetime, decided: datetime, actor: User, outcome: str) -> None:
    entry("profile.submitted", "DesignerProfile", object_id, submitted)
    entry(f"profile.{outcome}", "DesignerProfile", object_id, decided, actor)


def pending_profile(submitted: datetime):
    designer = make_user(client=False, designer=True)
    profile = profiles.profile_for(designer, create=True)
    profile.state, profile.submitted_at = ReviewState.pending, submitted
    commit()
    return profile


def open_violation(created: datetime, user: User | None = None) -> Violation:
    violation = Violation(
        user_id=(user or make_user()).id,
        source=ViolationSource.message,
        text="call me",
        created_at=created,
        status=ViolationStatus.open,
    )
    db.session.add(violation)
    commit()
    return violation


def late_dispute(answer_due: datetime):
    """An active dispute whose answer time ended at `answer_due` (its ruling is due 14 days later)."""
    case, dispute = disputed(make_user(), make_user(client=False, designer=True))
    dispute.answer_due_at, dispute.state = answer_due, DisputeState.awaiting_ruling
    case.escrow_limit_at = answer_due + timedelta(days=60)  # money may stay: the ruling date alone counts
    commit()
    return dispute
