"""A rolling contract of 3 cases a month at $300, driven through the minute sweep with a given
`now`: each month charged at its start, cases drawn from the allowance and one extra case
charged on its own, month 1 paid out after its review window, a dispute in month 2 holding
that month until the ruling refunds part of the disputed case's share, a failed charge in
month 3 that stops new cases until the client pays, and notice that ends the contract after
month 3. The ledger's invariants hold after every month."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases import process as case_process
from contracts import casework, months
from contracts.calendar import add_months
from contracts.process import give_notice
from contracts.queries import current_month, place_of, used_places
from disputes import operations as disputes
from errors import InvalidTransition
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.accounts import StaffRole
from models.cases import CaseState
from models.contracts import ContractMonth, ContractState, MonthState
from models.ledger import Payment, PaymentStatus
from models.messaging import Notification
from payments import contract_money
from payments.fees import platform_fee
from payments.ledger import (
    CONTRACT_ESCROW,
    ESCROW,
    PLATFORM_FEES,
    balance,
    client_account,
    designer_account,
    invariant_violations,
)
from tests.contracts.factories import NO_FUNDS, START, VISA, accepted, parties, reload
from tests.disputes.factories import STATEMENT, stored
from tests.factories import make_user

PRICE, SHARE = 30_000, 10_000
REASONING = "The crown on 36 was delivered with open margins; half of its share goes back to the lab."


def books_are_right() -> None:
    assert invariant_violations() == []
    assert contract_money.invariant_violations() == []


def sweep(at):
    result = run_sweeps(at)
    assert result["contracts.months:apply_due"] >= 0, "the contracts sweep failed"
    db.session.expire_all()
    return result


def send(contract, client, at, *, extra=False):
    case = casework.send_contract_case(
        contract, actor=client, instructions="Anatomic crown on 36, contacts tight.", extra_confirmed=extra, now=at
    )
    commit()
    return case


def accept_and_deliver(case, designer, at):
    case_process.accept_case(case, actor=designer, now=at)
    case_process.deliver_case(case, actor=designer, note="First design", files=[stored(designer)], now=at)
    commit()


def notified(user, event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.event == event)
    )


def test_three_months_through_the_sweep(request_context):
    client, designer = parties()
    agent = make_user(name="Alex Agent", roles=(StaffRole.resolution_agent,))
    contract = accepted(client, designer)
    m2_start, m3_start, m4_start = (add_months(START, n) for n in (1, 2, 3))

    # -- month 1: charged at its start, 3 places, then an extra case at the extra price ----------
    sweep(START + timedelta(minutes=1))
    month1 = current_month(contract)
    assert (month1.number, month1.state, month1.captured_cents, month1.allowance) == (1, MonthState.captured, PRICE, 3)
    assert balance(CONTRACT_ESCROW) == PRICE and balance(client_account(client.id)) == -PRICE
    day = START + timedelta(days=1)
    cases = [send(contract, client, day) for _ in range(3)]
    assert [place_of(c) for c in cases] == [(1, 3), (2, 3), (3, 3)]
    assert all(c.amount_cents == SHARE and c.contract_month_id == month1.id for c in cases)
    with pytest.raises(casework.ExtraCaseNeedsConfirmation):
        send(contract, client, day)
    extra = send(contract, client, day, extra=True)
    assert extra.contract_month_id is None and extra.contract_id == contract.id and extra.amount_cents == 12_000
    for case in [*cases, extra]:
        accept_and_deliver(case, designer, day)
    assert balance(ESCROW) == 12_000  # the extra case is in the ordinary escrow, as any case
    case_process.complete_case(extra, actor=client, now=day)
    case_process.complete_case(cases[0], actor=client, now=day)
    commit()
    assert db.session.scalar(sa.select(Payment).where(Payment.case_id == extra.id)).status == PaymentStatus.paid_out
    assert balance(ESCROW) == 0 and balance(CONTRACT_ESCROW) == PRICE  # an allowance case pays nothing alone
    books_are_right()

    # -- month 2: charged; a case disputed ----------------------------------------------------
    sweep(m2_start)
    month2 = current_month(contract)
    assert (month2.number, month2.state, month2.starts_at) == (2, MonthState.captured, m2_start)
    assert balance(CONTRACT_ESCROW) == 2 * PRICE
    in_dispute = send(contract, client, m2_start + timedelta(days=1))
    assert place_of(in_dispute) == (1, 3)
    accept_and_deliver(in_dispute, designer, m2_start + timedelta(days=1))
    dispute = disputes.open_dispute(
        in_dispute, actor=client, reason="poor_quality", statement=STATEMENT, now=m2_start + timedelta(days=3)
    )
    commit()
    books_are_right()

    # month 1's review window ends: paid to the designer minus the fee on the month
    sweep(month1.review_until)
    month1 = reload(month1)
    assert month1.state == MonthState.paid_out
    assert month1.fee_cents == platform_fee(PRICE) == 2_700 and month1.paid_out_cents == PRICE - 2_700
    assert balance(designer_account(designer.id)) == (12_000 - platform_fee(12_000)) + PRICE - 2_700
    assert balance(CONTRACT_ESCROW) == PRICE
    assert notified(designer, "payout_sent") == 2  # the extra case and month 1
    books_are_right()

    # -- month 3: the charge fails, new cases stop until the client pays -----------------------
    months.update_card(contract, actor=client, payment_method=NO_FUNDS)
    commit()
    sweep(m3_start)
    month3 = current_month(contract)
    assert (month3.number, month3.state, month3.captured_cents) == (3, MonthState.failed, 0)
    assert notified(client, "contract_payment") == 1 and notified(designer, "contract_payment") == 1
    with pytest.raises(InvalidTransition):
        send(contract, client, m3_start + timedelta(hours=1))
    db.session.rollback()
    months.pay_month(contract, month3, actor=client, payment_method=VISA, now=m3_start + timedelta(days=1))
    commit()
    assert reload(month3).state == MonthState.captured and reload(month3).attempts == 2
    late = send(contract, client, m3_start + timedelta(days=1))
    assert place_of(late) == (1, 3)
    books_are_right()

    # month 2's review window ends while its case is disputed: held, not paid
    sweep(month2.review_until)
    month2 = reload(month2)
    assert month2.state == MonthState.held and month2.paid_out_cents == 0
    # the ruling splits the disputed case: half of its share back to the client, from month 2
    disputes.rule_dispute(
        dispute,
        actor=agent,
        outcome="split",
        designer_cents=SHARE // 2,
        reasoning=REASONING,
        now=month2.review_until + timedelta(hours=1),
    )
    commit()
    assert reload(in_dispute).state == CaseState.resolved
    assert reload(month2).refunded_cents == SHARE // 2
    books_are_right()
    sweep(month2.review_until + timedelta(hours=2))
    month2 = reload(month2)
    paid2 = PRICE - SHARE // 2
    assert month2.state == MonthState.paid_out
    assert (month2.fee_cents, month2.paid_out_cents) == (platform_fee(paid2), paid2 - platform_fee(paid2))
    books_are_right()

    # -- notice during month 3: 20 days end it with month 3, no month 4 is charged ------------------
    give_notice(contract, actor=client, now=m3_start + timedelta(days=5))
    commit()
    assert reload(contract).ends_at == m4_start
    sweep(m4_start)
    contract = reload(contract)
    assert contract.state == ContractState.ended
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContractMonth)) == 3
    sweep(reload(month3).review_until)
    assert reload(month3).state == MonthState.paid_out
    assert balance(CONTRACT_ESCROW) == 0
    # every cent accounted for: the client paid 3 months and the extra case, less the refund
    assert balance(client_account(client.id)) == -(3 * PRICE + 12_000) + SHARE // 2
    fees = platform_fee(12_000) + 2 * platform_fee(PRICE) + platform_fee(paid2)
    assert balance(PLATFORM_FEES) == fees
    # the designer never accepted month 3's case: it expired and gave its place back
    assert reload(late).state == CaseState.expired and used_places(reload(month3)) == 0
    books_are_right()
