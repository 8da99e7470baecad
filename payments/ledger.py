"""The double-entry ledger: every money movement is one journal whose lines sum to zero.

Signs: a positive amount flows into the account. Capturing a case's payment is
`client:<id> −A, escrow +A`; paying it out is `escrow −A, designer:<id> +(A−fee),
platform:fees +fee`. Balances are sums of entries; nothing keeps a running total.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa

from extensions import db
from models.cases import ESCROW_STATES, Case
from models.ledger import Entry, Journal, JournalKind, MovementKind, MovementState, PaymentMovement

ESCROW = "escrow"
# The months of monthly contracts: each month's amount from its capture to its payout (contracts/).
CONTRACT_ESCROW = "escrow:contracts"
PLATFORM_FEES = "platform:fees"
# Card disputes (disputes.chargebacks): funds the cardholder's bank took back through Stripe,
# Stripe's dispute fees, and the platform's own money lost to them.
CARD_DISPUTED = "gateway:disputed"
CARD_DISPUTE_FEES = "gateway:dispute_fees"
PLATFORM_CHARGEBACKS = "platform:chargebacks"


def client_account(user_id: int) -> str:
    return f"client:{user_id}"


def designer_account(user_id: int) -> str:
    return f"designer:{user_id}"


class UnbalancedJournal(ValueError):
    """The lines of a journal do not sum to zero: a programming error, never a user's."""


def post_journal(
    kind: JournalKind,
    lines: Iterable[tuple[str, int, str]],
    *,
    idempotency_key: str,
    case: Case | None = None,
    contract_month_id: int | None = None,
) -> Journal:
    """Write one balanced journal of (account, signed amount in cents, currency) lines.

    Zero lines are dropped. Raises UnbalancedJournal when the lines do not sum to zero per
    currency; the unique idempotency key makes a second journal for the same movement fail
    with IntegrityError at flush, which aborts the unit of work that tried it.
    """
    lines = [(account, int(amount), currency) for account, amount, currency in lines if amount]
    totals: dict[str, int] = defaultdict(int)
    for _account, amount, currency in lines:
        totals[currency] += amount
    if not lines or any(totals.values()):
        raise UnbalancedJournal(f"journal {idempotency_key} does not balance: {dict(totals)}")
    journal = Journal(
        kind=kind,
        case_id=case.id if case is not None else None,
        contract_month_id=contract_month_id,
        idempotency_key=idempotency_key,
    )
    journal.entries = [Entry(account=a, amount_cents=amt, currency=c) for a, amt, c in lines]
    db.session.add(journal)
    db.session.flush()
    return journal


def balance(account: str, currency: str | None = None) -> int:
    """The sum of an account's entries (in one currency if given)."""
    query = sa.select(sa.func.coalesce(sa.func.sum(Entry.amount_cents), 0)).where(Entry.account == account)
    if currency:
        query = query.where(Entry.currency == currency)
    return int(db.session.scalar(query))


def escrow_balance(currency: str | None = None) -> int:
    return balance(ESCROW, currency)


def case_escrow_balance(case_id: int) -> int:
    """What escrow holds for one case: its captures minus what left for it."""
    query = (
        sa.select(sa.func.coalesce(sa.func.sum(Entry.amount_cents), 0))
        .join(Journal, Entry.journal_id == Journal.id)
        .where(Journal.case_id == case_id, Entry.account == ESCROW)
    )
    return int(db.session.scalar(query))


def client_refunds(case: Case) -> list[tuple[int, int]]:
    """(journal id, cents) of each journal that gave a case's money back to its client (a refund,
    a ruling's or settlement's refund, funds a card dispute returned), oldest first."""
    query = (
        sa.select(Journal.id, sa.func.sum(Entry.amount_cents))
        .join(Entry, Entry.journal_id == Journal.id)
        .where(Journal.case_id == case.id, Entry.account == client_account(case.client_id), Entry.amount_cents > 0)
        .group_by(Journal.id)
        .order_by(Journal.id)
    )
    return [(journal_id, int(cents)) for journal_id, cents in db.session.execute(query).all()]


def unbalanced_journals() -> list[int]:
    """Ids of journals whose entries do not sum to zero in some currency (should be none)."""
    query = (
        sa.select(Entry.journal_id)
        .group_by(Entry.journal_id, Entry.currency)
        .having(sa.func.sum(Entry.amount_cents) != 0)
    )
    return sorted(set(db.session.scalars(query)))


def invariant_violations() -> list[str]:
    """Every broken ledger invariant, in words (empty when the books are right).

    1. every journal sums to zero per currency;
    2. each case's escrow holds its amount while the money is in escrow and nothing once it
       left, give or take the movements the gateway has not confirmed yet (a capture not yet
       in, a refund or transfer not yet out);
    3. no case has a negative escrow balance (nothing left escrow twice).
    A case frozen by a card dispute holds its amount less what the bank took back.
    """
    problems = [f"journal {j} does not sum to zero" for j in unbalanced_journals()]
    per_case = dict(
        db.session.execute(
            sa.select(Journal.case_id, sa.func.sum(Entry.amount_cents))
            .join(Entry, Entry.journal_id == Journal.id)
            .where(Entry.account == ESCROW)
            .group_by(Journal.case_id)
        ).all()
    )
    in_flight: dict[int, int] = {}
    for movement in db.session.scalars(
        sa.select(PaymentMovement).where(PaymentMovement.state == MovementState.pending)
    ):
        change = {MovementKind.capture: -movement.amount_cents, MovementKind.release: 0}.get(
            movement.kind, movement.amount_cents + movement.fee_cents
        )
        in_flight[movement.case_id] = in_flight.get(movement.case_id, 0) + change
    # A card dispute takes a frozen case's money out of escrow while the bank decides (disputes.chargebacks).
    card_disputed = dict(
        db.session.execute(
            sa.select(Journal.case_id, sa.func.sum(Entry.amount_cents))
            .join(Entry, Entry.journal_id == Journal.id)
            .where(Entry.account == ESCROW, Journal.kind == JournalKind.chargeback)
            .group_by(Journal.case_id)
        ).all()
    )
    touched = {case_id for case_id in (*per_case, *in_flight) if case_id is not None}
    cases = db.session.execute(
        sa.select(Case.id, Case.state, Case.amount_cents).where(
            # A contract's allowance case has no escrow of its own: its month holds the money.
            sa.or_(Case.id.in_(touched), sa.and_(Case.state.in_(ESCROW_STATES), Case.contract_month_id.is_(None)))
        )
    ).all()
    expected_total = 0
    for case_id, state, amount in cases:
        held = per_case.get(case_id, 0)
        held_for_case = amount + card_disputed.get(case_id, 0) if state in ESCROW_STATES else 0
        expected = held_for_case + in_flight.get(case_id, 0)
        expected_total += expected
        if held < 0:
            problems.append(f"case {case_id}: escrow paid out more than it captured ({held})")
        elif held != expected:
            problems.append(f"case {case_id} is {state} and escrow holds {held} for it, not {expected}")
    if escrow_balance() != expected_total:
        problems.append(f"escrow holds {escrow_balance()} but the cases account for {expected_total}")
    return problems


def credited_between(account: str, start: datetime, end: datetime) -> dict[str, int]:
    """{currency: cents} that flowed into `account` by journals posted in [start, end): for a
    designer, what they earned (net of the fee) in that period."""
    rows = db.session.execute(
        sa.select(Entry.currency, sa.func.sum(Entry.amount_cents))
        .join(Journal, Entry.journal_id == Journal.id)
        .where(Entry.account == account, Entry.amount_cents > 0, Journal.created_at >= start, Journal.created_at < end)
        .group_by(Entry.currency)
    ).all()
    return {currency: int(total) for currency, total in rows if total}
