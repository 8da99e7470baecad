"""Payouts the gateway refused again: listed for staff, and asked again when staff say so.

A completion's payout is asked by a job, then by the sweep under a new key (payments.escrow,
payments.movements.reconcile); refused both times, nothing asks it a third time and staff are
alerted (payments.reconciliation). Most refusals come from the designer's payout account
(closed, restricted, not able to take transfers): once the payment provider says it can take
payouts again, they are asked again by themselves; staff can ask one again from the back office.
Each time under a new key, to the account the designer has now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from audit.trail import record_action
from errors import DomainError, NotFound
from extensions import commit, db
from jobs import enqueue
from jobs.runtime import job
from models.accounts import User
from models.cases import Case, CaseState
from models.ledger import MovementKind, MovementState, Payment, PaymentMovement, PaymentStatus
from pagination import PageNumbers
from payments import movements
from payments.escrow import payment_of, payout_destination

log = logging.getLogger(__name__)

ASKED_AGAIN = "payment.payout_asked_again"

# A completion pays out by job; a ruling's payout is asked in the ruling (refused, the ruling is).
DECIDED = (CaseState.completed, CaseState.resolved)


@dataclass(frozen=True)
class RefusedPayout:
    case_id: int
    case_reference: str
    designer_name: str
    amount_cents: int
    currency: str
    refused_at: datetime
    error: str | None


@dataclass(frozen=True)
class PayoutAskedAgain:
    state: MovementState  # succeeded, pending (the sweep settles it) or failed (refused again)
    error: str | None  # the provider's words when refused


def _refused() -> sa.Select:
    """Cases whose latest payout attempt was refused while their escrow still holds the money."""
    later = aliased(PaymentMovement)
    newer = sa.exists().where(
        later.case_id == PaymentMovement.case_id, later.kind == MovementKind.transfer, later.id > PaymentMovement.id
    )
    return (
        sa.select(PaymentMovement, Case.reference, User.display_name)
        .join(Case, Case.id == PaymentMovement.case_id)
        .join(Payment, Payment.id == PaymentMovement.payment_id)
        .join(User, User.id == Case.designer_id)
        .where(
            PaymentMovement.kind == MovementKind.transfer,
            PaymentMovement.state == MovementState.failed,
            ~newer,
            Payment.status == PaymentStatus.captured,
            Case.state.in_(DECIDED),
        )
    )


def refused_payouts_count() -> tuple[int, datetime | None]:
    """How many payouts wait for staff, and since when the oldest does (the dashboard's figure)."""
    subquery = _refused().subquery()
    return db.session.execute(sa.select(sa.func.count(), sa.func.min(subquery.c.updated_at))).one()


@dataclass
class RefusedPayoutsPage(PageNumbers):
    page: int
    per_page: int
    total: int
    items: list[RefusedPayout]


def refused_payouts(*, page: int, per_page: int) -> RefusedPayoutsPage:
    """A page of them, the longest waiting first."""
    total, _oldest = refused_payouts_count()
    rows = db.session.execute(
        _refused()
        .order_by(PaymentMovement.updated_at, PaymentMovement.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        RefusedPayout(
            case_id=movement.case_id,
            case_reference=reference,
            designer_name=designer_name,
            amount_cents=movement.amount_cents,
            currency=movement.currency,
            refused_at=movement.updated_at,
            error=movement.error,
        )
        for movement, reference, designer_name in rows
    ]
    return RefusedPayoutsPage(page=page, per_page=per_page, total=total, items=items)


def ask_again(case_id: int, *, actor: User | None) -> PayoutAskedAgain:
    """Ask the gateway once more for the case's refused payout, under a new key, to the designer's
    payout account as it is now. The outcome's state is succeeded (paid), pending (no answer: the
    sweep settles it from the gateway's book) or failed (refused again: the attempt is kept as a
    failed movement, so the payout stays listed, with the gateway's words in `error`). Every
    outcome is audited: who asked, and what the provider answered. The case is locked, then its
    payment (case before payment, as everywhere), so two staff members cannot pay it twice.
    `actor` None: the platform, when the designer's payout account became ready."""
    case = db.session.scalar(
        sa.select(Case).where(Case.id == case_id).with_for_update().execution_options(populate_existing=True)
    )
    if case is None:
        raise NotFound(_l("No such case."))
    payment = payment_of(case)
    refused = db.session.execute(_refused().where(PaymentMovement.case_id == case.id)).first()
    if refused is None:
        raise DomainError(_l("This payout is no longer waiting: it has been sent, or is being sent."))
    last = refused[0]
    movement = movements.start(
        payment,
        case,
        MovementKind.transfer,
        last.amount_cents,
        fee_cents=last.fee_cents,
        destination=payout_destination(case),
    )
    state = movements.ask(movement, payment, case)
    after = {"movement": movement.idempotency_key, "state": state.value}
    if state == MovementState.failed:
        after["error"] = movement.error
    record_action(
        ASKED_AGAIN,
        case,
        actor=actor,
        before={"movement": last.idempotency_key, "error": last.error},
        after=after,
        reason="The payout the payment provider refused was asked again"
        + ("." if actor is not None else ": the designer's payout account is ready again."),
    )
    return PayoutAskedAgain(state=state, error=movement.error if state == MovementState.failed else None)


def payout_account_ready(user: User, ready: bool) -> None:
    """Hook payouts_readiness_changed: the designer's payout account can take transfers again, so
    their refused payouts are asked again at once (by a job, after the commit that says so)."""
    if ready:
        enqueue(ask_again_for_designer, user.id)


@job
def ask_again_for_designer(designer_id: int) -> None:
    """Job: ask each of the designer's refused payouts again, one case (and commit) at a time.
    Idempotent: a payout sent meanwhile is no longer refused and is skipped."""
    case_ids = db.session.scalars(_refused().with_only_columns(Case.id).where(Case.designer_id == designer_id))
    for case_id in list(case_ids):
        try:
            outcome = ask_again(case_id, actor=None)
        except DomainError as exc:  # sent meanwhile: nothing to ask
            db.session.rollback()
            log.warning("case %s: refused payout not asked again: %s", case_id, exc.message)
            continue
        commit()  # the attempt's audit row, whatever the provider answered
        if outcome.state == MovementState.failed:  # it stays listed for staff
            log.warning("case %s: refused payout refused again: %s", case_id, outcome.error)
