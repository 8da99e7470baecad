"""The ledger against the gateway's book, per case: settle what is unconfirmed, compare, alert staff.

Run for one case by the webhooks of its transfers and refunds, and for every case with
unfinished or recent movements by the minute sweep. A difference (money the gateway moved
that the ledger does not show, or the reverse) or a movement still unconfirmed after
PAYMENT_RETRY_AFTER_SECONDS is written to the audit log as "payment.mismatch" (once per
difference), which the back-office dashboard counts, and logged as a warning.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from audit.trail import record_action
from errors import Busy
from extensions import commit, db
from models.cases import Case
from models.ledger import Entry, Journal, JournalKind, MovementState, Payment, PaymentMovement
from models.moderation import AuditEntry
from models.types import utcnow
from payments import movements
from payments.gateways import get_gateway
from payments.gateways.base import GatewayBook, GatewayError
from payments.ledger import ESCROW

log = logging.getLogger(__name__)

MISMATCH = "payment.mismatch"
RECENT = timedelta(days=2)  # movements this recent are compared again, in case something changed on the gateway


def ledger_book(case: Case) -> GatewayBook:
    """What the ledger says the gateway did for the case: captured, refunded, transferred.
    Card disputes are the bank's movements, not the case's (disputes.chargebacks compares them)."""
    rows = db.session.execute(
        sa.select(Entry.account, Entry.amount_cents)
        .join(Journal, Entry.journal_id == Journal.id)
        .where(Journal.case_id == case.id, Journal.kind != JournalKind.chargeback)
    ).all()
    return GatewayBook(
        captured=sum(amount for account, amount in rows if account == ESCROW and amount > 0),
        refunded=sum(amount for account, amount in rows if account == f"client:{case.client_id}" and amount > 0),
        transferred=sum(amount for account, amount in rows if account == f"designer:{case.designer_id}"),
    )


def check_case(case: Case, *, now: datetime | None = None) -> list[str]:
    """Settle the case's unconfirmed movements, then compare the ledger with the gateway's book.

    The case row must be locked by the caller. Returns the differences in words (empty when
    they agree) and alerts staff about new ones. Flushes; the caller commits.
    """
    now = now or utcnow()
    payment = db.session.scalar(sa.select(Payment).where(Payment.case_id == case.id).with_for_update())
    if payment is None or payment.hold_reference is None:
        return []
    still = movements.reconcile(case, payment, now=now)
    wait = timedelta(seconds=current_app.config["PAYMENT_RETRY_AFTER_SECONDS"])
    problems = [
        f"{m.kind.value} {m.idempotency_key} of {m.amount_cents} "
        + ("was refused again" if m.state == MovementState.failed else "is still not confirmed")
        + f" ({m.error or 'no answer'})"
        for m in still
        # Refused when asked again: nothing will ask it a third time, so staff are told at once.
        if now - m.created_at >= wait or m.state == MovementState.failed
    ]
    try:
        gateway = get_gateway().book(
            hold_reference=payment.hold_reference, transfer_group=movements.transfer_group(case)
        )
    except GatewayError as exc:
        log.warning("case %s: the gateway's book cannot be read: %s", case.id, exc)
        return problems
    ledger = ledger_book(case)
    for name in ("captured", "refunded", "transferred"):
        if getattr(ledger, name) != getattr(gateway, name):
            problems.append(f"{name}: the ledger shows {getattr(ledger, name)}, the gateway {getattr(gateway, name)}")
    if problems:
        _alert(case, ledger, gateway, problems)
    return problems


def _alert(case: Case, ledger: GatewayBook, gateway: GatewayBook, problems: list[str]) -> None:
    after = {"gateway": vars(gateway), "problems": problems}
    last = db.session.scalar(
        sa.select(AuditEntry.after)
        .where(AuditEntry.action == MISMATCH, AuditEntry.object_type == "Case", AuditEntry.object_id == str(case.id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if last == after:
        return  # already reported, nothing new
    log.warning("case %s: the ledger and the gateway disagree: %s", case.id, "; ".join(problems))
    record_action(
        MISMATCH,
        case,
        actor=None,
        before={"ledger": vars(ledger)},
        after=after,
        reason="The ledger and the payment provider disagree on this case: check it and correct it.",
    )


def cases_to_check(now: datetime) -> list[int]:
    """Cases with an unconfirmed movement, or one that changed lately."""
    return list(
        db.session.scalars(
            sa.select(PaymentMovement.case_id)
            .where(sa.or_(PaymentMovement.state == MovementState.pending, PaymentMovement.updated_at >= now - RECENT))
            .distinct()
            .order_by(PaymentMovement.case_id)
        )
    )


def reconcile_payments(now: datetime) -> int:
    """The sweep: check every case with unfinished or recent movements, one unit of work each.
    Returns how many cases disagree with the gateway (alerted)."""
    disagreeing = 0
    for case_id in cases_to_check(now):
        try:
            case = db.session.scalar(
                sa.select(Case).where(Case.id == case_id).with_for_update().execution_options(populate_existing=True)
            )
            disagreeing += bool(check_case(case, now=now))
            commit()
        except Busy:
            db.session.rollback()  # a user is acting on the case: next sweep
    return disagreeing
