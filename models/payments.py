"""Payouts and paperwork: designers' connected accounts, received webhooks, invoices.

The money itself (journals, entries, payments) lives in models/ledger.py.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.ledger import POSTGRESQL_APPEND_ONLY_FUNCTION
from models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:  # models.cases imports this module's neighbours; the relationship is by name
    from models.cases import Case
    from models.contracts import ContractMonth


class PayoutProvider(enum.Enum):
    stripe = "stripe"  # a Stripe Connect Express account (acct_…)
    sandbox = "sandbox"  # the offline gateway's stand-in account (acct_sandbox_<user id>)


class BusinessType(enum.Enum):
    individual = "individual"  # a freelance designer paid in their own name
    company = "company"  # a design studio or lab paid as a company


class IbanProvider(enum.Enum):
    wise = "wise"  # a Wise euro account: the IBAN's country is where it is registered
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
    service = "service"  # the designer invoices the client for the design work
    commission = "commission"  # the platform invoices the designer for its fee


class BillingDetails(db.Model):
    """Who a user is on an invoice: asked before the first order or payout, editable in Settings.

    Invoices copy these at issue time, so a later change never alters an issued invoice.
    `vat_number` is kept only once it passed the country's format and checksum (with its
    country prefix, e.g. FR40303265045); having one makes the user VAT-registered.
    """

    __tablename__ = "billing_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    legal_name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300))  # street lines, newline separated
    postal_code: Mapped[str] = mapped_column(sa.String(20))
    city: Mapped[str] = mapped_column(sa.String(100))
    country: Mapped[str] = mapped_column(sa.String(2))
    vat_number: Mapped[str | None] = mapped_column(sa.String(20))
    # Another tax identifier printed as given (PAN, SIRET, national ID …): no VAT follows from it.
    tax_id: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Invoice(db.Model):
    """An issued invoice or credit note: numbered per issuer without gaps, parties copied at issue.

    Never edited once issued: a refund is a credit note (`corrects_id` set, same kind as the
    invoice it corrects, amounts positive and meaning "taken back"). The PDF kept here is the
    original in English; downloads are drawn again from these frozen fields in the reader's language.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        sa.UniqueConstraint("issuer_key", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("subtotal_cents >= 0", name="subtotal_not_negative"),
        sa.CheckConstraint("total_cents >= 0", name="total_not_negative"),
        sa.CheckConstraint("vat_cents >= 0 AND vat_cents <= total_cents", name="vat_within_total"),
        sa.CheckConstraint("subtotal_cents + vat_cents = total_cents", name="totals_add_up"),
        # Issued for one case or for one month of a monthly contract, never both or neither.
        sa.CheckConstraint(
            "(case_id IS NULL AND contract_month_id IS NOT NULL) OR (case_id IS NOT NULL AND contract_month_id IS NULL)",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind, "invoice_kind"))
    # "designer:<user id>" or "platform": the numbering sequence the invoice belongs to.
    issuer_key: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[int] = mapped_column()
    display_number: Mapped[str] = mapped_column(sa.String(40))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    contract_month_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contract_months.id", ondelete="RESTRICT"), index=True
    )
    issuer_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    issuer: Mapped[dict] = mapped_column(sa.JSON)  # name, country, tax_id as printed
    recipient: Mapped[dict] = mapped_column(sa.JSON)  # name, country, tax_id, case reference
    lines: Mapped[list] = mapped_column(sa.JSON)  # [{description, quantity, unit_cents, amount_cents}]
    subtotal_cents: Mapped[int] = mapped_column()
    total_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3))
    # What the document is issued for, unique: "case-<id>-<kind>" or "contract-month-<id>-<kind>" for
    # an invoice, "journal-<id>" for the credit note of the refund that ledger journal recorded.
    source_key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoices.id", ondelete="RESTRICT"), index=True)
    vat_rule: Mapped[str] = mapped_column(sa.String(20), default="none")  # payments.vat.RULES
    vat_rate_bp: Mapped[int] = mapped_column(default=0)  # basis points: 2000 = 20 %
    vat_cents: Mapped[int] = mapped_column(default=0)  # included in total_cents
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped["Case | None"] = relationship("Case")
    contract_month: Mapped["ContractMonth | None"] = relationship("ContractMonth")
    corrects: Mapped["Invoice | None"] = relationship("Invoice", remote_side=[id])

    @property
    def is_credit_note(self) -> bool:
        return self.corrects_id is not None


# An issued invoice is immutable in the database itself: an UPDATE of what it says, or a DELETE, is
# refused whatever the application does. Only the two user columns may change, when an account is
# deleted (ON DELETE SET NULL). The migrations 20261207_billing and 20261208_month_invoices install the
# same statements.
INVOICE_FROZEN_COLUMNS = (
    "kind",
    "issuer_key",
    "number",
    "display_number",
    "case_id",
    "contract_month_id",
    "issuer",
    "recipient",
    "lines",
    "subtotal_cents",
    "vat_cents",
    "total_cents",
    "vat_rule",
    "vat_rate_bp",
    "currency",
    "source_key",
    "corrects_id",
    "pdf",
    "created_at",
)


def invoice_guard_statements(dialect: str) -> list[str]:
    """The statements that make issued invoices refuse changes and deletion on this database."""
    columns = ", ".join(INVOICE_FROZEN_COLUMNS)
    if dialect == "postgresql":
        return [
            POSTGRESQL_APPEND_ONLY_FUNCTION,
            f"CREATE TRIGGER invoices_append_only BEFORE UPDATE OF {columns} OR DELETE ON invoices "
            "FOR EACH ROW EXECUTE FUNCTION money_records_append_only()",
        ]
    return [
        f"CREATE TRIGGER invoices_append_only_update BEFORE UPDATE OF {columns} ON invoices "
        "BEGIN SELECT RAISE(ABORT, 'invoices is append-only'); END",
        "CREATE TRIGGER invoices_append_only_delete BEFORE DELETE ON invoices "
        "BEGIN SELECT RAISE(ABORT, 'invoices is append-only'); END",
    ]


for _dialect in ("postgresql", "sqlite"):
    for _statement in invoice_guard_statements(_dialect):
        sa.event.listen(Invoice.__table__, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect))


class InvoiceCounter(db.Model):
    """The last number an issuer used; its row is locked while the next number is taken."""

    __tablename__ = "invoice_counters"

    issuer_key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
