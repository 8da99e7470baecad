"""Every deadline, with an injected `now`: expiry, auto-completion, the 90-day escrow rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases import sweeps
from cases.process import cancel_case, request_revision
from disputes import deadlines as dispute_deadlines
from errors import InvalidTransition
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import Case, CaseState
from models.ledger import Payment, PaymentStatus
from models.types import utcnow
from payments.ledger import escrow_balance, invariant_violations
from tests.cases.factories import design_file, drive, make_case

DAY = timedelta(days=1)


def _state(case):
    return db.session.get(Case, case.id).state


def test_a_request_not_accepted_in_five_days_expires_and_its_hold_is_released():
    sent = utcnow()
    case = make_case(now=sent)
    assert sweeps.expire_requests(sent + 5 * DAY - timedelta(minutes=1)) == 0
    assert sweeps.expire_requests(sent + 5 * DAY) == 1
    assert _state(case) == CaseState.expired
    assert db.session.scalar(db.select(Payment.status).where(Payment.case_id == case.id)) == PaymentStatus.released
    assert sweeps.expire_requests(sent + 6 * DAY) == 0  # idempotent


def test_a_delivered_case_completes_thirty_days_after_the_last_delivery():
    from cases.process import deliver_case

    start = utcnow()
    case = drive(make_case(), CaseState.in_progress, now=start)
    deliver_case(case, actor=case.designer, note="v1", files=[design_file(case.designer)], now=start + DAY)
    deliver_case(case, actor=case.designer, note="v2", files=[design_file(case.designer)], now=start + 5 * DAY)
    commit()
    assert sweeps.auto_complete_delivered(start + 31 * DAY) == 0  # 30 days after the first only
    assert sweeps.auto_complete_delivered(start + 35 * DAY) == 1
    assert _state(case) == CaseState.completed
    assert escrow_balance() == 0 and invariant_violations() == []


def test_auto_completion_is_capped_so_money_leaves_escrow_by_day_75(request_context):
    from cases.process import deliver_case

    accepted = utcnow()
    case = drive(make_case(revisions=5), CaseState.in_progress, now=accepted)
    # delivered on day 50 (before the sweep escalated it): 30 days later would be day 80
    deliver_case(case, actor=case.designer, note="late", files=[design_file(case.designer)], now=accepted + 50 * DAY)
    commit()
    assert case.auto_complete_at == accepted + 75 * DAY
    with pytest.raises(InvalidTransition, match="Revisions are closed"):
        request_revision(case, actor=case.client, note="more", now=accepted + 51 * DAY)
    db.session.rollback()
    assert sweeps.auto_complete_delivered(accepted + 75 * DAY) == 1


def test_the_client_may_cancel_with_a_full_refund_when_nothing_is_delivered_after_21_days(request_context):
    accepted = utcnow()
    case = drive(make_case(), CaseState.in_progress, now=accepted)
    with pytest.raises(InvalidTransition, match="21 days"):
        cancel_case(case, actor=case.client, now=accepted + 20 * DAY)
    db.session.rollback()
    case = db.session.get(Case, case.id)
    cancel_case(case, actor=case.client, now=accepted + 21 * DAY)
    commit()
    assert _state(case) == CaseState.cancelled
    payment = db.session.scalar(db.select(Payment).where(Payment.case_id == case.id))
    assert payment.status == PaymentStatus.refunded and payment.refunded_cents == case.amount_cents
    assert escrow_balance() == 0 and invariant_violations() == []


def test_a_case_undelivered_45_days_after_acceptance_goes_to_the_resolution_centre():
    accepted = utcnow()
    case = drive(make_case(), CaseState.in_progress, now=accepted)
    assert dispute_deadlines.escalate_undelivered(accepted + 44 * DAY) == 0
    assert dispute_deadlines.escalate_undelivered(accepted + 45 * DAY) == 1
    case = db.session.get(Case, case.id)
    assert case.state == CaseState.disputed
    assert case.escrow_limit_at == accepted + 90 * DAY
    assert escrow_balance() == case.amount_cents  # nothing paid out while disputed


def test_the_minute_sweep_runs_the_case_deadlines():
    sent = utcnow()
    case = make_case(now=sent)
    done = run_sweeps(sent + 6 * DAY)
    assert done["cases.sweeps:expire_requests"] == 1
    assert _state(case) == CaseState.expired


def test_a_user_action_that_came_first_makes_the_sweep_skip_the_case():
    from cases.process import accept_case

    sent = utcnow()
    case = make_case(now=sent)
    accept_case(case, actor=case.designer, now=sent + 5 * DAY - timedelta(minutes=1))  # just in time
    commit()
    assert sweeps.expire_requests(sent + 5 * DAY) == 0
    assert _state(case) == CaseState.in_progress
