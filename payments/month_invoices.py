"""Invoices of monthly contracts: one per paid-out month, like a closed case's.

When a month is paid out (contracts.months.close_month) the job issues the designer's invoice to
the client for the month's price, the platform's commission invoice to the designer for the fee
the payout kept, and a credit note for each refund the month made before (a ruling on one of its
cases, the designer's cancellation). Same numbering, parties, VAT and immutability as case
invoices (payments.invoices); the PDF names the contract and the month's period.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import NotFound
from extensions import commit, db
from jobs.runtime import job
from models.accounts import User
from models.contracts import ContractMonth, MonthState
from models.ledger import Entry, Journal
from models.payments import Invoice, InvoiceKind
from payments.billing import party_of, platform_party
from payments.invoices import PLATFORM_ISSUER, issue_document
from payments.ledger import client_account
from payments.vat import VatDecision, decide


@job
def render_month_invoices(month_id: int) -> list[int]:
    """Job, enqueued when a contract month is paid out; idempotent. Returns the documents' ids."""
    invoices = issue_month_invoices(month_id)
    commit()
    return [invoice.id for invoice in invoices]


def issue_month_invoices(month_id: int) -> list[Invoice]:
    """Issue what is missing of a paid-out month's invoice, commission invoice and credit notes.

    Returns every document of the month, invoices first. Flushes; the caller commits."""
    month = db.session.get(ContractMonth, month_id, with_for_update=True)  # one issuer run per month at a time
    if month is None:
        raise NotFound(_l("This contract does not exist."))
    if month.state != MonthState.paid_out or not month.captured_cents:
        return []
    contract = month.contract
    issued = {
        inv.source_key: inv
        for inv in db.session.scalars(sa.select(Invoice).where(Invoice.contract_month_id == month.id))
    }
    designer = party_of(contract.designer)
    service_key, commission_key = f"contract-month-{month.id}-service", f"contract-month-{month.id}-commission"
    period = {
        "reference": contract.reference,
        "number": month.number,
        "starts": month.starts_at.date().isoformat(),
        "ends": month.ends_at.date().isoformat(),
    }
    if service_key not in issued:
        client = party_of(contract.client)
        issued[service_key] = issue_document(
            month,
            InvoiceKind.service,
            service_key,
            issuer_key=f"designer:{contract.designer_id}",
            issuer_user=contract.designer,
            recipient_user=contract.client,
            issuer=designer,
            recipient=client,
            vat=decide(designer, client),
            gross_cents=month.captured_cents,
            line={
                "key": "contract_month",
                "params": {**period, "title": contract.title, "allowance": month.allowance},
                "quantity": 1,
                "description": (
                    f"{contract.title}: monthly contract {contract.reference}, month {month.number} "
                    f"({period['starts']} – {period['ends']}), up to {month.allowance} cases"
                ),
            },
        )
    if commission_key not in issued and month.fee_cents > 0:
        platform = platform_party(current_app.config)
        issued[commission_key] = issue_document(
            month,
            InvoiceKind.commission,
            commission_key,
            issuer_key=PLATFORM_ISSUER,
            issuer_user=None,
            recipient_user=contract.designer,
            issuer=platform,
            recipient=designer,
            vat=decide(platform, designer),
            gross_cents=month.fee_cents,
            line={
                "key": "month_commission",
                "params": period,
                "quantity": 1,
                "description": f"Platform commission on month {month.number} of contract {contract.reference}",
            },
        )
    service = issued[service_key]
    for journal_id, cents, reason in month_refunds(month):
        key = f"journal-{journal_id}"
        if key not in issued:
            issued[key] = issue_document(
                month,
                InvoiceKind.service,
                key,
                issuer_key=service.issuer_key,
                issuer_user=contract.designer,
                recipient_user=contract.client,
                issuer=service.issuer,
                recipient=service.recipient,
                vat=VatDecision(service.vat_rule, service.vat_rate_bp),
                gross_cents=cents,
                corrects=service,
                line={
                    "key": "refund",
                    "params": {"number": service.display_number, "reason": reason},
                    "quantity": 1,
                    "description": f"Refund on invoice {service.display_number} ({reason})",
                },
            )
    return sorted(issued.values(), key=lambda inv: (inv.is_credit_note, inv.id))


def month_refunds(month: ContractMonth) -> list[tuple[int, int, str]]:
    """(journal id, cents, reason) of each journal that gave part of the month back to the client,
    oldest first: "resolution" for a ruling on one of its cases, "contract_cancelled" otherwise."""
    query = (
        sa.select(Journal.id, Journal.idempotency_key, sa.func.sum(Entry.amount_cents))
        .join(Entry, Entry.journal_id == Journal.id)
        .where(
            Journal.contract_month_id == month.id,
            Entry.account == client_account(month.contract.client_id),
            Entry.amount_cents > 0,
        )
        .group_by(Journal.id, Journal.idempotency_key)
        .order_by(Journal.id)
    )
    return [
        (journal_id, int(cents), "resolution" if "-refund-case-" in (key or "") else "contract_cancelled")
        for journal_id, key, cents in db.session.execute(query).all()
    ]


def invoices_of_months(month_ids: list[int], *, viewer: User) -> dict[int, list[Invoice]]:
    """The documents of these contract months the viewer is a party to, by month id."""
    found: dict[int, list[Invoice]] = {}
    if not month_ids:
        return found
    for invoice in db.session.scalars(
        sa.select(Invoice)
        .where(
            Invoice.contract_month_id.in_(month_ids),
            sa.or_(Invoice.issuer_user_id == viewer.id, Invoice.recipient_user_id == viewer.id),
        )
        .order_by(Invoice.id)
    ):
        found.setdefault(invoice.contract_month_id, []).append(invoice)
    return found


def months_invoiced_to(user: User) -> list[tuple[ContractMonth, list[Invoice]]]:
    """Each contract month with documents the user issued or received, newest first, with them
    (Settings > Transactions)."""
    by_month: dict[int, list[Invoice]] = {}
    for invoice in db.session.scalars(
        sa.select(Invoice)
        .where(
            Invoice.contract_month_id.is_not(None),
            sa.or_(Invoice.issuer_user_id == user.id, Invoice.recipient_user_id == user.id),
        )
        .order_by(Invoice.id)
    ):
        by_month.setdefault(invoice.contract_month_id, []).append(invoice)
    if not by_month:
        return []
    found = db.session.scalars(
        sa.select(ContractMonth)
        .where(ContractMonth.id.in_(by_month))
        .options(selectinload(ContractMonth.contract))
        .order_by(ContractMonth.starts_at.desc(), ContractMonth.id.desc())
    )
    return [(month, by_month[month.id]) for month in found]
