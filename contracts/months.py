"""A contract's months: opened and charged at their start, paid out after their review window.

All deadlines are rows (a month's ends_at and review_until, the contract's ends_at and offer
expiry), applied by `apply_due` from the minute sweep (jobs.sweep) with the sweep's `now`:
a missed sweep catches up on the next one. Each step locks the contract row, then the month
row (always in that order).

- A month opens when the previous one ended (or at the start date) while the contract runs;
  it is charged off-session at once. Declined → the month is failed, new cases stop, both
  sides are told; the client may update the card and pay. Unpaid after
  CONTRACT_PAYMENT_GRACE_DAYS → the platform cancels the contract.
- The bank asks for a confirmation (SCA) → the client is e-mailed a link to the contract's
  payment page; the month counts as unpaid until confirmed.
- After `review_until` (CONTRACT_REVIEW_DAYS after the month's end, the time to dispute a case
  of that month) the month is paid to the designer minus the fee, unless one of its cases is
  disputed: then it is held until the ruling (which refunds up to that case's share first).
- A term contract ends after its last month unless it renews; notice ends it at ends_at.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from contracts import notices, process
from contracts.calendar import add_months
from contracts.queries import current_month, used_places
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from messaging.mail import public_link
from models.accounts import User
from models.cases import Case, CaseState
from models.contracts import Contract, ContractMonth, ContractState, MonthState
from jobs import enqueue
from payments import contract_money
from payments.gateways import get_gateway
from payments.gateways.base import ChargeStatus
from payments.month_invoices import render_month_invoices

log = logging.getLogger(__name__)

S = ContractState
RUNNING = (S.active, S.ending)


def _review_days() -> int:
    return int(current_app.config.get("CONTRACT_REVIEW_DAYS", 14))


def _grace() -> timedelta:
    return timedelta(days=int(current_app.config.get("CONTRACT_PAYMENT_GRACE_DAYS", 7)))


def _lock_month(month_id: int) -> ContractMonth:
    return db.session.execute(
        sa.select(ContractMonth)
        .where(ContractMonth.id == month_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def open_month(contract: Contract, *, now: datetime) -> ContractMonth:
    """Open the contract's next month and charge it (the contract row is locked)."""
    last = current_month(contract)
    start = contract.starts_at if last is None else last.ends_at
    if contract.resumed_at is not None and contract.resumed_at > start:
        start = contract.resumed_at
    carried = 0
    if last is not None and contract.rollover and last.state != MonthState.void:
        carried = max(0, last.allowance - used_places(last))
    end = add_months(start, 1)
    month = ContractMonth(
        contract_id=contract.id,
        number=(last.number if last else 0) + 1,
        starts_at=start,
        ends_at=end,
        review_until=end + timedelta(days=_review_days()),
        allowance=contract.cases_per_month + carried,
        amount_cents=contract.month_price_cents,
        currency=contract.currency,
        state=MonthState.due,
    )
    db.session.add(month)
    db.session.flush()
    month.contract = contract
    charge(month, now=now)
    return month


def charge(month: ContractMonth, *, now: datetime) -> ChargeStatus | None:
    """Charge a month on the saved card and tell who must know what happened."""
    status = contract_money.charge_month(month, now=now)
    _after_charge(month, status)
    return status


def _after_charge(month: ContractMonth, status: ChargeStatus | None) -> None:
    if status == ChargeStatus.requires_action:
        notices.confirm_payment(month, payment_link(month))
    elif status == ChargeStatus.declined:
        notices.payment_failed(month)
    log.info("contract %s month %s: charge %s", month.contract_id, month.number, status and status.value)


def payment_link(month: ContractMonth) -> str:
    """The absolute link mailed to the client (jobs and the sweep have no request of their own)."""
    return public_link("contracts.pay_month", reference=month.contract.reference, number=month.number)


def pay_month(
    contract: Contract, month: ContractMonth, *, actor: User, payment_method: str = "", now: datetime
) -> MonthState:
    """The client pays a month that failed (optionally with a new card) or confirms one the bank
    held for confirmation. Raises NotFound (not the client), InvalidTransition (nothing to pay),
    ContractPaymentFailed (the card cannot be saved)."""
    contract = process.lock_contract(contract.id)
    if actor.id != contract.client_id:
        raise NotFound(_l("This contract does not exist."))
    month = _lock_month(month.id)
    if month.contract_id != contract.id:
        raise NotFound(_l("This contract does not exist."))
    if month.state == MonthState.requires_action:
        status = contract_money.refresh_charge(month, now=now)
        if status == ChargeStatus.requires_action:
            raise DomainError(_l("Your bank has not confirmed the payment yet. Finish its check, then try again."))
        return month.state
    if month.state != MonthState.failed or contract.state not in (*RUNNING, S.paused):
        raise InvalidTransition(_l("Nothing is waiting to be paid on this month."))
    if (payment_method or "").strip():
        contract_money.save_card(contract, payment_method=payment_method.strip(), email=actor.email)
    month.state = MonthState.due
    _after_charge(month, contract_money.charge_month(month, now=now))
    return month.state


def confirm_in_sandbox(contract: Contract, month: ContractMonth, *, actor: User, now: datetime) -> MonthState:
    """The sandbox's stand-in for the bank's confirmation page, then the same as pay_month."""
    if actor.id != contract.client_id or month.state != MonthState.requires_action:
        raise NotFound(_l("This contract does not exist."))
    gateway = get_gateway()
    if gateway.name != "sandbox":
        raise NotFound(_l("This contract does not exist."))
    gateway.confirm_charge(month.charge_reference)
    return pay_month(contract, month, actor=actor, now=now)


def close_month(month: ContractMonth, *, now: datetime) -> bool:
    """Pay out a month whose review window is over, or hold it while one of its cases is disputed.
    Returns True when it was paid."""
    disputed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Case)
        .where(Case.contract_month_id == month.id, Case.state == CaseState.disputed)
    )
    if disputed:
        if month.state != MonthState.held:
            month.state = MonthState.held
            notices.month_held(month)
        return False
    net = contract_money.pay_out_month(month, now=now)
    notices.month_paid_out(month, net)
    enqueue(render_month_invoices, month.id)  # after the commit, with the payout it records
    return True


_STATUS_OF = {
    MonthState.captured: ChargeStatus.succeeded,
    MonthState.requires_action: ChargeStatus.requires_action,
    MonthState.failed: ChargeStatus.declined,
}


# -- the sweep -----------------------------------------------------------------------------------
def apply_due(now: datetime) -> int:
    """Apply every contract deadline that is due; returns how many steps were taken."""
    done = 0
    for contract_id in db.session.scalars(
        sa.select(Contract.id).where(Contract.state == S.offered, Contract.offer_expires_at <= now)
    ).all():
        process.apply(db.session.get(Contract, contract_id), "expire", actor=None, now=now)
        done += 1
    for contract_id in db.session.scalars(
        sa.select(Contract.id).where(Contract.state.in_((*RUNNING, S.paused))).order_by(Contract.id)
    ).all():
        done += _advance(process.lock_contract(contract_id), now)
    for month_id in db.session.scalars(
        sa.select(ContractMonth.id)
        .where(
            ContractMonth.state.in_((MonthState.captured, MonthState.held)),
            ContractMonth.review_until <= now,
        )
        .order_by(ContractMonth.id)
    ).all():
        process.lock_contract(db.session.get(ContractMonth, month_id).contract_id)
        month = _lock_month(month_id)
        try:
            done += int(close_month(month, now=now))
        except contract_money.ContractPaymentFailed as exc:
            log.warning("contract month %s: payout not made: %s", month_id, exc)
    return done


def _advance(contract: Contract, now: datetime) -> int:
    """One contract: settle an unanswered charge, cancel when unpaid too long, end it, or open its
    next month. Returns the number of steps taken."""
    last = current_month(contract)
    if last is not None and contract_money.pending_movements(last):
        before = last.state
        if contract_money.settle_pending(last, now=now) and last.state != before:
            _after_charge(last, _STATUS_OF.get(last.state))
        return 1
    if last is not None and last.state in (MonthState.failed, MonthState.requires_action):
        unpaid_since = last.failed_at or last.starts_at
        if now - unpaid_since >= _grace():
            process.apply(contract, "cancel", actor=None, now=now)
            return 1
        return 0
    if contract.state == S.paused:
        return 0
    next_start = contract.starts_at if last is None else last.ends_at
    if contract.resumed_at is not None and contract.resumed_at > next_start:
        next_start = contract.resumed_at
    if next_start > now:
        return 0
    if contract.state == S.ending and contract.ends_at is not None and next_start >= contract.ends_at:
        process.apply(contract, "end", actor=None, now=now)
        return 1
    if last is not None and contract.term_end_month is not None and last.number >= contract.term_end_month:
        if not contract.auto_renew or contract.state == S.ending:
            process.apply(contract, "end", actor=None, now=now)
            return 1
        process.apply(contract, "renew", actor=None, now=now)
    open_month(contract, now=now)
    return 1


def update_card(contract: Contract, *, actor: User, payment_method: str = "", card_setup: str = "") -> Contract:
    """The client replaces the card the months are charged to (a failed month is then paid with
    pay_month). Raises NotFound (not the client), InvalidTransition (contract closed),
    DomainError (no card), ContractPaymentFailed (the card cannot be saved)."""
    contract = process.lock_contract(contract.id)
    if actor.id != contract.client_id:
        raise NotFound(_l("This contract does not exist."))
    if contract.state not in (*RUNNING, S.paused):
        raise InvalidTransition(_l("This contract is not running."))
    if card_setup:  # Stripe: a card setup the client's browser confirmed
        contract_money.use_card_setup(contract, reference=card_setup)
        return contract
    if not (payment_method or "").strip():
        raise DomainError(_l("Enter the card the months are charged to."), field="card")
    contract_money.save_card(contract, payment_method=payment_method.strip(), email=actor.email)
    return contract
