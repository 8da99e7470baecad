"""Invoices and credit notes, issued automatically when a paid case closes.

Two invoices per case: the designer's invoice to the client for the design work, and the
platform's commission invoice to the designer. Each refund the ledger recorded (a
cancellation, a ruling or settlement, funds a card dispute returned) gets its own credit note
from the designer to the client, correcting the service invoice: an issued invoice is never
changed. Parties are copied from their billing details at issue (payments.billing), VAT is
decided by payments.vat and included in the amounts the ledger moved.

Each issuer numbers its invoices and credit notes 1, 2, 3 … in one sequence without gaps: the
next number is taken from the issuer's counter row under a row lock, in the same transaction
that stores the document, so a failed issue gives its number back and two issues at the same
moment never share or skip one.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from audit.trail import record_action
from errors import NotFound
from extensions import commit, db
from jobs.runtime import job
from models.accounts import User
from models.cases import Case, CaseState
from models.contracts import ContractMonth
from models.ledger import Journal, JournalKind
from models.payments import Invoice, InvoiceCounter, InvoiceKind
from models.types import utcnow
from payments.billing import party_of, platform_party
from payments.case_money import case_money
from payments.invoice_pdf import render_invoice_pdf
from payments.ledger import client_refunds
from payments.vat import VatDecision, decide
from teams.operations import same_organisation

log = logging.getLogger(__name__)

PLATFORM_ISSUER = "platform"
# Closed states whose captured money is invoiced (a cancellation after capture: invoice + credit note).
INVOICED_STATES = (CaseState.completed, CaseState.resolved, CaseState.cancelled)


@job
def render_case_invoices(case_id: int) -> list[int]:
    """Job, enqueued when a paid case closes: issue what is missing; returns the documents' ids.

    Idempotent: a second run finds them issued and creates nothing.
    """
    invoices = issue_case_invoices(case_id)
    commit()
    return [invoice.id for invoice in invoices]


def issue_case_invoices(case_id: int) -> list[Invoice]:
    """Issue the service invoice (what the client paid), the commission invoice (the fee the
    ledger took) and one credit note per refund of a closed, settled case; those not issued yet.

    Returns every document of the case, invoices first. Flushes; the caller commits.
    """
    case = db.session.get(Case, case_id, with_for_update=True)  # one issuer run per case at a time
    if case is None:
        raise NotFound(_l("This case does not exist."))
    money = case_money(case)
    if case.state not in INVOICED_STATES or not money.settled:
        return []
    issued = {inv.source_key: inv for inv in db.session.scalars(sa.select(Invoice).where(Invoice.case_id == case.id))}
    designer, client = party_of(case.designer), party_of(case.client)
    client = {**client, "client_case_id": case.client_case_id or ""}
    service_key, commission_key = f"case-{case.id}-service", f"case-{case.id}-commission"
    if service_key not in issued:
        issued[service_key] = issue_document(
            case,
            InvoiceKind.service,
            service_key,
            issuer_key=f"designer:{case.designer_id}",
            issuer_user=case.designer,
            recipient_user=case.client,
            issuer=designer,
            recipient=client,
            vat=decide(designer, client),
            gross_cents=money.captured_cents,
            line=_design_line(case),
        )
    if commission_key not in issued and money.fee_cents > 0:
        issued[commission_key] = issue_document(
            case,
            InvoiceKind.commission,
            commission_key,
            issuer_key=PLATFORM_ISSUER,
            issuer_user=None,
            recipient_user=case.designer,
            issuer=platform_party(current_app.config),
            recipient=designer,
            vat=decide(platform_party(current_app.config), designer),
            gross_cents=money.fee_cents,
            line={
                "key": "commission",
                "params": {"reference": case.reference},
                "quantity": 1,
                "description": f"Platform commission on case {case.reference}",
            },
        )
    service = issued[service_key]
    for journal_id, cents in client_refunds(case):
        key = f"journal-{journal_id}"
        if key not in issued:
            issued[key] = _credit_note(case, service, key, db.session.get(Journal, journal_id).kind, cents)
    return sorted(issued.values(), key=lambda inv: (inv.is_credit_note, inv.id))


def _design_line(case: Case) -> dict:
    return {
        "key": "design",
        "params": {"title": case.listing_title, "quantity": case.quantity, "unit": case.unit.value},
        "quantity": case.quantity,
        "description": f"{case.listing_title} ({case.quantity} × {case.unit.value})",
    }


def _credit_note(case: Case, invoice: Invoice, source_key: str, journal_kind: JournalKind, cents: int) -> Invoice:
    """The credit note of one refund: same parties, rule and rate as the invoice it corrects."""
    # Why, as the credit note prints it: funds a card dispute returned, a cancellation, or a ruling or
    # settlement of the resolution centre (both end the case resolved).
    if journal_kind == JournalKind.chargeback:
        reason = "card_dispute"
    else:
        reason = "cancelled" if case.state == CaseState.cancelled else "resolution"
    return issue_document(
        case,
        invoice.kind,
        source_key,
        issuer_key=invoice.issuer_key,
        issuer_user=case.designer,
        recipient_user=case.client,
        issuer=invoice.issuer,
        recipient=invoice.recipient,
        vat=VatDecision(invoice.vat_rule, invoice.vat_rate_bp),
        gross_cents=cents,
        corrects=invoice,
        line={
            "key": "refund",
            "params": {"number": invoice.display_number, "reason": reason},
            "quantity": 1,
            "description": f"Refund on invoice {invoice.display_number} ({reason})",
        },
    )


def issue_document(
    subject: Case | ContractMonth,
    kind: InvoiceKind,
    source_key: str,
    *,
    issuer_key: str,
    issuer_user: User | None,
    recipient_user: User | None,
    issuer: dict,
    recipient: dict,
    vat: VatDecision,
    gross_cents: int,
    line: dict,
    corrects: Invoice | None = None,
) -> Invoice:
    """Issue one invoice or credit note for a case or a contract month, numbered in its issuer's
    sequence; the English PDF is kept as issued. Flushes; the caller commits."""
    case = subject if isinstance(subject, Case) else None
    month = subject if isinstance(subject, ContractMonth) else None
    designer_id = case.designer_id if case else month.contract.designer_id
    number = _next_number(issuer_key)
    display = f"OCC-{number:06d}" if issuer_key == PLATFORM_ISSUER else f"D{designer_id}-{number:05d}"
    net, vat_cents = vat.split(gross_cents)
    quantity = line["quantity"]
    line = {**line, "unit_cents": (net * 2 + quantity) // (2 * quantity), "amount_cents": net}
    invoice = Invoice(
        kind=kind,
        issuer_key=issuer_key,
        number=number,
        display_number=display,
        case_id=case.id if case else None,
        contract_month_id=month.id if month else None,
        issuer_user_id=issuer_user.id if issuer_user else None,
        recipient_user_id=recipient_user.id if recipient_user else None,
        issuer=issuer,
        recipient=recipient,
        lines=[line],
        subtotal_cents=net,
        vat_cents=vat_cents,
        total_cents=gross_cents,
        vat_rule=vat.rule,
        vat_rate_bp=vat.rate_bp,
        currency=subject.currency,
        source_key=source_key,
        corrects_id=corrects.id if corrects else None,
        created_at=utcnow(),
    )
    invoice.case, invoice.contract_month, invoice.corrects = case, month, corrects
    invoice.pdf = render_invoice_pdf(invoice, locale="en")  # the original, kept as issued
    db.session.add(invoice)
    db.session.flush()
    record_action(
        "invoice.issued",
        invoice,
        actor=None,
        after={
            "number": display,
            **({"case": case.reference} if case else {"contract_month": month_label(month)}),
            "total_cents": gross_cents,
            "vat_cents": vat_cents,
            "vat_rule": vat.rule,
            **({"corrects": corrects.display_number} if corrects else {}),
        },
    )
    log.info(
        "%s %s issued for %s",
        "credit note" if corrects else "invoice",
        display,
        case.reference if case else month_label(month),
    )
    return invoice


def month_label(month: ContractMonth) -> str:
    """How a contract month is named on its invoices and in the audit: "K-1A2B3C4D month 2"."""
    return f"{month.contract.reference} month {month.number}"


def _next_number(issuer_key: str) -> int:
    """Take the issuer's next number: one UPDATE … RETURNING on its counter row (created on first
    use), which holds the row's lock until the commit, so a racing issue waits for it."""
    take = (
        sa.update(InvoiceCounter)
        .where(InvoiceCounter.issuer_key == issuer_key)
        .values(last_number=InvoiceCounter.last_number + 1)
        .returning(InvoiceCounter.last_number)
    )
    number = db.session.execute(take).scalar_one_or_none()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.add(InvoiceCounter(issuer_key=issuer_key, last_number=0))
        except IntegrityError:
            pass  # another transaction created it first: take the number from theirs
        number = db.session.execute(take).scalar_one()
    return number


def invoice_for(invoice_id: int, *, viewer: User) -> Invoice:
    """An invoice or credit note the viewer is a party to (issuing designer or recipient).
    Raises NotFound otherwise."""
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or not (
        viewer.id in (invoice.issuer_user_id, invoice.recipient_user_id) or _teammate_reads(viewer, invoice)
    ):
        raise NotFound(_l("This invoice does not exist."))
    return invoice


def _teammate_reads(viewer: User, invoice: Invoice) -> bool:
    """The client's teammates read the invoices the client received for a case (as they read the case:
    cases.permissions.is_client_teammate, which sits above payments)."""
    case = db.session.get(Case, invoice.case_id) if invoice.case_id else None
    return (
        case is not None
        and invoice.recipient_user_id == case.client_id
        and viewer.is_active
        and same_organisation(viewer.id, case.client_id)
    )


def invoices_of_case(case_id: int, *, viewer: User) -> list[Invoice]:
    """The invoices of a case that the viewer may download (for the case page and My cases)."""
    return [
        invoice
        for invoice in db.session.scalars(sa.select(Invoice).where(Invoice.case_id == case_id).order_by(Invoice.id))
        if viewer.id in (invoice.issuer_user_id, invoice.recipient_user_id) or _teammate_reads(viewer, invoice)
    ]
