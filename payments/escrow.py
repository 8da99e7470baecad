"""The payment effects of the case process: hold, capture, release, pay out, refund, settle.

Called only by cases.process (and cases.ordering for the hold), with the case row already
locked; each function locks the payment row next (case before payment, always), settles
the case's earlier unconfirmed movements first (payments.movements), and moves money only
through movements: each committed as pending before the gateway is asked, under a key
unique to the movement and its amount, confirmed with one PaymentEvent and one balanced
journal under the same key, so money never moves twice and the ledger follows the gateway.
The payout at completion is the exception that nothing the gateway says can refuse: recorded
pending with the completion, it is asked by the job `carry_out` after the commit.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import commit, db
from jobs import enqueue
from jobs.runtime import job
from models.cases import Case, CaseOrder
from models.chargebacks import Chargeback
from models.ledger import Journal, JournalKind, MovementKind, MovementState, Payment, PaymentEvent, PaymentStatus
from payments import connect, movements
from payments.fees import settlement_split
from payments.gateways import get_gateway
from payments.gateways.base import GatewayCall, GatewayError, HoldLapsed, HoldResult, HoldStatus, PaymentDeclined
from payments.ledger import CARD_DISPUTED, ESCROW, PLATFORM_FEES, client_account, post_journal

log = logging.getLogger(__name__)


class PaymentFailed(DomainError):
    """The gateway refused or could not be reached; nothing changed on our side."""


class PaymentUnconfirmed(DomainError):
    """An earlier movement of the case is not confirmed yet: no other money moves until it is."""


def _gateway_unavailable() -> PaymentFailed:
    return PaymentFailed(_l("The payment service did not answer. Nothing was changed; please try again in a moment."))


def payment_of(case: Case, *, lock: bool = True) -> Payment:
    query = sa.select(Payment).where(Payment.case_id == case.id)
    payment = db.session.scalar(query.with_for_update() if lock else query)
    if payment is None:
        raise RuntimeError(f"case {case.id} has no payment")
    return payment


# -- before the case exists ------------------------------------------------------------------
def place_hold(
    order: CaseOrder, *, payment_method: str | None, customer: str | None = None
) -> tuple[Payment, HoldResult]:
    """Authorise the order's amount on the payer's card (or a card saved for a monthly contract,
    with its gateway customer). Raises PaymentFailed if unreachable."""
    gateway = get_gateway()
    key = f"order-{order.token}-hold"
    try:
        result = gateway.hold(
            amount_cents=order.amount_cents,
            currency=order.currency,
            idempotency_key=key,
            metadata={"order": str(order.id), "client": str(order.client_id)},
            payment_method=payment_method,
            **({"customer": customer} if customer else {}),
        )
    except PaymentDeclined as exc:
        result = HoldResult(reference=f"declined-{key}", status=HoldStatus.declined, decline_reason=str(exc))
    except GatewayError as exc:
        log.warning("hold for order %s failed: %s", order.id, exc)
        raise _gateway_unavailable() from exc
    status = {
        HoldStatus.held: PaymentStatus.held,
        HoldStatus.requires_action: PaymentStatus.requires_action,
        HoldStatus.declined: PaymentStatus.declined,
    }[result.status]
    payment = Payment(
        order_id=order.id,
        gateway=gateway.name,
        hold_reference=result.reference,
        status=status,
        currency=order.currency,
        amount_cents=order.amount_cents,
        card_last4=getattr(gateway, "card_last4", lambda _ref: None)(result.reference)
        if result.status != HoldStatus.declined
        else None,
    )
    db.session.add(payment)
    db.session.flush()
    # The client secret lets the payer's browser finish a hold that requires action (Stripe).
    movements.record_call(
        payment,
        GatewayCall(
            "hold",
            result.reference,
            order.amount_cents,
            key,
            {"status": result.status.value, "client_secret": result.client_secret},
        ),
    )
    return payment, result


def client_secret_of(order: CaseOrder) -> str | None:
    """The browser's handle on the order's hold, while it waits for the payer."""
    raw = db.session.scalar(
        sa.select(PaymentEvent.raw)
        .join(Payment, Payment.id == PaymentEvent.payment_id)
        .where(Payment.order_id == order.id, PaymentEvent.action == "hold")
    )
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
    payment, _card_disputed = _ready(case)
    if payment.status == PaymentStatus.captured:
        # An earlier accept rolled back after the gateway captured: _ready has just confirmed
        # that capture from the gateway's book, so the money is in escrow already.
        return
    _require(payment, PaymentStatus.held)
    _move(payment, case, MovementKind.capture, payment.amount_cents)


def release(case: Case) -> None:
    """Cancelled, rejected or expired before acceptance: the hold is cancelled, nothing charged."""
    payment, _card_disputed = _ready(case)
    if payment.status == PaymentStatus.released:
        return  # an earlier attempt's release, answered then rolled back, was just confirmed by _ready
    _require(payment, PaymentStatus.held)
    _move(payment, case, MovementKind.release, 0)


def pay_out(case: Case) -> None:
    """Completed: amount − fee to the designer's account, the fee to the platform. The transfer
    is recorded as pending with the completion and asked of the gateway by a job after the
    commit (carry_out): nothing the gateway says can refuse a completion, so the client does not
    wait for it, and the payout shows as on its way until the gateway confirms it."""
    settle(case, refund_cents=0, later=True)


def refund(case: Case) -> None:
    """Cancelled after capture: everything back to the client."""
    settle(case, refund_cents=case.amount_cents)


def settle(case: Case, *, refund_cents: int, later: bool = False) -> None:
    """Empty the case's escrow: `refund_cents` back to the client, the rest to the designer minus the fee.

    Used for completion (refund 0), a cancellation with refund (refund all) and a ruling
    that splits. The fee is taken on the designer's part only and leaves escrow with the
    designer's transfer (alone when nothing is left to transfer). What already left escrow
    for the case (an earlier attempt whose answer was lost) is not moved again. `later`: the
    movements are recorded pending and asked by a job after the commit (see pay_out).
    """
    payment, card_disputed = _ready(case)
    if card_disputed:
        _settle_card_disputes(payment, case, refund_cents)
    if payment.status not in (
        PaymentStatus.captured,
        PaymentStatus.paid_out,
        PaymentStatus.refunded,
        PaymentStatus.partially_refunded,
    ):
        _require(payment, PaymentStatus.captured)  # out of escrow already by an attempt rolled back is fine
    if not 0 <= refund_cents <= case.amount_cents:
        raise DomainError(_l("The refund must be between 0 and the amount of the case."), field="refund")
    split = settlement_split(case.amount_cents, case.amount_cents - refund_cents)
    refund_left = split.refund_cents - payment.refunded_cents
    earnings_left = split.designer_net_cents - payment.paid_out_cents
    fee_left = split.fee_cents - payment.fee_cents
    if min(refund_left, earnings_left, fee_left) < 0:
        raise DomainError(
            _l(
                "Part of this payment has already been refunded or paid out, so it cannot be divided this way any more."
            ),
            field="refund",
        )
    if refund_left:
        _move(payment, case, MovementKind.refund, refund_left, later=later)
    if earnings_left:
        _move(
            payment,
            case,
            MovementKind.transfer,
            earnings_left,
            fee_cents=fee_left,
            destination=payout_destination(case),
            later=later,
        )
    elif fee_left:
        # The designer's whole part is the fee: it stays on the platform's balance, no transfer.
        payment.fee_cents += fee_left
        payment.status = movements.settled_status(payment)
        post_journal(
            JournalKind.payout,
            [(ESCROW, -fee_left, case.currency), (PLATFORM_FEES, fee_left, case.currency)],
            idempotency_key=f"case-{case.id}-fee-{fee_left}",
            case=case,
        )
        movements.escrow_emptied(payment, case)


def _settle_card_disputes(payment: Payment, case: Case, refund_cents: int) -> None:
    """Card disputes that took the case's money out of escrow (disputes.chargebacks): nothing
    leaves escrow while the bank decides; once the bank gave the money to the cardholder, only
    a full refund can be ruled, and it records that return (once) instead of asking the gateway."""
    returned = 0
    for chargeback in db.session.scalars(
        sa.select(Chargeback).where(Chargeback.case_id == case.id, Chargeback.funds_account == ESCROW)
    ):
        if chargeback.is_open:
            raise DomainError(
                _l(
                    "The client's bank is examining a card dispute on this payment: no money can be "
                    "paid out or refunded until it decides."
                )
            )
        if chargeback.status == "lost":
            returned += chargeback.amount_cents
    if not returned:
        return
    if refund_cents != case.amount_cents:
        raise DomainError(
            _l(
                "The client's bank returned this payment to them after a card dispute: only a full "
                "refund can be ruled, and it records what the bank returned."
            ),
            field="refund",
        )
    key = f"case-{case.id}-card-dispute-return"
    if db.session.scalar(sa.select(Journal.id).where(Journal.idempotency_key == key)) is not None:
        return
    post_journal(
        JournalKind.chargeback,
        [(CARD_DISPUTED, -returned, case.currency), (client_account(case.client_id), returned, case.currency)],
        idempotency_key=key,
        case=case,
    )
    payment.refunded_cents += returned
    payment.status = movements.settled_status(payment)


def payout_destination(case: Case) -> str:
    """The designer's connected account; the sandbox has one for every designer."""
    destination = connect.payout_destination(case.designer)
    gateway = get_gateway()
    if destination is None and gateway.name == "sandbox":
        destination = gateway.account_for(case.designer_id)
    if destination is None:
        raise PaymentFailed(
            _l(
                "The designer has not set up payouts yet, so the payment cannot be released. "
                "They have been asked to do it."
            )
        )
    return destination


def _require(payment: Payment, status: PaymentStatus) -> None:
    if payment.status != status:
        # The case state said the money was here; the payment says otherwise: never guess.
        raise RuntimeError(f"payment {payment.id} is {payment.status.value}, expected {status.value}")


def _ready(case: Case) -> tuple[Payment, bool]:
    """The case's payment, locked, once every earlier movement of the case is settled; and
    whether card disputes took the case's money out of escrow (see _settle_card_disputes)."""
    # One statement locks the payment and says whether the case has movements to settle or card
    # disputes on its escrow: both are written only under the case's lock, which the caller holds,
    # so what the statement sees cannot change before the commit (and the common case, neither,
    # costs no query of its own).
    pending = sa.exists().where(movements.unconfirmed_of(case.id))
    card_disputed = sa.exists().where(Chargeback.case_id == case.id, Chargeback.funds_account == ESCROW)
    row = db.session.execute(
        sa.select(Payment, pending, card_disputed).where(Payment.case_id == case.id).with_for_update(of=Payment)
    ).one_or_none()
    if row is None:
        raise RuntimeError(f"case {case.id} has no payment")
    payment, any_pending, any_card_dispute = row
    if any_pending and movements.reconcile(case, payment):
        raise PaymentUnconfirmed(
            _l(
                "The payment provider has not yet confirmed an earlier payment step on this "
                "case. We are checking with it and will finish it; please try again in a few "
                "minutes."
            )
        )
    return payment, any_card_dispute


def _move(
    payment: Payment,
    case: Case,
    kind: MovementKind,
    amount_cents: int,
    *,
    fee_cents: int = 0,
    destination: str | None = None,
    later: bool = False,
) -> None:
    """Ask the gateway for one movement. Refused: nothing moved, the action is refused with it.
    No answer: the decision stands and the movement is settled later from the gateway's book.
    `later`: recorded pending with the action, asked by carry_out after the commit instead."""
    if later:
        movements.record(payment, case, kind, amount_cents, fee_cents=fee_cents, destination=destination)
        enqueue(carry_out, case.id)  # after the commit: the job finds the movement committed
        return
    movement = movements.start(payment, case, kind, amount_cents, fee_cents=fee_cents, destination=destination)
    try:
        state = movements.ask(movement, payment, case)
    except HoldLapsed as exc:
        raise PaymentFailed(
            _l("The client's card hold has expired, so this request can no longer be accepted. Nothing was charged.")
        ) from exc
    if state == MovementState.failed:
        raise _gateway_unavailable()


class MovementsUnconfirmed(Exception):
    """A job's movement got no answer or was refused: the job is retried (same key), the sweep
    settles it from the gateway's book meanwhile (payments.reconciliation)."""


@job
def carry_out(case_id: int) -> None:
    """Job, enqueued by a transition that recorded movements as pending (the payout at completion):
    ask the gateway for each of the case's pending movements under its own key and confirm it
    (its PaymentEvent, its journal, the payment) in one unit of work.

    Idempotent: under the case's lock, then the payment's, only movements still pending are asked,
    and the gateway answers a repeated key with the first answer, so a second run (or the sweep
    before it) pays nothing twice. Raises MovementsUnconfirmed, after committing what it
    confirmed, when one is left pending (no answer, or refused): the job is retried.
    """
    case = db.session.scalar(
        sa.select(Case).where(Case.id == case_id).with_for_update().execution_options(populate_existing=True)
    )
    if case is None:
        return
    payment = payment_of(case)
    left = [
        movement.idempotency_key
        for movement in movements.unconfirmed(case.id)
        if movements.ask(movement, payment, case, refused=MovementState.pending) != MovementState.succeeded
    ]
    commit()
    if left:
        raise MovementsUnconfirmed(f"case {case_id}: {', '.join(left)} not confirmed yet")
