"""The sandbox behaves like Stripe when answers go wrong: its book is its own, and a movement
whose answer was lost is settled from it once, never made twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases import process
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import Case, CaseState
from models.ledger import MovementState, PaymentMovement, SandboxObject, SandboxObjectKind
from models.types import utcnow
from payments.fees import platform_fee
from payments.gateways.sandbox import clear_faults, inject_fault
from payments.ledger import balance, client_account, designer_account, invariant_violations
from payments.reconciliation import check_case
from tests.cases.factories import drive, make_agent, make_case


@pytest.fixture(autouse=True)
def _no_faults_left(app):
    yield
    with app.app_context():
        clear_faults()


def _transfers() -> list[SandboxObject]:
    return list(db.session.scalars(sa.select(SandboxObject).where(SandboxObject.kind == SandboxObjectKind.transfer)))


def _refunds() -> list[SandboxObject]:
    return list(db.session.scalars(sa.select(SandboxObject).where(SandboxObject.kind == SandboxObjectKind.refund)))


def _books_agree(case_id: int) -> None:
    db.session.expire_all()
    case = db.session.scalar(sa.select(Case).where(Case.id == case_id).with_for_update())
    assert check_case(case) == []
    commit()


@pytest.mark.parametrize("after", [True, False], ids=["answer-lost", "never-arrived"])
def test_a_transfer_without_an_answer_is_settled_from_the_sandboxs_book_once(after):
    case = drive(make_case(amount_cents=12_000), CaseState.delivered)
    inject_fault("transfer", after=after)

    process.complete_case(case, actor=case.client)
    commit()
    assert db.session.get(Case, case.id).state == CaseState.completed
    assert len(_transfers()) == (1 if after else 0)

    later = utcnow() + timedelta(hours=1)
    run_sweeps(later)
    run_sweeps(later)
    [transfer] = _transfers()
    assert transfer.amount_cents == 12_000 - platform_fee(12_000)
    assert balance(designer_account(case.designer_id)) == transfer.amount_cents
    assert invariant_violations() == []
    _books_agree(case.id)


def test_the_sandboxs_book_does_not_roll_back_with_the_request(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: there the sandbox shares the request's transaction")
    # A ruling asks the gateway within its transaction (a completion's payout is asked by a job
    # after the commit: tests/payments/test_payout_job.py).
    case = drive(make_case(amount_cents=12_000), CaseState.disputed)
    agent = make_agent()
    commit()
    process.resolve_case(case, actor=agent, refund_cents=12_000)
    db.session.rollback()  # the request failed after the gateway answered

    [refund] = _refunds()
    [movement] = db.session.scalars(
        sa.select(PaymentMovement).where(PaymentMovement.case_id == case.id, PaymentMovement.kind == "refund")
    ).all()
    assert movement.state == MovementState.pending
    assert db.session.get(Case, case.id).state == CaseState.disputed

    # The agent rules again: the refund is found in the sandbox's book, not made again.
    process.resolve_case(db.session.get(Case, case.id), actor=agent, refund_cents=12_000)
    commit()
    assert len(_refunds()) == 1 and refund.amount_cents == 12_000
    assert balance(client_account(case.client_id)) == 0
    assert invariant_violations() == []
    _books_agree(case.id)


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_an_accept_or_reject_rolled_back_after_the_gateway_answered_can_be_made_again(app, action):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: there the sandbox shares the request's transaction")
    case = make_case(amount_cents=12_000)
    commit()
    designer = case.designer
    if action == "accept":
        process.accept_case(case, actor=designer)
    else:
        process.reject_case(case, actor=designer, reason="Too busy")
    db.session.rollback()  # the request failed after the gateway captured (or released) the hold
    assert db.session.get(Case, case.id).state == CaseState.requested

    # The designer tries again: the earlier answer is confirmed from the gateway's book and the
    # case moves on, with the hold captured (or released) once.
    case = db.session.get(Case, case.id)
    if action == "accept":
        process.accept_case(case, actor=designer)
    else:
        process.reject_case(case, actor=designer, reason="Too busy")
    commit()
    expected = CaseState.in_progress if action == "accept" else CaseState.rejected
    assert db.session.get(Case, case.id).state == expected
    kinds = [
        m.kind.value for m in db.session.scalars(sa.select(PaymentMovement).where(PaymentMovement.case_id == case.id))
    ]
    assert kinds == ["capture" if action == "accept" else "release"]
    assert balance(client_account(case.client_id)) == (-12_000 if action == "accept" else 0)
    assert invariant_violations() == []
    _books_agree(case.id)
