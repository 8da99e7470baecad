"""Invoices, issued automatically for every completed transaction.

Two per case: the designer's invoice to the client for the design work (in the designer's
real name, with their country and tax ID), and the platform's commission invoice to the
designer. Each issuer numbers its invoices 1, 2, 3 … without gaps: the next number is
taken from the issuer's counter row under a row lock, in the same transaction that stores
the invoice, so a failed issue gives its number back and two completions at the same
moment never share or skip one.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from errors import NotFound
from extensions import commit, db
from jobs.runtime import job
from models.accounts import User
from models.cases import Case, CaseState
from models.payments import Invoice, InvoiceCounter, InvoiceKind
from models.profiles import DesignerProfile
from moderation.audit import record_action
from payments.case_money import case_money
from payments.invoice_pdf import render_invoice_pdf

log = logging.getLogger(__name__)

PLATFORM_ISSUER = "platform"
PLATFORM_PARTY = {"name": "Occlusa", "country_name": "", "tax_id": ""}


@job
def render_case_invoices(case_id: int) -> list[int]:
    """Job, enqueued on completion or ruling: issue the case's invoices; returns their ids.

    Idempotent: a second run finds the invoices issued and creates nothing.
    """
    invoices = issue_case_invoices(case_id)
    commit()
    return [invoice.id for invoice in invoices]


def issue_case_invoices(case_id: int) -> list[Invoice]:
    """Issue the service and commission invoices of a closed, paid case (those not issued yet).

    A case that is not completed or resolved gets none; amounts are what the ledger
    moved (payments.case_money). Flushes; the caller commits.
    """
    case = db.session.get(Case, case_id, with_for_update=True)  # one issuer run per case at a time
    if case is None:
        raise NotFound(_l("This case does not exist."))
    if case.state not in (CaseState.completed, CaseState.resolved):
        return []
    charged_cents, fee_cents = _amounts(case)
    issued = {inv.kind: inv for inv in db.session.scalars(sa.select(Invoice).where(Invoice.case_id == case.id))}
    designer_party = _designer_party(case.designer)
    if InvoiceKind.service not in issued and charged_cents > 0:
        issued[InvoiceKind.service] = _issue(
            case, InvoiceKind.service, issuer_key=f"designer:{case.designer_id}", issuer_user=case.designer,
            recipient_user=case.client, issuer=designer_party,
            recipient={"name": case.client.display_name, "email": case.client.email,
                       "client_case_id": case.client_case_id or ""},
            lines=_service_lines(case, charged_cents))
    if InvoiceKind.commission not in issued and fee_cents > 0:
        issued[InvoiceKind.commission] = _issue(
            case, InvoiceKind.commission, issuer_key=PLATFORM_ISSUER, issuer_user=None,
            recipient_user=case.designer, issuer=PLATFORM_PARTY, recipient=designer_party,
            lines=[{"description": f"Platform commission (9 %, minimum $3.49) on case {case.reference}",
                    "quantity": 1, "unit_cents": fee_cents, "amount_cents": fee_cents}])
    return [issued[kind] for kind in (InvoiceKind.service, InvoiceKind.commission) if kind in issued]


def _amounts(case: Case) -> tuple[int, int]:
    """(what the client was finally charged, the platform's fee) as the ledger moved them;
    (0, 0) for a full refund: no sale took place."""
    money = case_money(case)
    if not money.settled:
        return 0, 0
    return money.charged_cents, money.fee_cents


def _service_lines(case: Case, charged_cents: int) -> list[dict]:
    unit = "tooth" if case.unit.value == "tooth" else "arch"
    if charged_cents == case.amount_cents:
        return [{"description": f"{case.listing_title} ({case.quantity} × {unit})", "quantity": case.quantity,
                 "unit_cents": case.unit_price_cents, "amount_cents": case.amount_cents}]
    return [{"description": f"{case.listing_title}, as settled by the resolution centre", "quantity": 1,
             "unit_cents": charged_cents, "amount_cents": charged_cents}]


def _designer_party(designer: User) -> dict:
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == designer.id))
    country = (profile.country if profile else "") or ""
    return {"name": (profile.real_name if profile and profile.real_name else designer.display_name),
            "country": country, "country_name": Locale("en").territories.get(country, country),
            "tax_id": (profile.tax_id if profile else "") or ""}


def _issue(case: Case, kind: InvoiceKind, *, issuer_key: str, issuer_user: User | None,
           recipient_user: User | None, issuer: dict, recipient: dict, lines: list[dict]) -> Invoice:
    number = _next_number(issuer_key)
    display = f"OCC-{number:06d}" if issuer_key == PLATFORM_ISSUER else f"D{case.designer_id}-{number:05d}"
    total = sum(line["amount_cents"] for line in lines)
    invoice = Invoice(kind=kind, issuer_key=issuer_key, number=number, display_number=display, case_id=case.id,
                      issuer_user_id=issuer_user.id if issuer_user else None,
                      recipient_user_id=recipient_user.id if recipient_user else None,
                      issuer=issuer, recipient=recipient, lines=lines, subtotal_cents=total, total_cents=total,
                      currency=case.currency)
    issued_on = (case.closed_at or case.created_at).date().isoformat()
    invoice.pdf = render_invoice_pdf(
        title="Invoice" if kind == InvoiceKind.service else "Commission invoice", display_number=display,
        issued_on=issued_on, case_reference=case.reference, issuer=issuer, recipient=recipient, lines=lines,
        total_cents=total, currency=case.currency,
        note=("Design services sold through Occlusa; paid by the client into escrow and released on completion."
              if kind == InvoiceKind.service else
              "Commission of the Occlusa marketplace, deducted from the designer's earnings on this case."))
    db.session.add(invoice)
    db.session.flush()
    record_action("invoice.issued", invoice, actor=None, after={"number": display, "case": case.reference,
                                                                "total_cents": total})
    log.info("invoice %s issued for case %s", display, case.reference)
    return invoice


def _next_number(issuer_key: str) -> int:
    """Take the issuer's next number: one UPDATE … RETURNING on its counter row (created on first
    use), which holds the row's lock until the commit, so a racing issue waits for it."""
    take = (sa.update(InvoiceCounter).where(InvoiceCounter.issuer_key == issuer_key)
            .values(last_number=InvoiceCounter.last_number + 1).returning(InvoiceCounter.last_number))
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
    """An invoice the viewer is a party to (issuing designer or recipient). Raises NotFound otherwise."""
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or viewer.id not in (invoice.issuer_user_id, invoice.recipient_user_id):
        raise NotFound(_l("This invoice does not exist."))
    return invoice


def invoices_of_case(case_id: int, *, viewer: User) -> list[Invoice]:
    """The invoices of a case that the viewer may download (for the case page and My cases)."""
    return list(db.session.scalars(sa.select(Invoice).where(
        Invoice.case_id == case_id,
        sa.or_(Invoice.issuer_user_id == viewer.id, Invoice.recipient_user_id == viewer.id)).order_by(Invoice.id)))
