"""Card disputes (chargebacks) from Stripe: the platform's record, the ledger, and the case's freeze.

Stripe sends charge.dispute.created / updated / closed (and funds_withdrawn / reinstated),
at least once and in any order, each with the dispute's current state. So everything here
works from that state, not from the event's name:

- The record (models.chargebacks) takes the newest snapshot (by the event's `created`); a
  closed dispute (won, lost) never reopens, whatever arrives after it.
- The money follows Stripe's own book: each balance transaction of the dispute (the disputed
  amount and the fee withdrawn, the amount reinstated when won) is one ledger journal keyed by
  its id, so a closed event arriving first posts both, and a later created posts nothing.
  Lines of a balance transaction of `amount` (signed, + back to the platform) and `fee`:
  funds account +amount, platform:chargebacks −fee, gateway:disputed −amount,
  gateway:dispute_fees +fee. Stripe keeps the fee whether the dispute is won or lost.
- The funds account is the case's escrow while its money is still there: the case is frozen
  under a platform dispute (reason "card dispute") and escrow pays nothing out while the bank
  decides (payments.escrow refuses). Won, the money is back and the agent rules as usual;
  lost, the agent's full refund records what the bank returned (payments.escrow, without
  asking Stripe). When the designer was already paid, it is
  platform:chargebacks: the platform bears the loss, and staff are told (audit
  "chargeback.platform_loss", counted on the dashboard).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from audit.trail import record_action
from disputes import operations
from extensions import db
from models.cases import ESCROW_STATES, Case, CaseState
from models.chargebacks import CLOSED_STATUSES, Chargeback
from models.disputes import DisputeReason
from models.ledger import Entry, Journal, JournalKind, Payment
from models.types import utcnow
from payments.ledger import (
    CARD_DISPUTE_FEES,
    CARD_DISPUTED,
    ESCROW,
    PLATFORM_CHARGEBACKS,
    case_escrow_balance,
    post_journal,
)

log = logging.getLogger(__name__)

DISPUTED, DISPUTE_FEES = CARD_DISPUTED, CARD_DISPUTE_FEES
PLATFORM_LOSS = "chargeback.platform_loss"

# Stripe's statuses and reasons, in the agents' words (an unknown one is shown as Stripe sent it).
STATUS_LABELS = {
    "warning_needs_response": _l("Inquiry: the bank asks for information"),
    "warning_under_review": _l("Inquiry: information sent, under review"),
    "warning_closed": _l("Inquiry closed without a dispute"),
    "needs_response": _l("Evidence needed"),
    "under_review": _l("Evidence sent, the bank is reviewing it"),
    "won": _l("Won: the money came back"),
    "lost": _l("Lost: the money stays with the cardholder"),
}
REASON_LABELS = {
    "fraudulent": _l("The cardholder says they did not make the payment"),
    "product_not_received": _l("The cardholder says nothing was received"),
    "product_unacceptable": _l("The cardholder says the work was unacceptable"),
    "duplicate": _l("The cardholder says they were charged twice"),
    "credit_not_processed": _l("The cardholder says a promised refund was not made"),
    "unrecognized": _l("The cardholder does not recognise the payment"),
    "general": _l("No specific reason given by the bank"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason.replace("_", " ")))


def payment_of_charge(obj: dict) -> Payment | None:
    """The case payment a Stripe dispute is about: by its charge, else by its PaymentIntent."""
    charge, intent = obj.get("charge"), obj.get("payment_intent")
    if isinstance(charge, dict):
        charge = charge.get("id")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if charge:
        payment = db.session.scalar(sa.select(Payment).where(Payment.charge_reference == charge))
        if payment is not None:
            return payment
    return db.session.scalar(sa.select(Payment).where(Payment.hold_reference == intent)) if intent else None


def apply_stripe_dispute(obj: dict, *, as_of: int, now: datetime | None = None) -> Chargeback | None:
    """Bring the platform's record, the ledger and the case in line with a Stripe dispute's state.

    Returns the record, or None for a dispute on a charge that is not a case's. Idempotent:
    the same snapshot applied twice changes nothing. Flushes; the caller commits.
    """
    now = now or utcnow()
    payment = payment_of_charge(obj)
    if payment is None or payment.case_id is None:
        return None
    case = db.session.scalar(
        sa.select(Case).where(Case.id == payment.case_id).with_for_update().execution_options(populate_existing=True)
    )
    chargeback = _locked_record(obj["id"])
    if chargeback is None:
        chargeback = _open(obj, case, payment, now=now)
    _take_snapshot(chargeback, obj, as_of=as_of, now=now)
    for transaction in obj.get("balance_transactions") or []:
        _post_balance_transaction(chargeback, case, transaction)
    return chargeback


def _locked_record(stripe_dispute_id: str) -> Chargeback | None:
    return db.session.scalar(
        sa.select(Chargeback)
        .where(Chargeback.stripe_dispute_id == stripe_dispute_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _open(obj: dict, case: Case, payment: Payment, *, now: datetime) -> Chargeback:
    amount = int(obj["amount"])
    in_escrow = case.state in ESCROW_STATES and case_escrow_balance(case.id) >= amount
    chargeback = Chargeback(
        stripe_dispute_id=obj["id"],
        charge_reference=payment.charge_reference or "",
        case_id=case.id,
        status=str(obj.get("status") or "needs_response"),
        reason=str(obj.get("reason") or "general"),
        amount_cents=amount,
        currency=case.currency,
        evidence_due_by=_evidence_due_by(obj),
        funds_account=ESCROW if in_escrow else PLATFORM_CHARGEBACKS,
        opened_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(chargeback)
    except IntegrityError:
        return _locked_record(obj["id"])  # recorded meanwhile by another delivery of its events
    record_action(
        "chargeback.opened",
        chargeback,
        actor=None,
        after={
            "case": case.reference,
            "status": chargeback.status,
            "reason": chargeback.reason,
            "amount_cents": amount,
            "funds_account": chargeback.funds_account,
        },
    )
    if in_escrow:
        _freeze(chargeback, case, now=now)
    else:
        record_action(
            PLATFORM_LOSS,
            case,
            actor=None,
            after={"chargeback": obj["id"], "amount_cents": amount},
            reason="The designer was already paid: the platform bears this card dispute. "
            "Answer it on Stripe with the case record and contact the client.",
        )
    log.warning("case %s: card dispute %s of %s cents (%s)", case.id, obj["id"], amount, chargeback.funds_account)
    return chargeback


def _freeze(chargeback: Chargeback, case: Case, *, now: datetime) -> None:
    """The case's money is in escrow: it stays there under a platform dispute while the bank decides."""
    dispute = operations.active_dispute(case)
    if dispute is None and case.state == CaseState.disputed:
        dispute = operations.record_missing_dispute(case, now=now)
    if dispute is None:
        dispute = operations.open_dispute(case, actor=None, reason=DisputeReason.card_dispute, now=now)
    chargeback.dispute_id = dispute.id
    db.session.flush()


# How far along a dispute is: two events of the same second are ordered by it.
_PROGRESS = {"warning_needs_response": 0, "needs_response": 0, "warning_under_review": 1, "under_review": 1}


def _is_older(chargeback: Chargeback, status: str, as_of: int) -> bool:
    if status in CLOSED_STATUSES:
        return False
    if as_of != chargeback.synced_at:
        return as_of < chargeback.synced_at
    return _PROGRESS.get(status, 0) < _PROGRESS.get(chargeback.status, 0)


def _take_snapshot(chargeback: Chargeback, obj: dict, *, as_of: int, now: datetime) -> None:
    status = str(obj.get("status") or chargeback.status)
    if not chargeback.is_open or _is_older(chargeback, status, as_of):
        return  # closed for good, or an older snapshot than the one applied
    before = {"status": chargeback.status, "amount_cents": chargeback.amount_cents}
    chargeback.status = status
    chargeback.reason = str(obj.get("reason") or chargeback.reason)
    chargeback.amount_cents = int(obj.get("amount") or chargeback.amount_cents)
    chargeback.evidence_due_by = _evidence_due_by(obj) or chargeback.evidence_due_by
    chargeback.synced_at = max(as_of, chargeback.synced_at)
    if status in CLOSED_STATUSES:
        chargeback.closed_at = now
    db.session.flush()
    after = {"status": chargeback.status, "amount_cents": chargeback.amount_cents}
    if after != before:
        record_action(
            "chargeback.closed" if status in CLOSED_STATUSES else "chargeback.updated",
            chargeback,
            actor=None,
            before=before,
            after=after,
        )


def _post_balance_transaction(chargeback: Chargeback, case: Case, transaction: dict) -> None:
    key = f"chargeback-{chargeback.stripe_dispute_id}-{transaction['id']}"
    if db.session.scalar(sa.select(Journal.id).where(Journal.idempotency_key == key)) is not None:
        return
    amount, fee, currency = int(transaction.get("amount") or 0), int(transaction.get("fee") or 0), case.currency
    if not amount and not fee:
        return
    post_journal(
        JournalKind.chargeback,
        [
            (chargeback.funds_account, amount, currency),
            (PLATFORM_CHARGEBACKS, -fee, currency),
            (DISPUTED, -amount, currency),
            (DISPUTE_FEES, fee, currency),
        ],
        idempotency_key=key,
        case=case,
    )
    record_action(
        "chargeback.money",
        chargeback,
        actor=None,
        after={
            "balance_transaction": transaction["id"],
            "amount_cents": amount,
            "fee_cents": fee,
            "account": chargeback.funds_account,
        },
    )


def _evidence_due_by(obj: dict) -> datetime | None:
    due = (obj.get("evidence_details") or {}).get("due_by")
    return datetime.fromtimestamp(int(due), tz=timezone.utc) if due else None


def ledger_net(chargeback: Chargeback) -> int:
    """What the ledger says the dispute cost the platform's Stripe balance so far (signed cents,
    − taken): Stripe's own figure is the sum of the dispute's balance transactions' net."""
    prefix = f"chargeback-{chargeback.stripe_dispute_id}-"
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Entry.amount_cents), 0))
        .join(Journal, Entry.journal_id == Journal.id)
        .where(Journal.idempotency_key.startswith(prefix, autoescape=True), Entry.account.in_((DISPUTED, DISPUTE_FEES)))
    )
    return -int(total)


# Built once (the resolution centre's queue reads it on every page).
_CARD_DISPUTED = sa.select(Chargeback.case_id).where(Chargeback.case_id.in_(sa.bindparam("case_ids", expanding=True)))


def card_disputed_cases(case_ids: list[int]) -> set[int]:
    """Which of these cases have a card dispute (the resolution centre's queue marks them)."""
    if not case_ids:
        return set()
    return set(db.session.scalars(_CARD_DISPUTED, {"case_ids": list(case_ids)}))


def chargebacks_of(case: Case) -> list[Chargeback]:
    return list(db.session.scalars(sa.select(Chargeback).where(Chargeback.case_id == case.id).order_by(Chargeback.id)))
