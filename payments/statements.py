"""Settings > Transactions: every payment a user took part in, as client and as designer.

A transaction is a case whose payment got past the hold stage (held, captured, released,
paid out or refunded). What it means for the user depends on their side of it: the client
sees what was charged and given back; the designer sees the amount, the platform's fee and
what was paid out to them. Every figure comes from payments.case_money (the ledger).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from csv_export import CsvWriter
from extensions import db
from models.accounts import User
from models.cases import Case
from models.ledger import MovementState, Payment, PaymentMovement, PaymentStatus
from models.payments import Invoice
from pagination import PageNumbers
from payments.case_money import CaseMoney, case_money_of

VISIBLE = (
    PaymentStatus.held,
    PaymentStatus.captured,
    PaymentStatus.released,
    PaymentStatus.paid_out,
    PaymentStatus.refunded,
    PaymentStatus.partially_refunded,
)

STATUS_LABELS = {
    PaymentStatus.held: _l("On hold"),
    PaymentStatus.captured: _l("In escrow"),
    PaymentStatus.released: _l("Released, not charged"),
    PaymentStatus.paid_out: _l("Paid to the designer"),
    PaymentStatus.refunded: _l("Refunded"),
    PaymentStatus.partially_refunded: _l("Split by a ruling"),
}


@dataclass
class Transaction:
    case: Case
    payment: Payment
    as_designer: bool
    counterpart: str
    money: CaseMoney
    invoices: list[Invoice] = field(default_factory=list)
    payout_on_its_way: bool = False  # paying out with a movement the gateway may still confirm

    @property
    def amount_cents(self) -> int:
        """The case's price (held, in escrow or settled)."""
        return self.money.price_cents

    @property
    def fee_cents(self) -> int:
        return self.money.fee_cents if self.as_designer else 0

    @property
    def net_cents(self) -> int:
        """Designer: what reaches them (expected until settled). Client: what left their card."""
        return self.money.designer_net_cents if self.as_designer else self.money.charged_cents

    @property
    def refunded_cents(self) -> int:
        return self.money.refunded_cents

    @property
    def status_label(self) -> str:
        if self.money.paying_out:  # completed, its escrow not emptied yet
            if self.payout_on_its_way:
                return str(_l("Being paid to the designer"))
            # Nothing left to ask: the gateway refused the payout again and staff were alerted
            # (payments.reconciliation), as the case page and the designer's home say.
            return str(_l("Not sent: our payments team has been alerted"))
        return str(STATUS_LABELS[self.payment.status])

    @property
    def status_code(self) -> str:
        """The CSV's status, read as the page's label is: a completed case's escrow still paying out is
        `paying_out` (the gateway may still confirm it) or `payout_not_sent` (refused again, staff
        alerted), not the payment's `captured`."""
        if self.money.paying_out:
            return "paying_out" if self.payout_on_its_way else "payout_not_sent"
        return self.payment.status.value

    @property
    def status_badge(self) -> str:
        return "badge-danger" if self.money.paying_out and not self.payout_on_its_way else ""

    @property
    def date(self) -> datetime:
        return self.case.created_at


@dataclass(frozen=True)
class Totals:
    spent_cents: int  # charged to the user as client, net of refunds
    in_escrow_cents: int  # captured and not yet settled, on either side
    earned_cents: int  # paid out to the user as designer
    fees_cents: int  # the platform's commission on the user's sales


def _query(user: User):
    return (
        sa.select(Case, Payment)
        .join(Payment, Payment.case_id == Case.id)
        .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id), Payment.status.in_(VISIBLE))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )


def transactions_of(user: User, *, page: int | None = None, per_page: int = 20):
    """(transactions, pages) newest first; `page` None → all of them and pages None (CSV export)."""
    query = _query(user)
    pages = None
    if page is not None:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
        pages = _Pages(page=page, per_page=per_page, total=total)
        query = query.limit(per_page).offset((pages.page - 1) * per_page)
    rows = db.session.execute(query).all()
    invoices: dict[int, list[Invoice]] = {}
    if rows:
        for invoice in db.session.scalars(
            sa.select(Invoice)
            .where(
                Invoice.case_id.in_([case.id for case, _payment in rows]),
                sa.or_(Invoice.issuer_user_id == user.id, Invoice.recipient_user_id == user.id),
            )
            .order_by(Invoice.id)
        ):
            invoices.setdefault(invoice.case_id, []).append(invoice)
    moneys = case_money_of(case for case, _payment in rows)
    paying_out = [case_id for case_id, money in moneys.items() if money.paying_out]
    on_its_way = (
        set(
            db.session.scalars(
                sa.select(PaymentMovement.case_id)
                .where(PaymentMovement.case_id.in_(paying_out), PaymentMovement.state == MovementState.pending)
                .distinct()
            )
        )
        if paying_out
        else set()
    )
    found = [
        Transaction(
            case=case,
            payment=payment,
            as_designer=case.designer_id == user.id,
            counterpart=(case.client if case.designer_id == user.id else case.designer).display_name,
            money=moneys[case.id],
            invoices=invoices.get(case.id, []),
            payout_on_its_way=case.id in on_its_way,
        )
        for case, payment in rows
    ]
    return found, pages


def totals_of(user: User) -> Totals:
    """The sums of the user's cases' money: charged, in escrow, paid out and fees that moved."""
    cases = list(
        db.session.scalars(sa.select(Case).where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id)))
    )
    moneys = case_money_of(cases)
    spent = in_escrow = earned = fees = 0
    for case in cases:
        money = moneys[case.id]
        in_escrow += money.in_escrow_cents
        if case.client_id == user.id:
            spent += money.charged_cents
        elif money.settled:
            earned, fees = earned + money.paid_out_cents, fees + money.fee_cents
    return Totals(spent_cents=spent, in_escrow_cents=in_escrow, earned_cents=earned, fees_cents=fees)


def transactions_csv(user: User) -> str:
    """Every transaction of the user as CSV (amounts in decimal units, one row per case)."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(
        [
            "date",
            "case",
            "your_case_id",
            "role",
            "counterpart",
            "service",
            "currency",
            "amount",
            "fee",
            "net",
            "refunded",
            "status",
            "invoices",
        ]
    )
    transactions, _pages = transactions_of(user)
    for t in transactions:
        writer.writerow(
            [
                t.date.date().isoformat(),
                t.case.reference,
                t.case.client_case_id or "",
                "designer" if t.as_designer else "client",
                t.counterpart,
                t.case.listing_title,
                t.money.currency.upper(),
                _decimal(t.amount_cents),
                _decimal(t.fee_cents),
                _decimal(t.net_cents),
                _decimal(t.refunded_cents),
                t.status_code,
                " ".join(i.display_number for i in t.invoices),
            ]
        )
    return out.getvalue()


def _decimal(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}" if cents >= 0 else "-" + _decimal(-cents)


@dataclass
class _Pages(PageNumbers):
    """The little the pagination macro needs."""

    page: int
    per_page: int
    total: int

    def __post_init__(self) -> None:
        self.page = max(1, min(self.page, self.pages))
