"""Payouts and paperwork: designers' connected accounts, received webhooks, invoices.

The money itself (journals, entries, payments) lives in models/ledger.py.
"""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


class PayoutProvider(enum.Enum):
    stripe = "stripe"    # a Stripe Connect Express account (acct_…)
    sandbox = "sandbox"  # the offline gateway's stand-in account (acct_sandbox_<user id>)


class BusinessType(enum.Enum):
    individual = "individual"  # a freelance designer paid in their own name
    company = "company"        # a design studio or lab paid as a company


class IbanProvider(enum.Enum):
    wise = "wise"          # a Wise euro account: the IBAN's country is where it is registered
    payoneer = "payoneer"  # a Payoneer euro receiving account, same rule


class ConnectedAccount(db.Model):
    """Where a designer's earnings go: one per designer, created at onboarding.

    `country` is the country the payout account is registered in. For a designer living
    outside Stripe's supported countries it is the country of their Wise/Payoneer euro IBAN
    (its first two letters), and `residence_country` keeps where they actually live.
    """

    __tablename__ = "connected_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    provider: Mapped[PayoutProvider] = mapped_column(enum_column(PayoutProvider, "payout_provider"))
    account_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    business_type: Mapped[BusinessType] = mapped_column(enum_column(BusinessType, "business_type"))
    country: Mapped[str] = mapped_column(sa.String(2))
    residence_country: Mapped[str | None] = mapped_column(sa.String(2))
    iban_provider: Mapped[IbanProvider | None] = mapped_column(enum_column(IbanProvider, "iban_provider"))
    iban_last4: Mapped[str | None] = mapped_column(sa.String(4))
    details_submitted: Mapped[bool] = mapped_column(default=False)
    payouts_ready: Mapped[bool] = mapped_column(default=False)
    # What Stripe still asks for (requirements.currently_due), shown on Settings > Payments.
    requirements_due: Mapped[list] = mapped_column(sa.JSON, default=list)
    # `created` of the newest account snapshot applied: an older event arriving late is ignored.
    synced_at: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    @property
    def uses_iban_route(self) -> bool:
        return self.iban_provider is not None


class WebhookEvent(db.Model):
    """A Stripe event as received: stored once by its id, processed once."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    type: Mapped[str] = mapped_column(sa.String(100), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last processing failure, kept for staff; the event is retried when Stripe resends it.
    error: Mapped[str | None] = mapped_column(sa.Text)


class InvoiceKind(enum.Enum):
    service = "service"        # the designer invoices the client for the design work
    commission = "commission"  # the platform invoices the designer for its fee


class Invoice(db.Model):
    """An issued invoice: numbered per issuer without gaps, its parties copied at issue time.

    Invoices are never edited once issued; the PDF kept here is the one both parties download.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        sa.UniqueConstraint("issuer_key", "number"),
        sa.UniqueConstraint("case_id", "kind"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("subtotal_cents >= 0", name="subtotal_not_negative"),
        sa.CheckConstraint("total_cents >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind, "invoice_kind"))
    # "designer:<user id>" or "platform": the numbering sequence the invoice belongs to.
    issuer_key: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[int] = mapped_column()
    display_number: Mapped[str] = mapped_column(sa.String(40))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    issuer_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"),
                                                          index=True)
    issuer: Mapped[dict] = mapped_column(sa.JSON)      # name, country, tax_id as printed
    recipient: Mapped[dict] = mapped_column(sa.JSON)   # name, country, tax_id, case reference
    lines: Mapped[list] = mapped_column(sa.JSON)       # [{description, quantity, unit_cents, amount_cents}]
    subtotal_cents: Mapped[int] = mapped_column()
    total_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InvoiceCounter(db.Model):
    """The last number an issuer used; its row is locked while the next number is taken."""

    __tablename__ = "invoice_counters"

    issuer_key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
