"""Stripe webhooks: signed by Stripe or refused, processed once, safe duplicated and out of order."""

from __future__ import annotations

import copy
import time

import sqlalchemy as sa

from cases.ordering import send_case
from extensions import db
from models.cases import Case, CaseOrder, CaseState, OrderStatus
from models.ledger import Payment, PaymentStatus
from models.moderation import AuditEntry
from models.payments import ConnectedAccount, WebhookEvent
from models.profiles import DesignerProfile
from payments import connect, escrow
from payments.fees import platform_fee
from tests.factories import make_user
from tests.fixtures.stripe import WEBHOOK_SECRET
from tests.payments.stripe_server import signed_webhook


def deliver(client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    body, headers = signed_webhook(event, secret, timestamp)
    return client.post("/stripe/webhook", data=body, headers=headers)


def _onboarded_designer(stripe_server):
    designer = make_user(client=False, designer=True)
    from models.payments import BusinessType

    account = connect.start_onboarding(designer, actor=designer, business_type=BusinessType.individual, country="FR")
    db.session.commit()
    return designer, account.account_id


def _stored_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(WebhookEvent))


def test_a_wrong_signature_is_refused_and_changes_nothing(stripe_server, stripe_client):
    designer, account_id = _onboarded_designer(stripe_server)
    event = stripe_server.complete_onboarding(account_id)
    response = deliver(stripe_client, event, secret="whsec_someone_else")
    assert response.status_code == 400
    assert _stored_events() == 0
    assert connect.payout_destination(designer) is None


def test_a_replayed_old_delivery_is_refused(stripe_server, stripe_client):
    designer, account_id = _onboarded_designer(stripe_server)
    event = stripe_server.complete_onboarding(account_id)
    response = deliver(stripe_client, event, timestamp=int(time.time()) - 600)  # beyond Stripe's 5 minutes
    assert response.status_code == 400
    assert _stored_events() == 0 and connect.payout_destination(designer) is None


def test_an_unsigned_post_is_refused(stripe_client):
    response = stripe_client.post(
        "/stripe/webhook",
        data=b'{"id": "evt_1", "type": "account.updated"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400 and _stored_events() == 0


def test_account_updated_makes_payouts_ready_once_even_when_delivered_twice(stripe_server, stripe_client):
    designer, account_id = _onboarded_designer(stripe_server)
    assert connect.payout_destination(designer) is None
    event = stripe_server.complete_onboarding(account_id)

    first = deliver(stripe_client, event)
    again = deliver(stripe_client, event)

    assert first.status_code == 200 and again.status_code == 200 and again.json["duplicate"] is True
    db.session.expire_all()
    assert connect.payout_destination(designer) == account_id
    profile = db.session.scalar(sa.select(DesignerProfile).filter_by(user_id=designer.id))
    assert profile.payouts_ready is True
    stored = db.session.scalar(sa.select(WebhookEvent).filter_by(event_id=event["id"]))
    assert stored.processed_at is not None and stored.type == "account.updated"
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).filter_by(action="profile.payouts_ready"))
        == 1
    )


def test_an_older_account_event_arriving_late_does_not_undo_a_newer_one(stripe_server, stripe_client):
    designer, account_id = _onboarded_designer(stripe_server)
    newer = stripe_server.complete_onboarding(account_id)
    older = copy.deepcopy(newer)
    older.update(id="evt_older", created=newer["created"] - 60)
    older["data"]["object"].update(payouts_enabled=False, capabilities={"transfers": "inactive"})

    assert deliver(stripe_client, newer).status_code == 200
    assert deliver(stripe_client, older).status_code == 200

    db.session.expire_all()
    account = db.session.scalar(sa.select(ConnectedAccount).filter_by(user_id=designer.id))
    assert account.payouts_ready is True


def _order_awaiting_the_browser(amount_cents: int = 9_000):
    client, designer = make_user(), make_user(client=False, designer=True)
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=amount_cents,
        currency="usd",
        terms={
            "title": "Night guard",
            "unit": "arch",
            "revisions_included": 1,
            "turnaround_days": 2,
            "quantity": 1,
            "unit_price_cents": amount_cents,
            "fee_cents": platform_fee(amount_cents),
            "prescription": {"teeth": {}, "arches": ["upper"], "material": "", "shade": "", "parameters": {}},
            "instructions": "",
            "client_case_id": "LAB-77",
            "attachments": [],
        },
    )
    db.session.add(order)
    db.session.flush()
    payment, hold = escrow.place_hold(order, payment_method=None)
    db.session.commit()
    return order, payment, hold


def test_a_hold_confirmed_in_the_browser_turns_the_order_into_a_case(stripe_server, stripe_client):
    order, payment, hold = _order_awaiting_the_browser()
    assert payment.status == PaymentStatus.requires_action and hold.client_secret
    event = stripe_server.confirm_in_browser(hold.reference)
    assert event["type"] == "payment_intent.amount_capturable_updated"

    assert deliver(stripe_client, event).status_code == 200
    assert deliver(stripe_client, event).status_code == 200  # Stripe's retry changes nothing

    db.session.expire_all()
    order = db.session.get(CaseOrder, order.id)
    assert order.status == OrderStatus.sent
    case = db.session.get(Case, order.case_id)
    assert case.state == CaseState.requested and case.client_case_id == "LAB-77"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_a_hold_cancelled_on_stripe_cancels_the_waiting_request(stripe_server, stripe_client):
    order, payment, hold = _order_awaiting_the_browser()
    stripe_server.confirm_in_browser(hold.reference)
    escrow.refresh_hold(order)
    case = send_case(order, actor=order_client(order))
    db.session.commit()
    cancelled = stripe_server.cancel_payment_intent({}, id=hold.reference)
    event = stripe_server.emit("payment_intent.canceled", cancelled)

    assert deliver(stripe_client, event).status_code == 200

    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.cancelled
    assert db.session.scalar(sa.select(Payment).filter_by(case_id=case.id)).status == PaymentStatus.released


def order_client(order):
    from models.accounts import User

    return db.session.get(User, order.client_id)


def test_an_event_of_someone_elses_object_is_stored_and_ignored(stripe_server, stripe_client):
    event = stripe_server.emit("payment_intent.canceled", {"id": "pi_not_ours", "object": "payment_intent"})
    assert deliver(stripe_client, event).status_code == 200
    assert db.session.scalar(sa.select(WebhookEvent).filter_by(event_id=event["id"])).processed_at is not None
