"""Two submits of a ruling or a settlement at the same moment, on PostgreSQL's row locks."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from disputes import operations
from errors import DomainError
from extensions import commit, db
from models.disputes import Dispute, Ruling, SettlementProposal
from models.accounts import User
from models.ledger import Journal, PaymentEvent
from payments.ledger import invariant_violations
from tests.disputes.factories import disputed, people

REASONING = "Both deliveries ignore the shade and the margin line asked for in the prescription."


def _race(app, *acts) -> list[str]:
    """Run each act(in its own app context and session) at the same moment; return the outcomes."""
    barrier = threading.Barrier(len(acts))
    outcomes: list[str] = []

    def run(act):
        with app.app_context():
            barrier.wait()
            try:
                act()
                commit()
                outcomes.append("done")
            except DomainError as exc:
                db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(act,)) for act in acts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers anyway")


def test_two_rulings_at_once_move_the_money_once(app, postgres_only):
    client, designer, agent = people()
    case, dispute = disputed(client, designer)
    ids = (dispute.id, agent.id)

    def rule(outcome, cents):
        def act():
            d, a = db.session.get(Dispute, ids[0]), db.session.get(User, ids[1])
            operations.rule_dispute(
                d, actor=a, outcome=outcome, designer_cents=cents, reasoning=REASONING, now=d.answer_due_at
            )

        return act

    assert _race(app, rule("split", 4_000), rule("pay_designer", None)) == ["InvalidTransition", "done"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Ruling.id))) == 1
    money_out = db.session.scalar(
        sa.select(sa.func.count(PaymentEvent.id)).where(PaymentEvent.action.in_(("refund", "transfer")))
    )
    assert money_out in (1, 2)
    # One journal for the capture, one for each movement out of escrow.
    assert db.session.scalar(sa.select(sa.func.count(Journal.id)).where(Journal.case_id == case.id)) == 1 + money_out
    assert invariant_violations() == []


def test_a_ruling_and_an_accepted_settlement_at_once_move_the_money_once(app, postgres_only):
    client, designer, agent = people()
    case, dispute = disputed(client, designer)
    proposal = operations.propose_settlement(dispute, actor=client, designer_cents=6_000)
    commit()
    ids = (dispute.id, agent.id, proposal.id, designer.id)

    def rule():
        # The proposal's own figures, so one agent may rule (setting a proposal aside needs a
        # second agent): whichever of the two takes the dispute first, the other is refused.
        d = db.session.get(Dispute, ids[0])
        operations.rule_dispute(
            d,
            actor=db.session.get(User, ids[1]),
            outcome="split",
            designer_cents=6_000,
            reasoning=REASONING,
            now=d.answer_due_at,
        )

    def accept():
        operations.accept_settlement(db.session.get(SettlementProposal, ids[2]), actor=db.session.get(User, ids[3]))

    assert _race(app, rule, accept) == ["InvalidTransition", "done"]
    db.session.expire_all()
    money_out = db.session.scalar(
        sa.select(sa.func.count(PaymentEvent.id)).where(PaymentEvent.action.in_(("refund", "transfer")))
    )
    assert money_out in (1, 2)
    assert db.session.scalar(sa.select(sa.func.count(Journal.id)).where(Journal.case_id == case.id)) == 1 + money_out
    assert invariant_violations() == []
