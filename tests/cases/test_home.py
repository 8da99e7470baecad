"""The signed-in home: each side sees what waits for them; money from the ledger; fixed queries."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import commit, db
from models.cases import CaseOrder, CaseState, OrderStatus
from models.messaging import Notification
from tests.cases.factories import drive, make_case, make_parties
from tests.statements import statements


def test_the_client_sees_deliveries_to_review_and_cases_with_designers(client, login):
    buyer, designer = make_parties()
    delivered = drive(make_case(buyer, designer), CaseState.delivered)
    working = drive(make_case(buyer, designer), CaseState.in_progress)
    login(buyer)
    page = client.get("/home").get_data(as_text=True)
    waiting = page.split('id="to-review"')[1].split("</section>")[0]
    works = page.split('id="in-the-works"')[1].split("</section>")[0]
    assert delivered.reference in waiting and "completes itself in" in waiting
    assert working.reference in works and "due in" in works and working.reference not in waiting


def test_an_unpaid_order_is_a_draft_the_client_can_finish(client, login):
    buyer, designer = make_parties()
    order = CaseOrder(
        client_id=buyer.id,
        designer_id=designer.id,
        amount_cents=1800,
        currency="usd",
        status=OrderStatus.awaiting_payment,
        terms={"title": "Emax veneers"},
    )
    db.session.add(order)
    commit()
    login(buyer)
    drafts = client.get("/home").get_data(as_text=True).split('id="drafts"')[1].split("</section>")[0]
    assert "Emax veneers" in drafts and f"/cases/orders/{order.token}/payment" in drafts


def test_the_designer_sees_requests_work_due_escrow_earnings_and_payouts(client, login):
    buyer, designer = make_parties()
    requested = make_case(buyer, designer, amount_cents=5000)
    working = drive(make_case(buyer, designer, amount_cents=10_000), CaseState.in_progress)
    paid = drive(make_case(buyer, designer, amount_cents=12_000), CaseState.completed)
    login(designer)
    page = client.get("/home").get_data(as_text=True)
    assert requested.reference in page.split('id="requests"')[1].split("</section>")[0]
    assert working.reference in page.split('id="work-due"')[1].split("</section>")[0]
    # $100 in escrow for the working case; the client's $120 minus the 9% fee ($10.80) paid this month
    assert "$100.00" in page.split('id="in-escrow"')[1].split("</strong>")[0]
    assert "$109.20" in page.split('id="earned-this-month"')[1].split("</strong>")[0]
    payouts = page.split('id="payouts"')[1].split("</section>")[0]
    assert paid.reference in payouts and "$109.20" in payouts and "Payout sent" in payouts


def test_a_confirmed_payout_tells_the_designer_once(client, login):
    buyer, designer = make_parties()
    case = drive(make_case(buyer, designer, amount_cents=12_000), CaseState.completed)
    notices = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == designer.id, Notification.event == "payout_sent")
    ).all()
    assert len(notices) == 1 and "$109.20" in notices[0].title and case.reference in notices[0].title


def test_the_home_page_runs_a_fixed_number_of_queries(client, login):
    buyer, designer = make_parties()
    login(designer)
    drive(make_case(buyer, designer), CaseState.completed)
    drive(make_case(buyer, designer), CaseState.in_progress)
    make_case(buyer, designer)
    few = statements(client, "/home")
    for state in (CaseState.completed, CaseState.in_progress, CaseState.delivered):
        drive(make_case(buyer, designer), state)
    make_case(buyer, designer)
    assert statements(client, "/home") == few
    client.post("/logout")
    login(buyer)
    few = statements(client, "/home")
    drive(make_case(buyer, designer), CaseState.delivered)
    assert statements(client, "/home") == few


def test_the_home_page_needs_an_account(client):
    assert client.get("/home").status_code == 302
