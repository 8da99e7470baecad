"""A designer's money at a glance, for their home page: earned this month, in escrow, payouts.

Every figure comes from the ledger (payments.ledger) or from payments.case_money, never from
prices stored beside the cases: what the ledger moved is what was earned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from flask_babel import lazy_gettext as _l

from extensions import db
from models.accounts import User
from models.cases import ESCROW_STATES, Case
from models.ledger import MovementKind, MovementState, PaymentMovement
from payments.case_money import case_money_of
from payments.ledger import credited_between, designer_account

PAYOUT_STATUS = {
    MovementState.succeeded: (_l("Payout sent"), "badge-ok"),
    MovementState.pending: (_l("Being sent"), "badge-warn"),
    # A refused attempt the sweep asks again is superseded by its retry (payouts lists the
    # latest attempt only): a failed one shown is one the gateway refused again, for staff.
    MovementState.failed: (_l("Not sent: our payments team has been alerted"), "badge-danger"),
}


@dataclass(frozen=True)
class Payout:
    """One transfer of a case's earnings to the designer's payout account."""

    case_reference: str
    listing_title: str
    amount_cents: int
    currency: str
    state: MovementState
    at: datetime

    @property
    def status_label(self) -> str:
        return str(PAYOUT_STATUS[self.state][0])

    @property
    def status_badge(self) -> str:
        return PAYOUT_STATUS[self.state][1]


def month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime) -> datetime:
    start = month_start(now)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def earned_this_month(designer: User, now: datetime) -> dict[str, int]:
    """{currency: cents} paid to the designer (after the fee) since the 1st of this month, UTC."""
    return credited_between(designer_account(designer.id), month_start(now), next_month_start(now))


@dataclass(frozen=True)
class Escrow:
    held: dict[str, int]  # {currency: cents} captured for the designer's open cases
    net: dict[str, int]  # {currency: cents} they receive on completion (after the fee; disputed ones wait)
    cases: int


def in_escrow(designer: User) -> Escrow:
    """The money captured for the designer's cases that waits for completion or a ruling, as
    case_money counts it."""
    cases = db.session.scalars(
        sa.select(Case).where(Case.designer_id == designer.id, Case.state.in_(ESCROW_STATES))
    ).all()
    held: dict[str, int] = {}
    net: dict[str, int] = {}
    for money in case_money_of(cases).values():
        if money.in_escrow_cents:
            held[money.currency] = held.get(money.currency, 0) + money.in_escrow_cents
            net[money.currency] = net.get(money.currency, 0) + money.designer_net_cents
    return Escrow(held, net, len(cases))


def payouts(designer: User, *, limit: int = 10) -> list[Payout]:
    """The designer's latest payouts, newest first, with their status (one statement): one row
    per payout, its latest attempt (an attempt asked again under a new key is not a payout)."""
    retry = aliased(PaymentMovement)
    superseded = sa.exists().where(
        retry.case_id == PaymentMovement.case_id, retry.kind == PaymentMovement.kind, retry.id > PaymentMovement.id
    )
    rows = db.session.execute(
        sa.select(PaymentMovement, Case.reference, Case.listing_title)
        .join(Case, Case.id == PaymentMovement.case_id)
        .where(Case.designer_id == designer.id, PaymentMovement.kind == MovementKind.transfer, ~superseded)
        .order_by(PaymentMovement.created_at.desc(), PaymentMovement.id.desc())
        .limit(limit)
    ).all()
    return [
        Payout(reference, title, movement.amount_cents, movement.currency, movement.state, movement.updated_at)
        for movement, reference, title in rows
    ]
