"""Racing actions on PostgreSQL: each thread has its own app context and session."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa

from cases.process import complete_case, dispute_case
from errors import InvalidTransition
from extensions import commit, db
from models.cases import Case, CaseState
from models.ledger import Journal, PaymentEvent
from payments.ledger import invariant_violations
from tests.cases.factories import drive, make_case

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"), reason="row locks need PostgreSQL"
)


def _race(app, case_id: int, *moves):
    """Run each move(case) in its own thread and app context, released at the same moment."""
    barrier = threading.Barrier(len(moves))
    outcomes: list[str] = []

    def worker(move):
        with app.app_context():
            case = db.session.get(Case, case_id)
            barrier.wait()
            try:
                move(case)
                commit()
                outcomes.append("done")
            except InvalidTransition:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(m,)) for m in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


def test_two_completions_at_once_pay_once(app):
    case = drive(make_case(), CaseState.delivered)
    client_id = case.client_id

    def complete(c):
        complete_case(c, actor=db.session.get(type(c.client), client_id))

    assert _race(app, case.id, complete, complete) == ["done", "refused"]
    db.session.expire_all()
    transfers = db.session.scalar(
        sa.select(sa.func.count()).select_from(PaymentEvent).where(PaymentEvent.action == "transfer")
    )
    assert transfers == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Journal).where(Journal.case_id == case.id)) == 2
    assert invariant_violations() == []


def test_complete_racing_dispute_leaves_exactly_one_outcome(app):
    case = drive(make_case(), CaseState.delivered)
    client_id = case.client_id

    def complete(c):
        complete_case(c, actor=db.session.get(type(c.client), client_id))

    def dispute(c):
        dispute_case(c, actor=db.session.get(type(c.client), client_id), reason="Wrong shade")

    assert _race(app, case.id, complete, dispute) == ["done", "refused"]
    db.session.expire_all()
    state = db.session.get(Case, case.id).state
    assert state in (CaseState.completed, CaseState.disputed)
    transfers = db.session.scalar(
        sa.select(sa.func.count()).select_from(PaymentEvent).where(PaymentEvent.action == "transfer")
    )
    assert transfers == (1 if state == CaseState.completed else 0)
    assert invariant_violations() == []
