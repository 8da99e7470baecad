"""The payment effects of the case process: hold, capture, release, pay out, refund, settle.

Called only by cases.process (and cases.ordering for the hold), with the case row already
locked; each function locks the payment row next (case before payment, always). Every
gateway call carries an idempotency key derived from the case and the action, is logged as
one PaymentEvent, and every money movement is one balanced journal with the same key, so a
repeated action can neither call the gateway twice with a new key nor post twice.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import db
from models.cases import Case, CaseOrder
from models.ledger import JournalKind, Payment, PaymentEvent, PaymentStatus
from payments.fees import platform_fee
from payments.gateways import get_gateway
from payments.gateways.base import GatewayCall, GatewayError, HoldLapsed, HoldResult, HoldStatus, PaymentDeclined
from payments.ledger import ESCROW, PLATFORM_FEES, client_account, designer_account, post_journal

log = logging.getLogger(__name__)


class PaymentFailed(DomainError):
    """The gateway refused or could not be reached; nothing changed on our side."""


def _gateway_unavailable() -> PaymentFailed:
    return PaymentFailed(_l("The payment service did not answer. Nothing was changed; please try again in a moment."))


def idempotency_key(case: Case, action: str) -> str:
    return f"case-{case.id}-{action}"


def transfer_group(case: Case) -> str:
    return f"case-{case.reference}"


def payment_of(case: Case, *, lock: bool = True) -> Payment:
    query = sa.select(Payment).where(Payment.case_id == case.id)
    payment = db.session.scalar(query.with_for_update() if lock else query)
    if payment is None:
        raise RuntimeError(f"case {case.id} has no payment")
    return payment


def _log_call(payment: Payment, call: GatewayCall) -> None:
    db.session.add(PaymentEvent(payment_id=payment.id, action=call.action, reference=call.reference,
                                amount_cents=call.amount_cents, idempotency_key=call.idempotency_key, raw=call.raw))


# -- before the case exists ------------------------------------------------------------------
def place_hold(order: CaseOrder, *, payment_method: str | None) -> tuple[Payment, HoldResult]:
    """Authorise the order's amount on the payer's card. Raises PaymentFailed if unreachable."""
    gateway = get_gateway()
    key = f"order-{order.token}-hold"
    try:
        result = gateway.hold(amount_cents=order.amount_cents, currency=order.currency, idempotency_key=key,
                              metadata={"order": str(order.id), "client": str(order.client_id)},
                              payment_method=payment_method)
    except PaymentDeclined as exc:
        result = HoldResult(reference=f"declined-{key}", status=HoldStatus.declined, decline_reason=str(exc))
    except GatewayError as exc:
        log.warning("hold for order %s failed: %s", order.id, exc)
        raise _gateway_unavailable() from exc
    status = {HoldStatus.held: PaymentStatus.held, HoldStatus.requires_action: PaymentStatus.requires_action,
              HoldStatus.declined: PaymentStatus.declined}[result.status]
    payment = Payment(order_id=order.id, gateway=gateway.name, hold_reference=result.reference, status=status,
                      currency=order.currency, amount_cents=order.amount_cents,
                      card_last4=getattr(gateway, "card_last4", lambda _ref: None)(result.reference)
                      if result.status != HoldStatus.declined else None)
    db.session.add(payment)
    db.session.flush()
    # The client secret lets the payer's browser finish a hold that requires action (Stripe).
    _log_call(payment, GatewayCall("hold", result.reference, order.amount_cents, key,
                                   {"status": result.status.value, "client_secret": result.client_secret}))
    return payment, result


def client_secret_of(order: CaseOrder) -> str | None:
    """The browser's handle on the order's hold, while it waits for the payer."""
    raw = db.session.scalar(sa.select(PaymentEvent.raw).join(Payment, Payment.id == PaymentEvent.payment_id)
                            .where(Payment.order_id == order.id, PaymentEvent.action == "hold"))
    return (raw or {}).get("client_secret")


def refresh_hold(order: CaseOrder) -> Payment:
    """Ask the gateway where a hold awaiting the browser stands, and record the answer."""
    payment = db.session.scalar(sa.select(Payment).where(Payment.order_id == order.id).with_for_update())
    if payment.status != PaymentStatus.requires_action:
        return payment
    try:
        status = get_gateway().hold_status(payment.hold_reference)
    except GatewayError as exc:
        raise _gateway_unavailable() from exc
    if status == HoldStatus.held:
        payment.status = PaymentStatus.held
    elif status == HoldStatus.declined:
        payment.status = PaymentStatus.declined
    return payment


def attach_payment(order: CaseOrder, case: Case) -> None:
    payment = db.session.scalar(sa.select(Payment).where(Payment.order_id == order.id).with_for_update())
    payment.case_id = case.id


# -- effects of the case process ------------------------------------------------------------
def capture(case: Case) -> None:
    """Designer accepted: the hold is captured into escrow (journal client → escrow)."""
    payment = payment_of(case)
    _require(payment, PaymentStatus.held)
    call = _call(lambda g, key: g.capture(payment.hold_reference, amount_cents=payment.amount_cents,
                                          idempotency_key=key), case, "capture")
    _log_call(payment, call)
    payment.status = PaymentStatus.captured
    payment.captured_cents = payment.amount_cents
    payment.charge_reference = call.reference
    post_journal(JournalKind.capture, [(client_account(case.client_id), -case.amount_cents, case.currency),
                                       (ESCROW, case.amount_cents, case.currency)],
                 idempotency_key=idempotency_key(case, "capture"), case=case)


def release(case: Case) -> None:
    """Cancelled, rejected or expired before acceptance: the hold is cancelled, nothing charged."""
    payment = payment_of(case)
    _require(payment, PaymentStatus.held)
    call = _call(lambda g, key: g.cancel_hold(payment.hold_reference, idempotency_key=key), case, "release")
    _log_call(payment, call)
    payment.status = PaymentStatus.released


def pay_out(case: Case) -> None:
    """Completed: amount − fee to the designer's account, the fee to the platform."""
    settle(case, refund_cents=0)


def refund(case: Case) -> None:
    """Cancelled after capture: everything back to the client."""
    settle(case, refund_cents=case.amount_cents)


def settle(case: Case, *, refund_cents: int) -> None:
    """Empty the case's escrow: `refund_cents` back to the client, the rest to the designer minus the fee.

    Used for completion (refund 0), a cancellation with refund (refund all) and a ruling
    that splits. The fee is taken on the designer's part only.
    """
    payment = payment_of(case)
    _require(payment, PaymentStatus.captured)
    if not 0 <= refund_cents <= case.amount_cents:
        raise DomainError(_l("The refund must be between 0 and the amount of the case."), field="refund")
    designer_part = case.amount_cents - refund_cents
    fee = platform_fee(designer_part) if designer_part else 0
    earnings = designer_part - fee
    if refund_cents:
        call = _call(lambda g, key: g.refund(payment.hold_reference, amount_cents=refund_cents,
                                             idempotency_key=key), case, "refund")
        _log_call(payment, call)
    if earnings:
        destination = payout_destination(case)
        call = _call(lambda g, key: g.transfer(amount_cents=earnings, currency=case.currency,
                                               destination=destination, transfer_group=transfer_group(case),
                                               source_charge=payment.charge_reference, idempotency_key=key),
                     case, "transfer")
        _log_call(payment, call)
        payment.transfer_reference = call.reference
    payment.refunded_cents, payment.paid_out_cents, payment.fee_cents = refund_cents, earnings, fee
    payment.status = (PaymentStatus.refunded if refund_cents == case.amount_cents
                      else PaymentStatus.paid_out if refund_cents == 0 else PaymentStatus.partially_refunded)
    kind = {PaymentStatus.refunded: JournalKind.refund, PaymentStatus.paid_out: JournalKind.payout}.get(
        payment.status, JournalKind.settlement)
    post_journal(kind, [(ESCROW, -case.amount_cents, case.currency),
                        (client_account(case.client_id), refund_cents, case.currency),
                        (designer_account(case.designer_id), earnings, case.currency),
                        (PLATFORM_FEES, fee, case.currency)],
                 idempotency_key=idempotency_key(case, "settle"), case=case)


def payout_destination(case: Case) -> str:
    """The designer's connected account; the sandbox has one for every designer."""
    from payments import connect

    destination = connect.payout_destination(case.designer)
    gateway = get_gateway()
    if destination is None and gateway.name == "sandbox":
        destination = gateway.account_for(case.designer_id)
    if destination is None:
        raise PaymentFailed(_l("The designer has not set up payouts yet, so the payment cannot be released. "
                               "They have been asked to do it."))
    return destination


def _require(payment: Payment, status: PaymentStatus) -> None:
    if payment.status != status:
        # The case state said the money was here; the payment says otherwise: never guess.
        raise RuntimeError(f"payment {payment.id} is {payment.status.value}, expected {status.value}")


def _call(fn, case: Case, action: str) -> GatewayCall:
    try:
        return fn(get_gateway(), idempotency_key(case, action))
    except HoldLapsed as exc:
        log.warning("gateway %s for case %s refused: the hold lapsed (%s)", action, case.id, exc)
        raise PaymentFailed(_l("The client's card hold has expired, so this request can no longer be accepted. "
                               "Nothing was charged.")) from exc
    except GatewayError as exc:
        log.warning("gateway %s for case %s failed: %s", action, case.id, exc)
        raise _gateway_unavailable() from exc
