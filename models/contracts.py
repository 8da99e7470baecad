"""Monthly contracts: a designer's standing offer of a number of cases a month to one client.

A Contract carries the agreed terms (copied at offer time, never changed after acceptance);
each ContractMonth is its own escrow amount, charged off-session on the client's saved card
at the month's start and paid out to the designer after the month's review window.
ContractMovement is the money asked of the gateway for a month, written before asking (the
same discipline as payment_movements); ContractEvent is the contract's append-only history.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


def new_contract_reference() -> str:
    return "K-" + secrets.token_hex(4).upper()


class ContractState(enum.Enum):
    offered = "offered"  # sent by the designer, waiting for the client
    declined = "declined"  # the client said no
    withdrawn = "withdrawn"  # the designer took the offer back before it was accepted
    expired = "expired"  # not accepted in time
    active = "active"  # accepted: months are charged and cases sent
    paused = "paused"  # no new month starts until resumed; the current month runs to its end
    ending = "ending"  # notice given: runs to ends_at, then ends
    ended = "ended"  # ran to its term or its notice
    cancelled = "cancelled"  # stopped early (designer, unpaid month, or before the first month)


OPEN_CONTRACT_STATES = (ContractState.active, ContractState.paused, ContractState.ending)


class Contract(db.Model):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True, default=new_contract_reference)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The conversation it was offered from (no foreign key: conversations point at cases, cases here).
    conversation_id: Mapped[int | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(120))  # the service(s), in the designer's words
    cases_per_month: Mapped[int] = mapped_column()
    month_price_cents: Mapped[int] = mapped_column()
    extra_case_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    turnaround_days: Mapped[int] = mapped_column()
    revisions_included: Mapped[int] = mapped_column(default=2)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    term_months: Mapped[int | None] = mapped_column()  # None: rolling, month after month until notice
    auto_renew: Mapped[bool] = mapped_column(default=False)  # a term contract starts another term
    notice_days: Mapped[int] = mapped_column(default=30)
    rollover: Mapped[bool] = mapped_column(default=False)  # unused cases carry into the next month
    state: Mapped[ContractState] = mapped_column(enum_column(ContractState, "contract_state"), index=True)
    # The client's saved card at the gateway (a customer and a payment method): never a card number.
    customer_reference: Mapped[str | None] = mapped_column(sa.String(64))
    payment_method_reference: Mapped[str | None] = mapped_column(sa.String(64))
    card_last4: Mapped[str | None] = mapped_column(sa.String(4))
    term_end_month: Mapped[int | None] = mapped_column()  # number of the last month of the current term
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # set by a notice
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the next month starts no earlier
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    designer: Mapped[User] = relationship(foreign_keys=[designer_id])
    client: Mapped[User] = relationship(foreign_keys=[client_id])
    months: Mapped[list["ContractMonth"]] = relationship(back_populates="contract", order_by="ContractMonth.number")

    __table_args__ = (
        sa.CheckConstraint("cases_per_month > 0", name="cases_positive"),
        sa.CheckConstraint("month_price_cents > 0 AND extra_case_cents > 0", name="prices_positive"),
        sa.CheckConstraint("notice_days >= 0", name="notice_not_negative"),
        sa.CheckConstraint("term_months IS NULL OR term_months > 0", name="term_positive"),
    )

    @property
    def notice_period(self) -> timedelta:
        return timedelta(days=self.notice_days)

    @property
    def case_share_cents(self) -> int:
        """One allowance case's share of the month: what a ruling on that case can refund."""
        return self.month_price_cents // self.cases_per_month


class MonthState(enum.Enum):
    due = "due"  # to be charged
    requires_action = "requires_action"  # the client's bank asked for a confirmation: link mailed
    failed = "failed"  # the charge was refused: no new cases until it is paid
    captured = "captured"  # in escrow; cases draw from its allowance
    held = "held"  # review window over, a case of the month is disputed: the payout waits
    paid_out = "paid_out"  # escrow left: to the designer minus the fee, and any refunds
    void = "void"  # never charged (the contract ended before it was paid)


class ContractMonth(db.Model):
    __tablename__ = "contract_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    review_until: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    allowance: Mapped[int] = mapped_column()  # cases included (with any rollover)
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    state: Mapped[MonthState] = mapped_column(enum_column(MonthState, "contract_month_state"), index=True)
    charge_reference: Mapped[str | None] = mapped_column(sa.String(120))  # the PaymentIntent (refunds)
    # The charge its payout's transfer draws on; unknown after a confirmation by the cardholder,
    # when the transfer comes from the platform's balance (the month was captured weeks before).
    source_charge: Mapped[str | None] = mapped_column(sa.String(120))
    client_secret: Mapped[str | None] = mapped_column(sa.String(200))  # Stripe: the browser confirms with it
    captured_cents: Mapped[int] = mapped_column(default=0)
    refunded_cents: Mapped[int] = mapped_column(default=0)
    paid_out_cents: Mapped[int] = mapped_column(default=0)
    fee_cents: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    failure: Mapped[str | None] = mapped_column(sa.Text)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contract: Mapped[Contract] = relationship(back_populates="months")

    __table_args__ = (
        sa.UniqueConstraint("contract_id", "number", name="one_month_number"),
        sa.CheckConstraint("amount_cents > 0 AND allowance >= 0", name="month_amounts"),
        sa.CheckConstraint(
            "refunded_cents + paid_out_cents + fee_cents <= captured_cents", name="month_never_more_out"
        ),
    )


class ContractEvent(db.Model):
    """One step of a contract (offer, accept, month charged, notice …), for its history."""

    __tablename__ = "contract_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    from_state: Mapped[str | None] = mapped_column(sa.String(16))
    to_state: Mapped[str] = mapped_column(sa.String(16))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ContractMoveKind(enum.Enum):
    charge = "charge"  # the month's amount, off-session on the saved card
    refund = "refund"  # part of the month back to the client (a ruling, a cancellation)
    transfer = "transfer"  # the month to the designer, the fee kept by the platform


class ContractMovement(db.Model):
    """Money asked of the gateway for a month: committed as pending before asking, under a key
    unique to the month, kind, amount and attempt (no foreign keys, as payment_movements)."""

    __tablename__ = "contract_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    month_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[ContractMoveKind] = mapped_column(enum_column(ContractMoveKind, "contract_move_kind"))
    amount_cents: Mapped[int] = mapped_column()
    fee_cents: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(sa.String(3))
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    state: Mapped[str] = mapped_column(sa.String(16), index=True)  # pending, succeeded, failed
    reference: Mapped[str | None] = mapped_column(sa.String(120))
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("amount_cents >= 0 AND fee_cents >= 0", name="move_not_negative"),)
