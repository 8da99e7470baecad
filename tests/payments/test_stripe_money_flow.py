"""One case's money end to end on Stripe: hold → capture on acceptance → transfer on completion."""

from __future__ import annotations

import sqlalchemy as sa

from cases import process
from cases.ordering import send_case
from extensions import commit, db
from models.cases import CaseOrder, CaseState
from models.ledger import Payment, PaymentStatus
from payments import escrow
from payments.fees import platform_fee
from payments.gateways.base import HoldStatus
from payments.ledger import invariant_violations
from tests.cases.factories import design_file
from tests.factories import make_user
from tests.payments.factories import make_connected_account


def test_a_case_paid_by_card_reaches_the_designers_connected_account(stripe_server, stripe_app):
    client, designer = make_user(), make_user(client=False, designer=True)
    account = stripe_server.create_account({"type": "express", "country": "FR"})
    stripe_server.complete_onboarding(account["id"])
    make_connected_account(designer, account_id=account["id"])
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=15_000,
        currency="usd",
        terms={
            "title": "Implant abutment",
            "unit": "tooth",
            "revisions_included": 1,
            "turnaround_days": 2,
            "quantity": 1,
            "unit_price_cents": 15_000,
            "fee_cents": platform_fee(15_000),
            "prescription": {
                "teeth": {"36": "abutment"},
                "arches": [],
                "material": "titanium",
                "shade": "",
                "parameters": {},
            },
            "instructions": "",
            "client_case_id": "LAB-9",
            "attachments": [],
        },
    )
    db.session.add(order)
    db.session.flush()

    payment, hold = escrow.place_hold(order, payment_method="pm_card_visa")
    assert hold.status == HoldStatus.held and hold.reference.startswith("pi_")
    case = send_case(order, actor=client)
    commit()
    process.accept_case(case, actor=designer)
    commit()
    intent = stripe_server.objects[hold.reference]
    assert intent["status"] == "succeeded" and intent["amount_received"] == 15_000
    process.deliver_case(case, actor=designer, note="Done", files=[design_file(designer)])
    commit()
    process.complete_case(case, actor=client)
    commit()

    [transfer] = [o for o in stripe_server.objects.values() if o["object"] == "transfer"]
    assert transfer["amount"] == 15_000 - platform_fee(15_000) == 13_650
    assert transfer["destination"] == account["id"]
    assert transfer["source_transaction"] == intent["latest_charge"]
    assert transfer["transfer_group"] == f"case-{case.reference}"
    keys = [key for method, _path, _params, key in stripe_server.requests if method == "POST"]
    assert all(keys) and len(set(keys)) == len(keys)
    payment = db.session.scalar(sa.select(Payment).filter_by(case_id=case.id))
    assert payment.status == PaymentStatus.paid_out and payment.transfer_reference == transfer["id"]
    assert case.state == CaseState.completed and invariant_violations() == []
