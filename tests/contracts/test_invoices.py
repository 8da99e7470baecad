"""Invoices of monthly contracts: one invoice per paid-out month (the month's price) with the
platform's commission invoice to the designer, a credit note for what a ruling gave back from the
month, issued once by the job the payout enqueues, listed on the contract page and in Settings >
Transactions, downloadable by the parties only and frozen like every invoice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from contracts.queries import current_month
from disputes import operations as disputes
from extensions import commit, db
from models.accounts import StaffRole
from models.contracts import MonthState
from models.payments import Invoice, InvoiceKind
from models.types import utcnow
from payments.fees import platform_fee
from payments.month_invoices import issue_month_invoices, render_month_invoices
from tests.contracts.factories import START, accepted, parties, reload
from tests.contracts.test_three_months import accept_and_deliver, send, sweep
from tests.disputes.factories import STATEMENT
from tests.factories import make_user
from tests.payments.test_invoices import pdf_words

PRICE, SHARE = 30_000, 10_000
REASONING = "The crown on 36 was delivered with open margins; half of its share goes back to the lab."


def month_documents(month) -> list[Invoice]:
    return list(
        db.session.scalars(sa.select(Invoice).where(Invoice.contract_month_id == month.id).order_by(Invoice.id))
    )


def paid_month(*, ruled: bool = False):
    """A contract whose month 1 was charged, (optionally) had a case ruled half back to the client,
    and was paid out by the sweep after its review window."""
    client, designer = parties()
    contract = accepted(client, designer)
    sweep(START + timedelta(minutes=1))
    month = current_month(contract)
    if ruled:
        day = START + timedelta(days=1)
        case = send(contract, client, day)
        accept_and_deliver(case, designer, day)
        dispute = disputes.open_dispute(
            case, actor=client, reason="poor_quality", statement=STATEMENT, now=day + timedelta(days=2)
        )
        commit()
        agent = make_user(name="Alex Agent", roles=(StaffRole.resolution_agent,))
        disputes.rule_dispute(
            dispute,
            actor=agent,
            outcome="split",
            designer_cents=SHARE // 2,
            reasoning=REASONING,
            now=dispute.answer_due_at + timedelta(hours=1),
        )
        commit()
    assert month_documents(month) == []  # nothing is invoiced while the month is in escrow
    sweep(month.review_until)
    month = reload(month)
    assert month.state == MonthState.paid_out
    return contract, month


def test_the_payout_issues_the_months_invoice_and_commission_invoice_once():
    contract, month = paid_month()

    service, commission = month_documents(month)  # issued by the job the payout enqueued

    assert (service.kind, service.total_cents, service.currency) == (InvoiceKind.service, PRICE, "usd")
    assert (service.issuer_user_id, service.recipient_user_id) == (contract.designer_id, contract.client_id)
    assert service.display_number == f"D{contract.designer_id}-00001" and service.case_id is None
    assert (commission.kind, commission.total_cents) == (InvoiceKind.commission, platform_fee(PRICE))
    assert commission.recipient_user_id == contract.designer_id and commission.issuer_user_id is None
    assert render_month_invoices(month.id) == [service.id, commission.id]  # idempotent
    assert len(month_documents(month)) == 2


def test_the_pdf_names_the_contract_the_month_and_the_amounts(client, login):
    contract, month = paid_month()
    service, commission = month_documents(month)

    text = pdf_words(service.pdf)
    assert "Invoice" in text and service.display_number in text
    assert contract.reference in text and "Month 1" in text and "Jan 5, 2027 – Feb 5, 2027" in text
    assert "Zirconia crowns, anatomic: monthly contract" in text and "up to 3 cases" in text
    assert "$300.00" in text and "Dana Designer" in text and "Lab North" in text
    commission_text = pdf_words(commission.pdf)
    assert "Commission invoice" in commission_text and "$27.00" in commission_text
    assert f"on month 1 of contract {contract.reference}" in commission_text

    login(contract.client)
    french = pdf_words(client.get(f"/invoices/{service.id}.pdf", headers={"Accept-Language": "fr"}).data)
    assert "Facture" in french and "Mois 1" in french and "contrat mensuel" in french
    assert "300,00 $US" in french.replace("\u202f", " ").replace("\xa0", " ")


def test_a_ruling_refund_from_the_month_gets_a_credit_note():
    _contract, month = paid_month(ruled=True)
    assert month.refunded_cents == SHARE // 2

    service, commission, credit = month_documents(month)

    assert service.total_cents == PRICE and commission.total_cents == platform_fee(PRICE - SHARE // 2)
    assert credit.is_credit_note and credit.corrects_id == service.id and credit.total_cents == SHARE // 2
    assert credit.display_number == service.display_number[:-1] + "2"  # the designer's next number
    text = pdf_words(credit.pdf)
    assert "Credit note" in text and "$50.00" in text and "resolution centre" in text
    assert f"Refund on invoice {service.display_number}" in text
    assert issue_month_invoices(month.id) == [service, commission, credit]


def test_the_parties_find_and_download_the_months_invoices_others_get_404(client, login):
    contract, month = paid_month()
    service, commission = month_documents(month)

    login(contract.client)
    page = client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert service.display_number in page and commission.display_number not in page
    listed = client.get("/settings/transactions").get_data(as_text=True)
    assert "Monthly contracts" in listed and service.display_number in listed and contract.reference in listed
    assert client.get(f"/invoices/{service.id}.pdf").status_code == 200
    assert client.get(f"/invoices/{commission.id}.pdf").status_code == 404  # between platform and designer
    client.post("/account/logout")

    login(contract.designer)
    page = client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert service.display_number in page and commission.display_number in page
    assert commission.display_number in client.get("/settings/transactions").get_data(as_text=True)
    assert client.get(f"/invoices/{commission.id}.pdf").status_code == 200
    client.post("/account/logout")

    login(make_user(name="Someone Else"))
    assert client.get(f"/invoices/{service.id}.pdf").status_code == 404
    assert client.get(f"/invoices/{commission.id}.pdf").status_code == 404
    assert service.display_number not in client.get("/settings/transactions").get_data(as_text=True)


def test_a_months_invoice_is_frozen_and_belongs_to_exactly_one_subject():
    _contract, month = paid_month()
    service = month_documents(month)[0]
    for statement in (
        f"UPDATE invoices SET contract_month_id = NULL WHERE id = {service.id}",
        f"UPDATE invoices SET total_cents = 1 WHERE id = {service.id}",
        f"DELETE FROM invoices WHERE id = {service.id}",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.session.begin_nested():
                db.session.execute(sa.text(statement))
    db.session.rollback()
    columns = {
        c: getattr(service, c)
        for c in ("kind", "issuer_key", "issuer", "recipient", "lines", "subtotal_cents", "total_cents", "currency")
    }
    for case_id, month_id in ((None, None), (1, month.id)):
        with pytest.raises(IntegrityError):
            with db.session.begin_nested():
                db.session.add(
                    Invoice(
                        **columns,
                        number=999,
                        display_number="X-999",
                        case_id=case_id,
                        contract_month_id=month_id,
                        source_key=f"test-{case_id}",
                        pdf=b"%PDF",
                        created_at=utcnow(),
                    )
                )
                db.session.flush()
    db.session.rollback()
