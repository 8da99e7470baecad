"""Money records: the double-entry ledger, the payment of each case, and the sandbox gateway's book.

Journals and entries are append-only: each money movement is one journal whose entries sum
to zero per currency; a balance is the sum of an account's entries. A Payment is the
gateway side of one case (its status is its own axis, separate from the case state), and
PaymentEvent keeps one row per gateway call, unique on its idempotency key.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.types import UTCDateTime, enum_column, utcnow


class JournalKind(enum.Enum):
    capture = "capture"  # client's card → escrow, when the designer accepts
    payout = "payout"  # escrow → designer (amount − fee) and platform (fee), on completion
    refund = "refund"  # escrow → client, on a cancellation after capture
    settlement = "settlement"  # escrow → client / designer / platform, as the resolution centre ruled
    chargeback = "chargeback"  # a card dispute: funds taken back by the bank (or returned), and its fee


class Journal(db.Model):
    __tablename__ = "ledger_journals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JournalKind] = mapped_column(enum_column(JournalKind, "journal_kind"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    # A month of a monthly contract (its capture, refunds and payout): its own escrow amount.
    contract_month_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contract_months.id"), index=True)
    # Derived from the case and the action: a second journal for the same movement is refused.
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entries: Mapped[list["Entry"]] = relationship(back_populates="journal", order_by="Entry.id")


class Entry(db.Model):
    """One line of a journal. Accounts: "client:<id>", "escrow", "designer:<id>", "platform:fees"."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_journals.id"), index=True)
    account: Mapped[str] = mapped_column(sa.String(40), index=True)
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger)  # signed: + flows into the account
    currency: Mapped[str] = mapped_column(sa.String(3))

    journal: Mapped[Journal] = relationship(back_populates="entries")

    __table_args__ = (sa.CheckConstraint("amount_cents <> 0", name="amount_not_zero"),)


class PaymentStatus(enum.Enum):
    requires_action = "requires_action"  # the hold waits for the payer's browser
    held = "held"  # authorised on the card, not captured
    declined = "declined"  # refused by the card; nothing held
    captured = "captured"  # in the platform's balance (escrow)
    released = "released"  # the hold was cancelled: nothing was charged
    paid_out = "paid_out"  # transferred to the designer (minus the fee)
    refunded = "refunded"  # all of it went back to the client
    partially_refunded = "partially_refunded"  # split by a ruling: part refunded, part paid out


class Payment(db.Model):
    """The gateway side of one order and its case."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("case_orders.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), unique=True)
    gateway: Mapped[str] = mapped_column(sa.String(16))
    hold_reference: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    charge_reference: Mapped[str | None] = mapped_column(sa.String(120))
    transfer_reference: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus, "payment_status"))
    currency: Mapped[str] = mapped_column(sa.String(3))
    amount_cents: Mapped[int] = mapped_column()
    captured_cents: Mapped[int] = mapped_column(default=0)
    paid_out_cents: Mapped[int] = mapped_column(default=0)  # to the designer
    fee_cents: Mapped[int] = mapped_column(default=0)  # kept by the platform
    refunded_cents: Mapped[int] = mapped_column(default=0)
    card_last4: Mapped[str | None] = mapped_column(sa.String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    events: Mapped[list["PaymentEvent"]] = relationship(back_populates="payment", order_by="PaymentEvent.id")

    __table_args__ = (
        sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
        sa.CheckConstraint(
            "captured_cents >= 0 AND paid_out_cents >= 0 AND fee_cents >= 0 AND refunded_cents >= 0",
            name="amounts_not_negative",
        ),
        sa.CheckConstraint("paid_out_cents + fee_cents + refunded_cents <= captured_cents", name="never_more_out"),
    )


class PaymentEvent(db.Model):
    """One gateway call, append-only; its idempotency key is the one the gateway saw."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payments.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(32))
    reference: Mapped[str] = mapped_column(sa.String(120))
    amount_cents: Mapped[int] = mapped_column()
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    raw: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="events")


class MovementKind(enum.Enum):
    capture = "capture"  # the hold into the platform's balance (escrow)
    release = "release"  # the hold cancelled: nothing charged
    refund = "refund"  # escrow back to the payer's card
    transfer = "transfer"  # escrow to the designer's account (amount), the fee kept by the platform


class MovementState(enum.Enum):
    pending = "pending"  # about to be asked, or asked without a confirmed answer
    succeeded = "succeeded"  # the gateway did it, and the ledger records it
    failed = "failed"  # the gateway refused, or it never happened and was asked again


class PaymentMovement(db.Model):
    """One money movement asked of the gateway, written and committed before the gateway is asked.

    Its idempotency key is unique per case, kind, amount and attempt; whatever happens to the
    request that asked, a pending movement is later settled from the gateway's own book.
    No foreign keys: the row is written from a second connection while the case and payment
    rows are locked by the request, and a key check would wait on those locks.
    """

    __tablename__ = "payment_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(index=True)
    case_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind, "movement_kind"))
    amount_cents: Mapped[int] = mapped_column()  # what the gateway moves
    fee_cents: Mapped[int] = mapped_column(default=0)  # a transfer's fee: leaves escrow with it, to the platform
    currency: Mapped[str] = mapped_column(sa.String(3))
    destination: Mapped[str | None] = mapped_column(sa.String(64))  # a transfer's connected account
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    state: Mapped[MovementState] = mapped_column(enum_column(MovementState, "movement_state"), index=True)
    reference: Mapped[str | None] = mapped_column(sa.String(120))  # the gateway's object
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.CheckConstraint("amount_cents >= 0 AND fee_cents >= 0", name="amounts_not_negative"),)


# The money records are append-only in the database itself, as the audit log is: an UPDATE or
# DELETE is refused whatever the application does (TRUNCATE, for wiping a test database, is not
# a row change). The migration 20261206_ledger installs the same statements.
POSTGRESQL_APPEND_ONLY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION money_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$"
)


def append_only_statements(table: str, dialect: str) -> list[str]:
    """The statements that make `table` refuse UPDATE and DELETE on this database."""
    if dialect == "postgresql":
        return [
            POSTGRESQL_APPEND_ONLY_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION money_records_append_only()",
        ]
    return [
        f"CREATE TRIGGER {table}_append_only_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def _guard(table: sa.Table, dialect: str) -> None:
    for statement in append_only_statements(table.name, dialect):
        sa.event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect=dialect))


for _model in (Journal, Entry, PaymentEvent):
    for _dialect in ("postgresql", "sqlite"):
        _guard(_model.__table__, _dialect)


class SandboxObjectKind(enum.Enum):
    payment_intent = "payment_intent"  # a hold, later captured or cancelled
    transfer = "transfer"  # a payout to a designer's sandbox account
    refund = "refund"  # money back to the card


class SandboxObject(db.Model):
    """The offline gateway's own book (what Stripe would keep on its side). Never a card number."""

    __tablename__ = "sandbox_objects"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[SandboxObjectKind] = mapped_column(enum_column(SandboxObjectKind, "sandbox_object_kind"))
    status: Mapped[str] = mapped_column(sa.String(24))
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    captured_cents: Mapped[int] = mapped_column(default=0)
    refunded_cents: Mapped[int] = mapped_column(default=0)  # refunds of a charge, reversals of a transfer
    card_last4: Mapped[str | None] = mapped_column(sa.String(4))
    destination: Mapped[str | None] = mapped_column(sa.String(64))
    transfer_group: Mapped[str | None] = mapped_column(sa.String(64))
    source: Mapped[str | None] = mapped_column(sa.String(64))
    meta: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SandboxRequest(db.Model):
    """A call the sandbox answered, by idempotency key: the same key gets the same answer."""

    __tablename__ = "sandbox_requests"

    idempotency_key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(32))
    response: Mapped[dict] = mapped_column(sa.JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
