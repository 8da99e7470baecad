"""Money movements asked of the gateway: recorded before asking, settled from the gateway's book.

A movement (capture, release, refund, transfer) is written and committed as pending in its
own transaction before the gateway is asked, under an idempotency key unique to the case,
the kind, the amount and the attempt. The gateway's answer confirms it in the caller's unit
of work, together with its PaymentEvent and its journal (keyed by the same key, so it is
recorded once). When no answer comes (a timeout, a lost answer, a server error) the movement
stays pending, whatever happens to the caller's transaction, and `reconcile` settles it
from the gateway's own book: found → confirmed; not found after PAYMENT_RETRY_AFTER_SECONDS
→ asked again under a new key. Every money path reconciles its case first.

A movement no answer can refuse (the payout at completion) is instead `record`ed pending in the
caller's unit of work and asked by a job after its commit (payments.escrow.carry_out): a
transition rolled back leaves no movement and asked nothing; a refusal or no answer leaves it
pending for the job's retry (same key) and `reconcile`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from extensions import db, independent_session
from jobs import enqueue
from messaging.notify import notify
from models.cases import Case
from models.ledger import (
    JournalKind,
    MovementKind,
    MovementState,
    Payment,
    PaymentEvent,
    PaymentMovement,
    PaymentStatus,
)
from models.types import utcnow
from payments.case_money import format_money
from payments.gateways import get_gateway
from payments.invoices import render_case_invoices
from payments.gateways.base import GatewayCall, GatewayError, GatewayUnconfirmed, HoldLapsed, PaymentDeclined
from payments.ledger import ESCROW, PLATFORM_FEES, client_account, designer_account, post_journal

log = logging.getLogger(__name__)


def transfer_group(case: Case) -> str:
    return f"case-{case.reference}"


def record_call(payment: Payment, call: GatewayCall) -> None:
    """One row of the append-only gateway log."""
    db.session.add(
        PaymentEvent(
            payment_id=payment.id,
            action=call.action,
            reference=call.reference,
            amount_cents=call.amount_cents,
            idempotency_key=call.idempotency_key,
            raw=call.raw,
        )
    )


def start(
    payment: Payment,
    case: Case,
    kind: MovementKind,
    amount_cents: int,
    *,
    fee_cents: int = 0,
    destination: str | None = None,
) -> PaymentMovement:
    """Write the movement as pending and commit it, before the gateway is asked."""
    with independent_session(one_statement=True) as own:
        movement = own.scalar(_insert(payment, case, kind, amount_cents, fee_cents, destination))
    # Read back whole by the INSERT's RETURNING: the unit of work takes it as it is, without
    # reading the row it has just written again.
    return db.session.merge(movement, load=False)


def record(
    payment: Payment,
    case: Case,
    kind: MovementKind,
    amount_cents: int,
    *,
    fee_cents: int = 0,
    destination: str | None = None,
) -> PaymentMovement:
    """Write the movement as pending in the caller's unit of work, for a job to ask the gateway
    after the commit (payments.escrow.carry_out): if the unit of work rolls back, the movement
    never existed and nothing was asked."""
    return db.session.scalar(_insert(payment, case, kind, amount_cents, fee_cents, destination))


def _insert(payment, case, kind, amount_cents, fee_cents, destination):
    # The attempt is counted by the INSERT itself (one round trip): only a holder of the case's
    # lock writes the case's movements, so the count cannot change under it.
    attempt = (
        sa.select(sa.func.count() + 1)
        .select_from(PaymentMovement)
        .where(PaymentMovement.case_id == case.id, PaymentMovement.kind == kind)
        .scalar_subquery()
    )
    return (
        sa.insert(PaymentMovement)
        .values(
            payment_id=payment.id,
            case_id=case.id,
            kind=kind,
            amount_cents=amount_cents,
            fee_cents=fee_cents,
            currency=case.currency,
            state=MovementState.pending,
            destination=destination,
            idempotency_key=sa.literal(f"case-{case.id}-{kind.value}-{amount_cents}-") + sa.cast(attempt, sa.String),
        )
        .returning(PaymentMovement)
    )


def ask(
    movement: PaymentMovement, payment: Payment, case: Case, *, refused: MovementState = MovementState.failed
) -> MovementState:
    """Ask the gateway for the movement; confirm it on an answer. Returns the movement's state:
    succeeded, pending (no answer: it may have happened) or `refused` when the gateway refused
    (failed: it did not happen; pending for a decision already committed, which
    `reconcile` carries out later under a new key once the gateway's book shows it never happened)."""
    try:
        call = _call_gateway(movement, payment, case)
    except GatewayUnconfirmed as exc:
        log.warning(
            "case %s: %s %s not confirmed by the gateway: %s",
            case.id,
            movement.kind.value,
            movement.idempotency_key,
            exc,
        )
        _note(movement, MovementState.pending, str(exc))
        return MovementState.pending
    except HoldLapsed as exc:  # refused because the card hold is gone: the caller says so
        _note(movement, MovementState.failed, str(exc))
        raise
    except (GatewayError, PaymentDeclined) as exc:
        log.warning(
            "case %s: %s %s refused by the gateway: %s", case.id, movement.kind.value, movement.idempotency_key, exc
        )
        _note(movement, refused, str(exc))
        return refused
    confirm(movement, payment, case, call)
    return MovementState.succeeded


def _call_gateway(movement: PaymentMovement, payment: Payment, case: Case) -> GatewayCall:
    gateway, key, amount = get_gateway(), movement.idempotency_key, movement.amount_cents
    if movement.kind == MovementKind.capture:
        return gateway.capture(payment.hold_reference, amount_cents=amount, idempotency_key=key)
    if movement.kind == MovementKind.release:
        return gateway.cancel_hold(payment.hold_reference, idempotency_key=key)
    if movement.kind == MovementKind.refund:
        return gateway.refund(payment.hold_reference, amount_cents=amount, idempotency_key=key)
    return gateway.transfer(
        amount_cents=amount,
        currency=movement.currency,
        destination=movement.destination,
        transfer_group=transfer_group(case),
        source_charge=payment.charge_reference,
        idempotency_key=key,
    )


def _note(movement: PaymentMovement, state: MovementState, error: str) -> None:
    """Keep a movement's state and last error in its own transaction (they outlive the caller's)."""
    with independent_session(one_statement=True) as own:
        own.execute(
            sa.update(PaymentMovement)
            .where(PaymentMovement.id == movement.id)
            .values(state=state, error=error[:2000], updated_at=utcnow())
        )
    db.session.refresh(movement)


def confirm(movement: PaymentMovement, payment: Payment, case: Case, call: GatewayCall) -> None:
    """The gateway did it: the movement, the gateway log, the journal and the payment, once."""
    movement.state, movement.reference, movement.error = MovementState.succeeded, call.reference, None
    record_call(payment, call)
    key, amount, fee, currency = movement.idempotency_key, movement.amount_cents, movement.fee_cents, case.currency
    if movement.kind == MovementKind.capture:
        payment.status, payment.captured_cents, payment.charge_reference = (
            PaymentStatus.captured,
            amount,
            call.reference,
        )
        post_journal(
            JournalKind.capture,
            [(client_account(case.client_id), -amount, currency), (ESCROW, amount, currency)],
            idempotency_key=key,
            case=case,
        )
    elif movement.kind == MovementKind.release:
        payment.status = PaymentStatus.released
    elif movement.kind == MovementKind.refund:
        payment.refunded_cents += amount
        payment.status = settled_status(payment)
        post_journal(
            JournalKind.refund,
            [(ESCROW, -amount, currency), (client_account(case.client_id), amount, currency)],
            idempotency_key=key,
            case=case,
        )
    else:
        payment.paid_out_cents += amount
        payment.fee_cents += fee
        payment.transfer_reference = call.reference
        payment.status = settled_status(payment)  # before the journal's flush: the payment is written once
        post_journal(
            JournalKind.payout,
            [
                (ESCROW, -(amount + fee), currency),
                (designer_account(case.designer_id), amount, currency),
                (PLATFORM_FEES, fee, currency),
            ],
            idempotency_key=key,
            case=case,
        )
        _tell_payout_sent(case, amount, currency)
    if movement.kind in (MovementKind.refund, MovementKind.transfer):
        escrow_emptied(payment, case)
    db.session.flush()


def escrow_emptied(payment: Payment, case: Case) -> None:
    """Once the case's escrow is empty (a movement confirmed now, by the transition, its job or the
    sweep), its invoices are drawn after the commit, with the money they record."""
    if payment.status != PaymentStatus.captured:
        enqueue(render_case_invoices, case.id)


def _tell_payout_sent(case: Case, amount_cents: int, currency: str) -> None:
    """The "payout sent" notification: once per confirmed transfer (a journal is posted once)."""
    title = LazyString(
        lambda: str(
            _l(
                "Payout sent: %(amount)s for case %(ref)s",
                amount=format_money(amount_cents, currency),
                ref=case.reference,
            )
        )
    )
    notify(
        case.designer,
        "payout_sent",
        title=title,
        body=_l("It reaches your bank account within 7 days. Your payouts are listed on your home page."),
        url=f"/cases/{case.reference}",
        case_id=case.id,
    )


def settled_status(payment: Payment) -> PaymentStatus:
    """Where a captured payment stands from what has left escrow so far."""
    out = payment.refunded_cents + payment.paid_out_cents + payment.fee_cents
    if out < payment.captured_cents:
        return PaymentStatus.captured
    if payment.refunded_cents == payment.captured_cents:
        return PaymentStatus.refunded
    return PaymentStatus.paid_out if payment.refunded_cents == 0 else PaymentStatus.partially_refunded


def unconfirmed_of(case_id: int | sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """The condition on PaymentMovement of the case's movements not confirmed yet (`case_id`: an
    id, or Case.id in a statement over cases)."""
    return sa.and_(PaymentMovement.case_id == case_id, PaymentMovement.state == MovementState.pending)


def unconfirmed(case_id: int) -> list[PaymentMovement]:
    return list(
        db.session.scalars(sa.select(PaymentMovement).where(unconfirmed_of(case_id)).order_by(PaymentMovement.id))
    )


def reconcile(case: Case, payment: Payment, *, now: datetime | None = None) -> list[PaymentMovement]:
    """Settle the case's pending movements from the gateway's book (the case row is locked).

    Returns the movements still unconfirmed: the gateway could not be asked, or it has no
    trace of one yet and it is younger than PAYMENT_RETRY_AFTER_SECONDS (a slow call may
    still land), or it was asked again and again got no answer. One not found after that
    wait never happened: it is marked failed and asked again under a new key, so a decision
    already taken is carried out. Returns the ones asked again and refused too, for staff.
    """
    now = now or utcnow()
    wait = timedelta(seconds=current_app.config["PAYMENT_RETRY_AFTER_SECONDS"])
    gateway, left = get_gateway(), []
    for movement in unconfirmed(case.id):
        try:
            found = gateway.find(
                movement.kind.value,
                hold_reference=payment.hold_reference,
                transfer_group=transfer_group(case),
                idempotency_key=movement.idempotency_key,
            )
        except GatewayError as exc:
            log.warning("case %s: cannot look up %s: %s", case.id, movement.idempotency_key, exc)
            left.append(movement)
            continue
        if found is not None:
            log.info("case %s: %s confirmed from the gateway's book", case.id, movement.idempotency_key)
            confirm(movement, payment, case, found)
            continue
        if now - movement.created_at < wait:
            left.append(movement)
            continue
        _note(movement, MovementState.failed, "not in the gateway's book: asked again")
        again = start(
            payment,
            case,
            movement.kind,
            movement.amount_cents,
            fee_cents=movement.fee_cents,
            destination=movement.destination,
        )
        if ask(again, payment, case) != MovementState.succeeded:
            left.append(again)
    return left
