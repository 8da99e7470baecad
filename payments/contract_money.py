"""The money of a monthly contract's months: charge, refund a share, pay out.

Each month is its own escrow amount in the ledger account CONTRACT_ESCROW, posted with the
month's id on every journal: captured from the client's saved card at the month's start,
then paid to the designer (minus the platform fee, the same rule as a case, computed on what
the month pays the designer) after its review window; a ruling on one of its cases refunds
part of it first. Called by contracts/ with the month row locked. As for cases
(payments.movements), every gateway call is a ContractMovement committed as pending before
asking, under a key unique to the month, kind, amount and attempt; an unanswered call stays
pending and `settle_pending` asks again under the same key (the gateway answers a repeated
key with its first answer), so money never moves twice. Journals carry keys of their own
(one capture per month, one refund per reason, one payout per month).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import db, independent_session
from models.contracts import Contract, ContractMonth, ContractMoveKind, ContractMovement, MonthState
from models.ledger import Entry, Journal, JournalKind
from models.types import utcnow
from payments import connect
from payments.fees import settlement_split
from payments.gateways import get_gateway
from payments.gateways.base import (
    ChargeResult,
    CardSetup,
    ChargeStatus,
    GatewayError,
    GatewayUnconfirmed,
    PaymentDeclined,
    SavedCard,
)
from payments.ledger import CONTRACT_ESCROW, PLATFORM_FEES, client_account, designer_account, post_journal

log = logging.getLogger(__name__)

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


class ContractPaymentFailed(DomainError):
    """The gateway could not be reached or refused: nothing changed on our side."""


def save_card(contract: Contract, *, payment_method: str, email: str) -> None:
    """Keep the client's card for the contract's monthly charges. Raises ContractPaymentFailed."""
    # Each save is its own request (a new card replaces the last one): a fresh key per attempt.
    key = f"contract-{contract.id}-card-{secrets.token_hex(6)}"
    try:
        card = get_gateway().save_card(payment_method=payment_method, email=email, idempotency_key=key)
    except PaymentDeclined as exc:
        raise ContractPaymentFailed(str(exc), field="card") from exc
    except GatewayError as exc:
        raise ContractPaymentFailed(
            _l("The payment service did not answer. Nothing was changed; please try again.")
        ) from exc
    contract.customer_reference, contract.payment_method_reference = card.customer, card.payment_method
    contract.card_last4 = card.last4


def start_card_setup(contract: Contract, *, email: str) -> CardSetup:
    """Stripe: a card setup the client's browser confirms (accept page, new card after a failed
    month), on the contract's Customer once it has one. Raises ContractPaymentFailed."""
    try:
        return get_gateway().start_card_setup(
            customer=contract.customer_reference,
            email=email,
            metadata={"contract": contract.reference, "client": str(contract.client_id)},
            # A SetupIntent that succeeded cannot be confirmed again: a fresh one per page; the
            # Customer of a contract not yet accepted is made once (within Stripe's 24 h of keys).
            idempotency_key=f"contract-{contract.id}-setup-{secrets.token_hex(6)}",
            customer_key=f"contract-{contract.id}-customer",
        )
    except GatewayError as exc:
        raise ContractPaymentFailed(
            _l("The payment service did not answer. Nothing was changed; please try again.")
        ) from exc


def use_card_setup(contract: Contract, *, reference: str) -> None:
    """Keep the card of a setup the client's browser confirmed. A setup made for another contract
    or client, or on another Customer than the contract's, is refused as one that failed: the
    contract keeps its card. Raises ContractPaymentFailed."""
    try:
        card, metadata = get_gateway().card_setup(reference)
    except PaymentDeclined as exc:
        raise ContractPaymentFailed(
            _l("Your card was not saved: %(reason)s Nothing was changed.", reason=str(exc)), field="card"
        ) from exc
    except GatewayError as exc:
        raise ContractPaymentFailed(
            _l("The payment service did not confirm your card. Nothing was changed; please try again.")
        ) from exc
    theirs = metadata.get("contract") == contract.reference and metadata.get("client") == str(contract.client_id)
    if not theirs or (contract.customer_reference and card.customer != contract.customer_reference):
        raise ContractPaymentFailed(
            _l("This card was not saved for this contract. Nothing was changed; please enter your card again."),
            field="card",
        )
    contract.customer_reference, contract.payment_method_reference = card.customer, card.payment_method
    contract.card_last4 = card.last4


def _start(
    month: ContractMonth, kind: ContractMoveKind, amount_cents: int, *, fee_cents: int = 0, tag: str = ""
) -> ContractMovement:
    """Write the movement as pending in its own transaction, before the gateway is asked.

    A movement of the same kind, reason and amount still pending (asked, no answer) is asked
    again under its own key instead: the gateway answers a repeated key with what it did, so a
    payout or refund retried by the next sweep never moves the money twice."""
    prefix = f"contract-month-{month.id}-{kind.value}{tag}-{amount_cents}-"
    waiting = db.session.scalar(
        sa.select(ContractMovement)
        .where(
            ContractMovement.month_id == month.id,
            ContractMovement.state == PENDING,
            ContractMovement.idempotency_key.startswith(prefix, autoescape=True),
        )
        .order_by(ContractMovement.id)
        .limit(1)
    )
    if waiting is not None:
        return waiting
    attempt = 1 + db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ContractMovement)
        .where(ContractMovement.month_id == month.id, ContractMovement.kind == kind)
    )
    with independent_session() as own:
        movement = ContractMovement(
            month_id=month.id,
            kind=kind,
            amount_cents=amount_cents,
            fee_cents=fee_cents,
            currency=month.currency,
            state=PENDING,
            idempotency_key=f"{prefix}{attempt}",
        )
        own.add(movement)
        own.flush()
        movement_id = movement.id
    return db.session.get(ContractMovement, movement_id, populate_existing=True)


def _note(movement: ContractMovement, state: str, *, reference: str | None = None, error: str | None = None) -> None:
    """A movement's outcome outlives the caller's transaction, like the movement itself."""
    with independent_session() as own:
        own.execute(
            sa.update(ContractMovement)
            .where(ContractMovement.id == movement.id)
            .values(state=state, reference=reference, error=(error or "")[:2000] or None)
        )
    db.session.refresh(movement)


def _ask(movement: ContractMovement, month: ContractMonth):
    """One call to the gateway for the movement; returns its answer, or None when none came."""
    gateway, contract, key = get_gateway(), month.contract, movement.idempotency_key
    try:
        if movement.kind == ContractMoveKind.charge:
            answer = gateway.charge_saved(
                card=SavedCard(contract.customer_reference, contract.payment_method_reference, contract.card_last4),
                amount_cents=movement.amount_cents,
                currency=month.currency,
                idempotency_key=key,
                metadata={"contract": contract.reference, "month": str(month.number)},
            )
        elif movement.kind == ContractMoveKind.refund:
            answer = gateway.refund(month.charge_reference, amount_cents=movement.amount_cents, idempotency_key=key)
        else:
            answer = gateway.transfer(
                amount_cents=movement.amount_cents,
                currency=month.currency,
                destination=_destination(contract),
                transfer_group=f"contract-{contract.reference}-m{month.number}",
                source_charge=month.source_charge,
                idempotency_key=key,
            )
    except GatewayUnconfirmed as exc:
        log.warning("contract month %s: %s unconfirmed: %s", month.id, key, exc)
        _note(movement, PENDING, error=str(exc))
        return None
    except (GatewayError, PaymentDeclined) as exc:
        _note(movement, FAILED, error=str(exc))
        raise ContractPaymentFailed(str(exc)) from exc
    _note(movement, SUCCEEDED, reference=answer.reference)
    return answer


def _destination(contract: Contract) -> str:
    destination = connect.payout_destination(contract.designer)
    gateway = get_gateway()
    if destination is None and gateway.name == "sandbox":
        destination = gateway.account_for(contract.designer_id)
    if destination is None:
        raise GatewayError("the designer has no payout account")
    return destination


# -- the month's charge ------------------------------------------------------------------------
def charge_month(month: ContractMonth, *, now: datetime | None = None) -> ChargeStatus | None:
    """Charge the month on the saved card. Returns succeeded (captured into escrow), requires_action
    (the client must confirm), declined, or None when the gateway did not answer (asked again
    by the sweep under the same key)."""
    movement = _start(month, ContractMoveKind.charge, month.amount_cents)
    month.attempts += 1
    try:
        answer: ChargeResult | None = _ask(movement, month)
    except ContractPaymentFailed as exc:
        _failed(month, str(exc), now)
        return ChargeStatus.declined
    return None if answer is None else _charged(month, answer, now)


def _charged(month: ContractMonth, answer: ChargeResult, now: datetime | None) -> ChargeStatus:
    if answer.reference:
        month.charge_reference = answer.reference
    month.source_charge = answer.charge or month.source_charge
    if answer.status == ChargeStatus.succeeded:
        capture(month, now=now)
    elif answer.status == ChargeStatus.requires_action:
        month.state, month.client_secret = MonthState.requires_action, answer.client_secret
    else:
        _failed(month, answer.decline_reason or "declined", now)
    return answer.status


def _failed(month: ContractMonth, reason: str, now: datetime | None) -> None:
    month.state, month.failure, month.failed_at = MonthState.failed, reason, now or utcnow()


def refresh_charge(month: ContractMonth, *, now: datetime | None = None) -> ChargeStatus:
    """After the client confirmed the charge (SCA): ask the gateway and capture once it succeeded."""
    try:
        status = get_gateway().charge_status(month.charge_reference)
    except GatewayError as exc:
        raise ContractPaymentFailed(_l("The payment service did not answer. Please try again in a moment.")) from exc
    if status == ChargeStatus.succeeded:
        capture(month, now=now)
    elif status == ChargeStatus.declined:
        _failed(month, "declined after confirmation", now)
    return status


def capture(month: ContractMonth, *, now: datetime | None = None) -> None:
    """The month's amount is in the platform's balance: client → contract escrow, once."""
    if month.captured_cents:
        return
    contract = month.contract
    post_journal(
        JournalKind.capture,
        [
            (client_account(contract.client_id), -month.amount_cents, month.currency),
            (CONTRACT_ESCROW, month.amount_cents, month.currency),
        ],
        idempotency_key=f"contract-month-{month.id}-capture",
        contract_month_id=month.id,
    )
    month.captured_cents, month.state, month.failure, month.client_secret = (
        month.amount_cents,
        MonthState.captured,
        None,
        None,
    )
    month.captured_at = now or utcnow()


# -- out of the month's escrow -----------------------------------------------------------------
def refund_part(month: ContractMonth, cents: int, *, reason: str) -> None:
    """Give `cents` of the month back to the client (a ruling on one of its cases, a cancellation).
    `reason` names it once (e.g. "case-12"): a second refund for the same reason is refused."""
    left = month.captured_cents - month.refunded_cents - month.paid_out_cents - month.fee_cents
    if not 0 < cents <= left:
        raise DomainError(_l("This month no longer holds that amount."), field="refund")
    movement = _start(month, ContractMoveKind.refund, cents, tag=f"-{reason}")
    if _ask(movement, month) is None:
        raise ContractPaymentFailed(
            _l("The payment service did not confirm the refund yet; it is checked again shortly.")
        )
    _post_refund(month, cents, reason)


def _post_refund(month: ContractMonth, cents: int, reason: str) -> None:
    post_journal(
        JournalKind.refund,
        [(CONTRACT_ESCROW, -cents, month.currency), (client_account(month.contract.client_id), cents, month.currency)],
        idempotency_key=f"contract-month-{month.id}-refund-{reason}",
        contract_month_id=month.id,
    )
    month.refunded_cents += cents


def pay_out_month(month: ContractMonth, *, now: datetime | None = None) -> int:
    """Pay what the month holds to the designer, minus the platform fee computed on it (the case
    rule, payments.fees); returns the net transferred. Raises ContractPaymentFailed."""
    part = month.captured_cents - month.refunded_cents - month.paid_out_cents - month.fee_cents
    split = settlement_split(part, part)
    if split.designer_net_cents:
        movement = _start(month, ContractMoveKind.transfer, split.designer_net_cents, fee_cents=split.fee_cents)
        if _ask(movement, month) is None:
            raise ContractPaymentFailed(_l("The payout was not confirmed yet; it is checked again shortly."))
    if part:
        post_journal(
            JournalKind.payout,
            [
                (CONTRACT_ESCROW, -part, month.currency),
                (designer_account(month.contract.designer_id), split.designer_net_cents, month.currency),
                (PLATFORM_FEES, split.fee_cents, month.currency),
            ],
            idempotency_key=f"contract-month-{month.id}-payout",
            contract_month_id=month.id,
        )
    month.paid_out_cents += split.designer_net_cents
    month.fee_cents += split.fee_cents
    month.state, month.paid_at = MonthState.paid_out, now or utcnow()
    return split.designer_net_cents


def pending_movements(month: ContractMonth) -> list[ContractMovement]:
    return list(
        db.session.scalars(
            sa.select(ContractMovement)
            .where(ContractMovement.month_id == month.id, ContractMovement.state == PENDING)
            .order_by(ContractMovement.id)
        )
    )


def settle_pending(month: ContractMonth, *, now: datetime | None = None) -> int:
    """Ask the gateway again, under the same key, for the month's unanswered charge; returns how
    many answered. Refunds and payouts are re-run by their own callers (their steps are keyed)."""
    done = 0
    for movement in pending_movements(month):
        if movement.kind != ContractMoveKind.charge:
            continue
        try:
            answer = _ask(movement, month)
        except ContractPaymentFailed as exc:
            _failed(month, str(exc), now)
            done += 1
            continue
        if answer is not None:
            _charged(month, answer, now)
            done += 1
    return done


# -- the books -----------------------------------------------------------------------------------
def month_escrow(month_id: int) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Entry.amount_cents), 0))
            .join(Journal, Entry.journal_id == Journal.id)
            .where(Journal.contract_month_id == month_id, Entry.account == CONTRACT_ESCROW)
        )
    )


def invariant_violations() -> list[str]:
    """Broken invariants of the contracts' escrow, in words (empty when right): each month holds
    what it captured less what left it, nothing once paid out, and the account is their sum."""
    problems, total = [], 0
    for month in db.session.scalars(sa.select(ContractMonth).order_by(ContractMonth.id)):
        held = month_escrow(month.id)
        expected = month.captured_cents - month.refunded_cents - month.paid_out_cents - month.fee_cents
        if month.state in (MonthState.paid_out, MonthState.void, MonthState.due, MonthState.failed) and expected:
            problems.append(f"month {month.id} is {month.state.value} and still accounts for {expected}")
        if held != expected:
            problems.append(f"month {month.id} holds {held} in escrow, not {expected}")
        total += held
    account = int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Entry.amount_cents), 0)).where(Entry.account == CONTRACT_ESCROW)
        )
    )
    if account != total:
        problems.append(f"the contracts' escrow holds {account} but the months account for {total}")
    return problems


# -- a case drawn from a month's allowance (called by cases.process) -------------------------
def case_money_effect(case, effect: str, *, refund_cents: int = 0) -> None:
    """The money effect of a case process step on an allowance case: the month holds the money,
    so capture, release, pay-out and refund move nothing (a cancelled case gives its place back;
    unused places are not refunded). A ruling or settlement that refunds part of the case takes
    it from the month's escrow, up to the case's share (its amount), before the month is paid
    out; after the payout nothing is left to refund from (the contract page says so)."""
    if effect != "settle" or not refund_cents:
        return
    month = db.session.scalar(
        sa.select(ContractMonth).where(ContractMonth.id == case.contract_month_id).with_for_update()
    )
    if month.state not in (MonthState.captured, MonthState.held):
        raise DomainError(
            _l("The month of this case has already been paid out: a ruling can no longer refund from it."),
            field="refund",
        )
    refund_part(month, refund_cents, reason=f"case-{case.id}")
