""" "Transaction complete" releases escrow for good: the client confirms it, reading what it does."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.cases import Case, CaseState
from models.ledger import Payment, PaymentStatus
from tests.cases.factories import drive, make_case, make_parties


def _delivered():
    client, designer = make_parties()
    designer.display_name = "Elena CAD"
    return drive(make_case(client, designer, amount_cents=2_700, quantity=1), CaseState.delivered)


def _state(case: Case) -> CaseState:
    db.session.expire_all()
    return db.session.get(Case, case.id).state


def test_the_button_asks_first_saying_how_much_goes_to_whom_and_that_no_dispute_can_follow(client, login):
    case = _delivered()
    login(case.client)
    shown = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert f'action="/cases/{case.reference}/complete" method="get"' in shown
    page = client.get(f"/cases/{case.reference}/complete").get_data(as_text=True)
    assert "This releases $27.00 to Elena CAD" in page
    assert "you can no longer open a dispute" in page
    assert _state(case) == CaseState.delivered

    client.post(f"/cases/{case.reference}/complete", data={"confirm": "release"})
    assert _state(case) == CaseState.completed
    assert db.session.scalar(sa.select(Payment.status).where(Payment.case_id == case.id)) == PaymentStatus.paid_out


def test_a_post_without_the_confirmation_is_refused_and_moves_nothing(client, login):
    case = _delivered()
    login(case.client)
    response = client.post(f"/cases/{case.reference}/complete", follow_redirects=True)
    assert "Confirm that you release the payment" in response.get_data(as_text=True)
    assert _state(case) == CaseState.delivered
    assert db.session.scalar(sa.select(Payment.status).where(Payment.case_id == case.id)) == PaymentStatus.captured


def test_the_confirmation_page_is_only_for_a_case_the_client_can_complete(client, login):
    case = _delivered()
    login(case.designer)
    response = client.get(f"/cases/{case.reference}/complete")
    assert response.status_code == 302 and response.location.endswith(f"/cases/{case.reference}")
