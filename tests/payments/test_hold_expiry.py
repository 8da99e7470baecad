"""Stripe refusing to capture a hold it already cancelled: the designer reads that the hold expired."""

from __future__ import annotations

import pytest

from cases import process
from cases.ordering import send_case
from extensions import commit, db
from models.cases import CaseOrder
from payments import escrow
from payments.fees import platform_fee
from tests.factories import make_user


def test_stripe_refusing_to_capture_a_cancelled_intent_says_the_hold_expired(stripe_server, stripe_app):
    client, designer = make_user(), make_user(client=False, designer=True)
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=2_700,
        currency="usd",
        terms={
            "title": "Crown",
            "unit": "tooth",
            "revisions_included": 1,
            "turnaround_days": 2,
            "quantity": 1,
            "unit_price_cents": 2_700,
            "fee_cents": platform_fee(2_700),
            "prescription": {
                "teeth": {"36": "crown"},
                "arches": [],
                "material": "zirconia",
                "shade": "",
                "parameters": {},
            },
            "instructions": "",
            "client_case_id": None,
            "attachments": [],
        },
    )
    db.session.add(order)
    db.session.flush()
    _payment_row, hold = escrow.place_hold(order, payment_method="pm_card_visa")
    case = send_case(order, actor=client)
    commit()
    stripe_server.objects[hold.reference]["status"] = "canceled"  # Stripe cancelled it after seven days
    with stripe_app.test_request_context():
        with pytest.raises(escrow.PaymentFailed) as refused:
            process.accept_case(case, actor=designer)
        assert "card hold has expired" in refused.value.message
    db.session.rollback()
