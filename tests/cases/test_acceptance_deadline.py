"""Accepting a request: refused after its acceptance time whatever the sweep did, and a dead
card hold is reported as what it is, not as a silent gateway."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases import process
from errors import InvalidTransition
from extensions import commit, db
from models.cases import Case, CaseState
from models.ledger import Payment, PaymentStatus, SandboxObject
from models.types import utcnow
from tests.cases.factories import make_case


def _payment(case: Case) -> Payment:
    db.session.expire_all()
    return db.session.scalar(sa.select(Payment).where(Payment.case_id == case.id))


def test_a_designer_cannot_accept_after_the_acceptance_time_even_before_the_sweep(request_context):
    case = make_case()
    late = case.accept_by + timedelta(minutes=1)
    with pytest.raises(InvalidTransition) as refused:
        process.accept_case(case, actor=case.designer, now=late)
    assert "time to accept" in refused.value.message
    db.session.rollback()
    assert _payment(case).status == PaymentStatus.held and _payment(case).captured_cents == 0
    assert "accept" not in process.allowed_actions(db.session.get(Case, case.id), case.designer, now=late)


def test_the_accept_button_after_the_deadline_says_so_and_the_request_expires(client, login):
    case = make_case()
    case.accept_by = utcnow() - timedelta(minutes=1)  # the sweep has not run yet
    commit()
    login(case.designer)
    response = client.post(f"/cases/{case.reference}/accept", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The time to accept this request has passed" in page
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.expired
    assert _payment(case).status == PaymentStatus.released and _payment(case).captured_cents == 0


def test_a_dead_card_hold_is_reported_as_expired_not_as_a_silent_bank(client, login):
    case = make_case()
    hold = db.session.scalar(sa.select(SandboxObject).where(SandboxObject.reference == _payment(case).hold_reference))
    hold.status = "canceled"  # the bank let the authorisation lapse
    commit()
    login(case.designer)
    page = client.post(f"/cases/{case.reference}/accept", follow_redirects=True).get_data(as_text=True)
    assert "The client's card hold has expired" in page
    assert "did not answer" not in page
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.requested
    assert _payment(case).status == PaymentStatus.held
