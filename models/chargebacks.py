"""Card disputes (chargebacks): a cardholder disputed a case's charge with their bank, through Stripe.

One row per Stripe dispute (dp_…), kept as the platform's record for the resolution centre:
its status, reason, amount and evidence deadline as Stripe last said them, the case it hits,
and the platform dispute it froze (when the case's money was still in escrow). The money
itself is in the ledger, one journal per Stripe balance transaction of the dispute.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.cases import Case
from models.disputes import Dispute
from models.types import UTCDateTime, utcnow

# Stripe's dispute statuses that end it: nothing changes after them.
CLOSED_STATUSES = ("won", "lost", "warning_closed")


class Chargeback(db.Model):
    __tablename__ = "chargebacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_dispute_id: Mapped[str] = mapped_column(sa.String(120), unique=True)
    charge_reference: Mapped[str] = mapped_column(sa.String(120), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    # The platform dispute that froze the case (None when the designer was already paid).
    dispute_id: Mapped[int | None] = mapped_column(sa.ForeignKey("disputes.id", ondelete="SET NULL"))
    # Stripe's words, kept as sent (Stripe adds values; the page falls back to them).
    status: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.String(40))
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    evidence_due_by: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Where the disputed funds came out of the ledger: "escrow" (the case's money, frozen) or
    # "platform:chargebacks" (the designer was already paid: the platform bears the loss).
    funds_account: Mapped[str] = mapped_column(sa.String(40))
    # `created` of the newest Stripe event applied: an older snapshot never undoes a newer one.
    synced_at: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship()
    dispute: Mapped[Dispute | None] = relationship()

    __table_args__ = (sa.CheckConstraint("amount_cents > 0", name="amount_positive"),)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def platform_bears_loss(self) -> bool:
        return self.funds_account != "escrow"
