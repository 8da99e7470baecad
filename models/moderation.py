"""Moderation records. The audit log is append-only: rows are written by domain functions only."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


class AuditEntry(db.Model):
    """Who did what to which object, from what to what, why, and when."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # None when the platform itself acted (sweep, auto-complete).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    reason: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.Index("ix_audit_entries_object", "object_type", "object_id"),
        # The figures page: decisions of a window by action and time, read from the index alone, and
        # "the object's latest submission before this decision" found in one index step.
        sa.Index("ix_audit_entries_action_at", "action", "at", "actor_id"),
        sa.Index("ix_audit_entries_object_action_at", "object_type", "object_id", "action", "at"),
    )


class AuditDayCount(db.Model):
    """Audit entries per UTC day, action and actor: the figures page's daily roll-up.

    Kept exact by audit.trail in the transaction that writes each audit row (the log is
    append-only, so a count never has to go down)."""

    __tablename__ = "audit_day_counts"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # The actor's id, 0 for the platform itself (a key column cannot be NULL).
    actor_key: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column(sa.CheckConstraint("entries > 0", name="entries_positive"))


class DecisionHoursDay(db.Model):
    """The hours from entering a queue to each decision taken on one closed UTC day, per queue
    (moderation.decision_times): stored once the day can get no more rows, so the figures page
    reads 30 days of medians' inputs from 30 rows a queue instead of every decision's history."""

    __tablename__ = "decision_hours_days"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    queue: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    hours: Mapped[list] = mapped_column(sa.JSON)  # one number per decision of the day (may be empty)


class ViolationSource(enum.Enum):
    message = "message"  # a message in a conversation or case thread
    profile = "profile"  # designer profile text
    listing = "listing"  # listing text
    review = "review"  # a review after completion
    case_instructions = "case_instructions"  # the prescription and instructions of a case
    report = "report"  # a user reported another user or message
    file = "file"  # text inside an uploaded file (mesh header, EXIF, PDF...)
    community = "community"  # a community post or comment


class ViolationStatus(enum.Enum):
    open = "open"  # waiting for a moderator
    dismissed = "dismissed"  # not a violation (false positive, unfounded report)
    warned = "warned"  # a strike: the user was warned
    suspended = "suspended"  # a strike that led to suspension


class Violation(db.Model):
    """A contact-filter hit or a user report, kept for moderators with its text and findings."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[ViolationSource] = mapped_column(enum_column(ViolationSource, "violation_source"))
    source_ref: Mapped[str | None] = mapped_column(sa.String(80))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    findings: Mapped[list] = mapped_column(sa.JSON, default=list)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    report_reason: Mapped[str | None] = mapped_column(sa.String(64))
    report_note: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[ViolationStatus] = mapped_column(
        enum_column(ViolationStatus, "violation_status"), default=ViolationStatus.open, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    # Set on the other attempts of a group decided at once: the group is one strike, the lead's.
    group_lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("violations.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    # The violations queue: one status, due first.
    __table_args__ = (sa.Index("ix_violations_queue", "status", "created_at", "id"),)


class ReviewClaim(db.Model):
    """A moderator holding an item of a review queue, so no one else reviews it at the same time.

    One row per object (unique); a claim older than REVIEW_CLAIM_MINUTES has lapsed and may
    be taken over. The row is removed when the item is decided or released.
    """

    __tablename__ = "review_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))  # "profile", "listing", "verification", "violation"
    object_id: Mapped[int] = mapped_column()
    moderator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    moderator: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("object_type", "object_id"),)


class StaffSecondFactor(db.Model):
    """A staff account's TOTP enrolment: the secret encrypted at rest, recovery codes hashed.

    `enrolled_at` is NULL while the account has been shown a secret but not yet proven it
    with a first code; only an enrolled factor opens the back office.
    """

    __tablename__ = "staff_second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    secret_encrypted: Mapped[bytes] = mapped_column(sa.LargeBinary(256))
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The time step of the last accepted code: a code is accepted once, never replayed.
    last_used_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # SHA-256 hex digests of the unused recovery codes; a code is removed when used.
    recovery_code_hashes: Mapped[list] = mapped_column(sa.JSON, default=list)

    user: Mapped[User] = relationship()


class CannedResponse(db.Model):
    """A macro: a text staff pick for a decision of one queue, in one language, with placeholders.

    Written and retired by admins (moderation.macros); a retired macro is no longer offered but
    stays for the audit log's sake.
    """

    __tablename__ = "canned_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(sa.String(32))  # moderation.macros.QUEUES
    language: Mapped[str] = mapped_column(sa.String(8))  # "en", "fr"
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (sa.Index("ix_canned_responses_queue_language", "queue", "language"),)


class AppealStatus(enum.Enum):
    open = "open"  # waiting for a moderator other than the original decider
    upheld = "upheld"  # the suspension or termination stands
    reinstated = "reinstated"  # the account is active again


class Appeal(db.Model):
    """A suspended or terminated account holder's appeal, filed once per decision from the login page."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The audit entry of the suspension or termination appealed against: one appeal per decision.
    decision_entry_id: Mapped[int] = mapped_column(sa.ForeignKey("audit_entries.id", ondelete="CASCADE"), unique=True)
    original_decider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[AppealStatus] = mapped_column(
        enum_column(AppealStatus, "appeal_status"), default=AppealStatus.open, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    original_decider: Mapped[User | None] = relationship(foreign_keys=[original_decider_id])
    decision_entry: Mapped[AuditEntry] = relationship()


class QualityReview(db.Model):
    """A second staff member's verdict on a sampled decision (four-eyes quality check).

    Which decisions are sampled is not stored: backoffice.quality derives it from the audit
    entry's id, so the same decisions are sampled whoever asks. One review per decision.
    """

    __tablename__ = "quality_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_entry_id: Mapped[int] = mapped_column(sa.ForeignKey("audit_entries.id", ondelete="CASCADE"), unique=True)
    # The staff member who decided (copied from the entry: it outlives a deleted account's name).
    decider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    agrees: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[AuditEntry] = relationship()
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class RejectedVersion(db.Model):
    """The version of a profile or listing a moderator rejected, with the decision, so that its
    resubmission is reviewed as a diff against it (the working copy changes after rejection)."""

    __tablename__ = "rejected_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))  # "profile", "listing"
    object_id: Mapped[int] = mapped_column()
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_rejected_versions_object", "object_type", "object_id"),)
