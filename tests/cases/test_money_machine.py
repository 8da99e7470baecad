"""Random sequences of actions on a few cases: money is never created, lost or paid twice."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cases.process import TRANSITIONS
from errors import DomainError
from extensions import commit, db
from models.cases import Case, CaseState
from models.ledger import Entry, Payment, PaymentStatus
from payments.ledger import ESCROW, PLATFORM_FEES, balance, invariant_violations
from tests.cases.factories import make_case, make_parties
from tests.cases.runner import run

ACTION_ROLES = sorted(
    {(action, role) for (_s, action), t in TRANSITIONS.items() if _s is not None for role in t.by}
    | {("complete", "designer"), ("accept", "client")}
)


class CaseMoney(RuleBasedStateMachine):
    """Drives any action by any role on three cases; refusals must change nothing."""

    def __init__(self):
        super().__init__()
        self.case_ids: list[int] = []
        self.paid_once: dict[int, int] = {}

    @initialize()
    def open_cases(self):
        client, designer = make_parties()
        for amount in (700, 3_877, 25_000):
            self.case_ids.append(make_case(client, designer, amount_cents=amount).id)

    @rule(index=st.integers(0, 2), action_role=st.sampled_from(ACTION_ROLES))
    def act(self, index, action_role):
        action, role = action_role
        case = db.session.get(Case, self.case_ids[index])
        try:
            run(case, action, role)
            commit()
        except DomainError:
            db.session.rollback()

    @invariant()
    def books_balance(self):
        assert invariant_violations() == []

    @invariant()
    def money_out_never_exceeds_money_in(self):
        for case_id in self.case_ids:
            case = db.session.get(Case, case_id)
            payment = db.session.scalar(sa.select(Payment).where(Payment.case_id == case_id))
            out = payment.paid_out_cents + payment.fee_cents + payment.refunded_cents
            assert out in (0, payment.captured_cents)
            if case.state == CaseState.completed:
                assert payment.status == PaymentStatus.paid_out and out == case.amount_cents
            if case.state in (CaseState.cancelled, CaseState.rejected, CaseState.expired):
                assert payment.status in (PaymentStatus.released, PaymentStatus.refunded)
        captured = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Payment.captured_cents), 0)))
        left = sum(
            balance(a)
            for a in db.session.scalars(sa.select(Entry.account).distinct())
            if a.startswith(("designer:", "client:")) or a in (ESCROW, PLATFORM_FEES)
        )
        assert left == 0  # the sum of all accounts is zero: no money created or lost
        assert captured >= balance(ESCROW)

    def teardown(self):
        db.session.rollback()
        from tests.fixtures.app import _wipe

        _wipe(db)


CaseMoney.TestCase.settings = settings(
    max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_case_money = CaseMoney.TestCase
