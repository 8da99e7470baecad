"""Disputes: a case stopped by its client (or the platform) and settled on the written record.

A case has at most one active dispute (open or awaiting a ruling): a partial unique index
says so. A withdrawn dispute stays as history, and the client may open a new one later.
Settled and ruled disputes end the case (resolved), so nothing follows them.
The money of a dispute moves only through cases.process ("settle", "resolve").
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.cases import Case
from models.types import UTCDateTime, enum_column, utcnow


class DisputeReason(enum.Enum):
    not_delivered = "not_delivered"  # nothing usable was delivered
    not_per_prescription = "not_per_prescription"  # the design does not follow the prescription
    poor_quality = "poor_quality"  # delivered, but not of usable quality
    revisions_refused = "revisions_refused"  # the designer refused the revisions included
    other = "other"  # anything else, explained in the statement
    party_suspended = "party_suspended"  # opened by the platform: a party was suspended
    card_dispute = "card_dispute"  # opened by the platform: the cardholder disputed the charge


class DisputeState(enum.Enum):
    open = "open"  # waiting for the designer's answer until answer_due_at
    awaiting_ruling = "awaiting_ruling"  # answered, or the answer time passed: an agent rules
    settled = "settled"  # the parties agreed on a settlement; the money moved
    withdrawn = "withdrawn"  # the client withdrew it; the case went back to where it was
    ruled = "ruled"  # a resolution agent ruled; the money moved


ACTIVE_DISPUTE_STATES = (DisputeState.open, DisputeState.awaiting_ruling)
_ACTIVE_SQL = "state IN ('open', 'awaiting_ruling')"


class DisputeParty(enum.Enum):
    client = "client"
    designer = "designer"


class Dispute(db.Model):
    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # None when the platform opened it (suspension, nothing delivered in time).
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[DisputeReason] = mapped_column(enum_column(DisputeReason, "dispute_reason"))
    client_statement: Mapped[str] = mapped_column(sa.Text, default="")
    designer_answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    state: Mapped[DisputeState] = mapped_column(
        enum_column(DisputeState, "dispute_state"), default=DisputeState.open, index=True
    )
    # The case state before the dispute is not copied here: the case's "dispute" event holds it
    # (cases.process returns a withdrawn dispute's case there; claim checks read it too).
    # Set by the sweep when Stripe's 90-day limit on the captured payment is near.
    escalated: Mapped[bool] = mapped_column(default=False)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the resolution centre's queue sorts by (disputes.rules.queue_due_at), stored at each move
    # so the queue reads its first page from an index instead of computing and sorting every dispute.
    queue_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship()
    opened_by: Mapped[User | None] = relationship()
    evidence: Mapped[list["DisputeEvidence"]] = relationship(back_populates="dispute", order_by="DisputeEvidence.id")
    proposals: Mapped[list["SettlementProposal"]] = relationship(
        back_populates="dispute", order_by="SettlementProposal.id"
    )
    ruling: Mapped["Ruling | None"] = relationship(back_populates="dispute", uselist=False)

    __table_args__ = (
        # One active dispute per case; withdrawn ones stay as history.
        sa.Index(
            "uq_disputes_active_case",
            "case_id",
            unique=True,
            postgresql_where=sa.text(_ACTIVE_SQL),
            sqlite_where=sa.text(_ACTIVE_SQL),
        ),
        # The queue's order (escalated first, then due first): its page is the index's first rows.
        sa.Index("ix_disputes_queue", sa.desc("escalated"), "queue_due_at", "id"),
    )

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_DISPUTE_STATES

    def __repr__(self) -> str:
        return f"<Dispute {self.id} case={self.case_id} {self.state.value}>"


class DisputeEvidence(db.Model):
    """A file a party gave the resolution centre (photos, screenshots, reports)."""

    __tablename__ = "dispute_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    party: Mapped[DisputeParty] = mapped_column(enum_column(DisputeParty, "dispute_party"))
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The agent's evidence request this file answers (None: given with a statement or added freely).
    request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("evidence_requests.id", ondelete="SET NULL"), index=True
    )

    dispute: Mapped[Dispute] = relationship(back_populates="evidence")
    file = relationship("StoredFile")

    __table_args__ = (sa.UniqueConstraint("dispute_id", "file_id"),)


class ProposalStatus(enum.Enum):
    open = "open"  # waiting for the other party
    accepted = "accepted"  # the other party accepted: the dispute is settled
    withdrawn = "withdrawn"  # taken back by its proposer, or ended with the dispute
    superseded = "superseded"  # a newer proposal (by either party) replaced it


class SettlementProposal(db.Model):
    """An amount to the designer (the rest refunded) offered by one party to the other."""

    __tablename__ = "settlement_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    designer_cents: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.open
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    dispute: Mapped[Dispute] = relationship(back_populates="proposals")
    proposer: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("designer_cents >= 0", name="designer_cents_not_negative"),
        # At most one proposal on the table at a time.
        sa.Index(
            "uq_settlement_proposals_open",
            "dispute_id",
            unique=True,
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        ),
    )


class RulingOutcome(enum.Enum):
    refund = "refund"  # everything back to the client
    pay_designer = "pay_designer"  # everything to the designer, minus the fee
    split = "split"  # part to the designer (minus the fee on that part), the rest refunded


class Ruling(db.Model):
    """A resolution agent's decision, with the reasoning both parties read. One per dispute."""

    __tablename__ = "rulings"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id", ondelete="CASCADE"), unique=True)
    agent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[RulingOutcome] = mapped_column(enum_column(RulingOutcome, "ruling_outcome"))
    designer_cents: Mapped[int] = mapped_column()  # the designer's part before the fee
    refund_cents: Mapped[int] = mapped_column()
    fee_cents: Mapped[int] = mapped_column()  # taken on the designer's part only
    currency: Mapped[str] = mapped_column(sa.String(3))
    reasoning: Mapped[str] = mapped_column(sa.Text)
    ruled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    dispute: Mapped[Dispute] = relationship(back_populates="ruling")
    agent: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("designer_cents >= 0 AND refund_cents >= 0", name="parts_not_negative"),
        sa.CheckConstraint("fee_cents >= 0 AND fee_cents <= designer_cents", name="fee_within_designer_part"),
    )

    @property
    def designer_earnings_cents(self) -> int:
        return self.designer_cents - self.fee_cents


class MessageAudience(enum.Enum):
    """Who reads a message of the dispute's conversation, besides the resolution centre."""

    all = "all"  # the three-way thread: both parties and the resolution centre
    client = "client"  # the client and the resolution centre only
    designer = "designer"  # the designer and the resolution centre only


class DisputeMessage(db.Model):
    """One message of a dispute's conversation with the resolution centre. Append-only: never
    edited or deleted, so the record shows who said what to whom, and when."""

    __tablename__ = "dispute_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    audience: Mapped[MessageAudience] = mapped_column(enum_column(MessageAudience, "dispute_message_audience"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    dispute: Mapped[Dispute] = relationship()
    author: Mapped[User | None] = relationship()


class DraftStatus(enum.Enum):
    pending = "pending"  # waiting for a second agent
    approved = "approved"  # a second agent approved it: the ruling was made and the money moved
    sent_back = "sent_back"  # a second agent sent it back to its author, with a note
    withdrawn = "withdrawn"  # its author took it back


class RulingDraft(db.Model):
    """A ruling one agent may not make alone (a large refund, or one setting aside a party's
    proposal): its figures and reasoning wait for a second agent, who approves or sends it back."""

    __tablename__ = "ruling_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    drafted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[RulingOutcome] = mapped_column(enum_column(RulingOutcome, "ruling_outcome"))
    designer_cents: Mapped[int] = mapped_column()  # the designer's part before the fee
    refund_cents: Mapped[int] = mapped_column()
    fee_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    # The split as the agent typed it, in hundredths of a percent (4000 = 40 %); None for an amount.
    percent_hundredths: Mapped[int | None] = mapped_column()
    reasoning: Mapped[str] = mapped_column(sa.Text)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)  # why a second agent is needed
    status: Mapped[DraftStatus] = mapped_column(
        enum_column(DraftStatus, "ruling_draft_status"), default=DraftStatus.pending
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    dispute: Mapped[Dispute] = relationship()
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint("designer_cents >= 0 AND refund_cents >= 0", name="parts_not_negative"),
        # One draft waits per dispute at a time.
        sa.Index(
            "uq_ruling_drafts_pending",
            "dispute_id",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    @property
    def designer_net_cents(self) -> int:
        return self.designer_cents - self.fee_cents


class EvidenceRequest(db.Model):
    """A resolution agent asks one party for specific evidence by a date; the party answers once
    with a text and files (DisputeEvidence rows naming the request). While it runs the ruling
    is due later (disputes/ruling_due.py); unanswered on its date, the sweep flags it."""

    __tablename__ = "evidence_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    party: Mapped[DisputeParty] = mapped_column(enum_column(DisputeParty, "evidence_request_party"))
    asked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    what: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(sa.Text)
    overdue_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    dispute: Mapped[Dispute] = relationship()
    asked_by: Mapped[User | None] = relationship()
    files: Mapped[list[DisputeEvidence]] = relationship(order_by="DisputeEvidence.id", viewonly=True)

    __table_args__ = (sa.CheckConstraint("due_at > asked_at", name="due_after_asked"),)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
