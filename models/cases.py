"""Cases: one order from a client to a designer, from the request to the review.

What was agreed (listing title, unit, included revisions, turnaround, unit price, fee) is
copied onto the case at order time, so a later change to the listing changes nothing here.
The state column is written only by cases.process.apply_action.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow

# Readable, unambiguous reference codes: no 0/O, 1/I/L.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "OC-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


class CaseState(enum.Enum):
    requested = "requested"  # awaiting the designer's acceptance; the amount is held on the card
    in_progress = "in_progress"  # accepted and captured into escrow; the designer works (or reworks)
    delivered = "delivered"  # the designer delivered; the client completes, asks a revision or disputes
    completed = "completed"  # closed by the client or automatically; the designer was paid
    cancelled = "cancelled"  # withdrawn by the client (or the platform); hold released or refunded
    rejected = "rejected"  # refused by the designer before acceptance; hold released
    expired = "expired"  # not accepted in time; hold released
    disputed = "disputed"  # stopped: nothing is paid out until the resolution centre rules
    resolved = "resolved"  # the resolution centre ruled; money refunded, paid, or split


class CaseAction(enum.StrEnum):
    """What moves a case: the actions of cases/process.py's table. A StrEnum, so the value a case
    event stores and the names templates compare with are the same words."""

    send = "send"
    accept = "accept"
    reject = "reject"
    cancel = "cancel"
    expire = "expire"
    deliver = "deliver"
    request_revision = "request_revision"
    grant_revisions = "grant_revisions"
    cancel_undelivered = "cancel_undelivered"
    complete = "complete"
    auto_complete = "auto_complete"
    dispute = "dispute"
    resolve = "resolve"
    settle = "settle"
    withdraw_dispute = "withdraw_dispute"


OPEN_STATES = (CaseState.requested, CaseState.in_progress, CaseState.delivered, CaseState.disputed)
# States in which the client's money sits captured in escrow.
ESCROW_STATES = (CaseState.in_progress, CaseState.delivered, CaseState.disputed)


class CaseUnit(enum.Enum):
    tooth = "tooth"  # priced per unit (tooth)
    arch = "arch"  # priced per arch


class OrderStatus(enum.Enum):
    awaiting_payment = "awaiting_payment"  # the hold needs the payer's browser (3-D Secure, Payment Element)
    sent = "sent"  # the hold is in place and the case exists
    declined = "declined"  # the card was refused; no case was created


class CaseOrder(db.Model):
    """An order as the client submitted it, kept until its hold is confirmed.

    With the sandbox the hold succeeds or fails at once and the case is created in the same
    request. With Stripe the hold may need the browser to confirm it first; the order waits
    here and becomes a case only once the gateway says the money is held.
    """

    __tablename__ = "case_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(43), unique=True, default=lambda: secrets.token_urlsafe(32))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    listing_id: Mapped[int | None] = mapped_column(index=True)
    # The order form as entered: terms, prescription, instructions, attachment file ids.
    terms: Mapped[dict] = mapped_column(sa.JSON)
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[OrderStatus] = mapped_column(
        enum_column(OrderStatus, "order_status"), default=OrderStatus.awaiting_payment
    )
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),)


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True, default=new_reference)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    listing_id: Mapped[int | None] = mapped_column(index=True)
    # Copied from the listing at order time.
    listing_title: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[CaseUnit] = mapped_column(enum_column(CaseUnit, "case_unit"))
    revisions_included: Mapped[int] = mapped_column()
    turnaround_days: Mapped[int] = mapped_column()
    quantity: Mapped[int] = mapped_column()
    unit_price_cents: Mapped[int] = mapped_column()
    amount_cents: Mapped[int] = mapped_column()  # what the client pays: quantity × unit price
    fee_cents: Mapped[int] = mapped_column()  # the platform's commission, taken from the designer
    currency: Mapped[str] = mapped_column(sa.String(3))
    state: Mapped[CaseState] = mapped_column(
        enum_column(CaseState, "case_state"), default=CaseState.requested, index=True
    )
    # {"teeth": {"11": {"restoration": "crown"}, ...}, "arches": [...], "material", "shade", "parameters": {...}}
    prescription: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    client_case_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Deadlines, applied by cases.deadlines (see its docstring for the 90-day rule).
    accept_by: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The promised delivery: `turnaround_days` business days after acceptance (cases.deadlines.due_at).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the designer is reminded of it; cleared once reminded or delivered.
    due_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    late_cancel_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undelivered_limit_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    escrow_limit_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    auto_complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    revisions_used: Mapped[int] = mapped_column(default=0)
    extra_revisions: Mapped[int] = mapped_column(default=0)  # granted by the designer beyond the listing's
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Sent under a monthly contract: drawn from a month's allowance (contract_month_id, paid by the
    # month, no payment of its own) or an extra case (contract_id only, paid like any case).
    contract_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contracts.id"), index=True)
    contract_month_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contract_months.id"), index=True)

    client: Mapped[User] = relationship(foreign_keys=[client_id])
    designer: Mapped[User] = relationship(foreign_keys=[designer_id])
    events: Mapped[list["CaseEvent"]] = relationship(back_populates="case", order_by="CaseEvent.id")
    deliveries: Mapped[list["Delivery"]] = relationship(back_populates="case", order_by="Delivery.id")
    files: Mapped[list["CaseFile"]] = relationship(back_populates="case", order_by="CaseFile.id")

    __table_args__ = (
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.CheckConstraint("unit_price_cents >= 0", name="unit_price_not_negative"),
        sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
        sa.CheckConstraint("fee_cents >= 0 AND fee_cents <= amount_cents", name="fee_within_amount"),
        sa.CheckConstraint("revisions_used >= 0 AND extra_revisions >= 0", name="revisions_not_negative"),
        sa.CheckConstraint("client_id <> designer_id", name="not_own_case"),
    )

    @property
    def revisions_allowed(self) -> int:
        return self.revisions_included + self.extra_revisions

    @property
    def revisions_left(self) -> int:
        return max(0, self.revisions_allowed - self.revisions_used)

    @property
    def earnings_cents(self) -> int:
        return self.amount_cents - self.fee_cents

    def is_late(self, now: datetime) -> bool:
        """Past its due date with no delivery made yet (a delivery on time stays on time)."""
        return (
            self.state == CaseState.in_progress
            and self.due_at is not None
            and self.last_delivered_at is None
            and now > self.due_at
        )

    @property
    def delivered_late(self) -> bool:
        """The first delivery came after the due date."""
        first = self.deliveries[0].delivered_at if self.deliveries else None
        return first is not None and self.due_at is not None and first > self.due_at

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.state.value}>"


class CaseEvent(db.Model):
    """One step of the case's history (append-only); the timeline and the thread show them."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # None when the platform acted (deadline sweep, suspension).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    from_state: Mapped[str | None] = mapped_column(sa.String(16))
    to_state: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CaseFileRole(enum.Enum):
    attachment = "attachment"  # sent by the client with the order (scans, photos)
    delivery = "delivery"  # part of a designer's delivery


class CaseFile(db.Model):
    """A stored file attached to a case; readable only by the case's two parties."""

    __tablename__ = "case_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"))
    role: Mapped[CaseFileRole] = mapped_column(enum_column(CaseFileRole, "case_file_role"))
    delivery_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deliveries.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="files")
    file = relationship("StoredFile")

    __table_args__ = (sa.UniqueConstraint("case_id", "file_id"),)


class Delivery(db.Model):
    """One delivery by the designer: a note and files. A revision request answers the last one."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()  # 1 for the first delivery, 2 after the first revision …
    note: Mapped[str] = mapped_column(sa.Text, default="")
    revision_request: Mapped[str | None] = mapped_column(sa.Text)  # the client's answer, if any
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="deliveries")
    files: Mapped[list[CaseFile]] = relationship(viewonly=True)

    __table_args__ = (sa.UniqueConstraint("case_id", "number"),)


class ClinicalOutcome(enum.Enum):
    """What happened in the mouth, recorded by the client after the review (designer reviews only)."""

    seated = "seated"  # seated as designed
    adjusted = "adjusted"  # seated after chairside adjustments
    remade = "remade"  # had to be remade


# The dental sub-ratings of a review about a designer, each 1–5 stars and optional.
SUB_RATINGS = ("fit", "margins", "aesthetics", "communication")


class Review(db.Model):
    """A rating (1–5) and a short text by one party about the other, after completion.

    A review about a designer may also rate fit, margins/contacts, aesthetics and
    communication, and later carry the clinical outcome the client records.
    """

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    subject_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # True when the subject is the designer (reviews shown on designer profiles, Pro badge).
    about_designer: Mapped[bool] = mapped_column()
    stars: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text, default="")
    fit_stars: Mapped[int | None] = mapped_column()
    margins_stars: Mapped[int | None] = mapped_column()
    aesthetics_stars: Mapped[int | None] = mapped_column()
    communication_stars: Mapped[int | None] = mapped_column()
    outcome: Mapped[ClinicalOutcome | None] = mapped_column(enum_column(ClinicalOutcome, "clinical_outcome"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    case: Mapped[Case] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("case_id", "author_id"),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        *(
            sa.CheckConstraint(f"{name}_stars IS NULL OR {name}_stars BETWEEN 1 AND 5", name=f"{name}_stars_range")
            for name in SUB_RATINGS
        ),
        sa.CheckConstraint("about_designer OR (outcome IS NULL AND fit_stars IS NULL)", name="dental_about_designer"),
    )
