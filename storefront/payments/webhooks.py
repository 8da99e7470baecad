"""Stripe webhooks: verified, stored once by event id, processed once, safe out of order.

Stripe delivers each event at least once, in any order, and retries until it gets a 2xx.
So: the signature (and its timestamp, against replays) is checked first; the event row is
inserted under a unique event id (a duplicate delivery finds it and stops); handlers work
from the object's current state rather than from the event's place in a sequence (an older
account snapshot never undoes a newer one; a hold is only acted on while our side still
waits for it). A handler that fails leaves the event unprocessed with its error, and the
view answers 500 so Stripe delivers it again.

It sits with the webhook endpoint, above the domain packages, because one event may confirm an
order (cases.ordering), cancel a case (cases.process) or record a chargeback (disputes).
"""

from __future__ import annotations

import json
import logging
from typing import Callable

import sqlalchemy as sa
import stripe
from flask import current_app
from sqlalchemy.exc import IntegrityError

from cases.ordering import confirm_order
from cases.process import cancel_case
from disputes import chargebacks
from extensions import db
from models.accounts import User
from models.cases import Case, CaseOrder, CaseState
from models.ledger import Payment, PaymentStatus
from models.payments import WebhookEvent
from models.types import utcnow
from payments import connect, reconciliation

log = logging.getLogger(__name__)


class InvalidWebhook(Exception):
    """Not a genuine, fresh Stripe event: bad or missing signature, old timestamp, bad JSON."""


def verify(payload: bytes, signature: str | None) -> dict:
    """The event Stripe sent, once its signature and timestamp check out. Raises InvalidWebhook."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret or not signature:
        raise InvalidWebhook("no signing secret configured or no signature sent")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    return json.loads(payload)


def record_event(event: dict) -> WebhookEvent | None:
    """Store the event under its id; None when it was already processed (a repeated delivery)."""
    try:
        with db.session.begin_nested():
            db.session.add(WebhookEvent(event_id=event["id"], type=event["type"], payload=event))
    except IntegrityError:
        pass  # delivered before, or being processed by another request right now
    stored = db.session.scalar(sa.select(WebhookEvent).where(WebhookEvent.event_id == event["id"]).with_for_update())
    return None if stored is None or stored.processed_at is not None else stored


def process_event(stored: WebhookEvent) -> None:
    """Apply a stored, unprocessed event and mark it processed. Flushes; the caller commits."""
    handler = HANDLERS.get(stored.type)
    if handler is not None:
        handler(stored.payload["data"]["object"], stored.payload)
    stored.processed_at = utcnow()
    stored.error = None
    db.session.flush()


def record_failure(event: dict, error: str) -> None:
    """Keep why an event failed (in a fresh transaction, after the failed one was rolled back)."""
    stored = db.session.scalar(sa.select(WebhookEvent).where(WebhookEvent.event_id == event["id"]))
    if stored is None:
        stored = WebhookEvent(event_id=event["id"], type=event["type"], payload=event)
        db.session.add(stored)
    stored.error = error[:2000]


# -- handlers: (object, event) → None ---------------------------------------------------------


def _account_updated(account: dict, event: dict) -> None:
    connect.apply_account_update(account, as_of=int(event.get("created") or 0))


def _payment_of_intent(intent_id: str, *, lock: bool = False) -> Payment | None:
    # Read without a lock by default: the case process locks case, then order, then payment,
    # and a handler that took the payment first could deadlock against it.
    query = sa.select(Payment).where(Payment.hold_reference == intent_id)
    return db.session.scalar(query.with_for_update() if lock else query)


def _hold_confirmed(intent: dict, event: dict) -> None:
    """The payer's browser confirmed the hold (Payment Element): the order may become a case."""
    payment = _payment_of_intent(intent["id"])
    if payment is None or payment.status != PaymentStatus.requires_action:
        return  # not ours, or already known held (the return page got there first)
    order = db.session.get(CaseOrder, payment.order_id)
    confirm_order(order, actor=db.session.get(User, order.client_id))


def _hold_canceled(intent: dict, event: dict) -> None:
    """Stripe cancelled a hold (it lapsed, or was cancelled in the dashboard)."""
    payment = _payment_of_intent(intent["id"])
    if payment is None:
        return
    if payment.status == PaymentStatus.requires_action and payment.case_id is None:
        payment = _payment_of_intent(intent["id"], lock=True)
        if payment.status == PaymentStatus.requires_action:
            payment.status = PaymentStatus.released  # an order the payer never confirmed: nothing held
        return
    if payment.status == PaymentStatus.held and payment.case_id is not None:
        case = db.session.get(Case, payment.case_id, with_for_update=True)
        if case.state == CaseState.requested:
            # Without its hold the request can no longer be accepted: the platform cancels it.
            cancel_case(case, actor=None, reason="The card hold was cancelled by the payment provider.")


def _money_moved(obj: dict, event: dict) -> None:
    """A transfer, refund or charge of a case changed on Stripe: settle the case's unconfirmed
    movements from Stripe's book and compare; a difference is reported to staff."""
    case = _case_of(obj)
    if case is None:
        return
    case = db.session.scalar(
        sa.select(Case).where(Case.id == case.id).with_for_update().execution_options(populate_existing=True)
    )
    reconciliation.check_case(case)


def _case_of(obj: dict) -> Case | None:
    group = obj.get("transfer_group") or ""
    if obj.get("object") == "transfer":
        return (
            db.session.scalar(sa.select(Case).where(Case.reference == group.removeprefix("case-")))
            if group.startswith("case-")
            else None
        )
    intent = obj.get("payment_intent")
    payment = _payment_of_intent(intent) if intent else None
    return db.session.get(Case, payment.case_id) if payment is not None and payment.case_id else None


def _card_disputed(dispute: dict, event: dict) -> None:
    """A cardholder disputed a case's charge (or the bank decided): record, ledger, case freeze."""
    chargebacks.apply_stripe_dispute(dispute, as_of=int(event.get("created") or 0))


HANDLERS: dict[str, Callable[[dict, dict], None]] = {
    "account.updated": _account_updated,
    "payment_intent.amount_capturable_updated": _hold_confirmed,
    "payment_intent.canceled": _hold_canceled,
    "charge.refunded": _money_moved,
    "refund.created": _money_moved,
    "refund.updated": _money_moved,
    "transfer.created": _money_moved,
    "transfer.updated": _money_moved,
    "transfer.reversed": _money_moved,
    # Every dispute event carries the dispute's whole current state: one handler for all of them.
    "charge.dispute.created": _card_disputed,
    "charge.dispute.updated": _card_disputed,
    "charge.dispute.closed": _card_disputed,
    "charge.dispute.funds_withdrawn": _card_disputed,
    "charge.dispute.funds_reinstated": _card_disputed,
}
