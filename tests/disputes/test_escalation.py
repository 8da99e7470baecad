"""Escalation, reached by moving time: the sweep escalates a dispute near the payment's hard
limit; the agent sees why and the deadline, on the dispute and in the escalated tab."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from extensions import db
from jobs.sweep import run_sweeps
from models.accounts import StaffRole
from models.disputes import Dispute
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import case_in_escrow, disputed, people, reload


def test_a_dispute_near_the_payment_limit_is_escalated_with_its_reason_and_deadline(client):
    customer, designer, _ = people()
    case, dispute = disputed(customer, designer)
    limit = reload(case).escrow_limit_at
    staff_login(client, make_staff(StaffRole.resolution_agent))
    assert case.reference not in client.get("/backoffice/resolution/?tab=escalated").get_data(as_text=True)
    run_sweeps(now=limit - timedelta(days=11))
    assert not reload(dispute).escalated  # 11 days left: not yet
    run_sweeps(now=limit - timedelta(days=9))
    assert reload(dispute).escalated
    queue = client.get("/backoffice/resolution/?tab=escalated").get_data(as_text=True)
    assert case.reference in queue and "data-escalation" in queue
    assert "Fewer than 10 days before the ruling is due." in queue and f"Hard deadline: {limit:%Y-%m-%d}" in queue
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert 'id="escalation"' in page and "Fewer than 10 days before the ruling is due." in page
    assert f'id="escalation-deadline">{limit:%Y-%m-%d %H:%M} UTC<' in page


def test_an_undelivered_case_disputed_by_the_platform_says_so_once_escalated(client):
    customer, designer, _ = people()
    case = case_in_escrow(customer, designer, delivered=False)
    accepted, limit = reload(case).accepted_at, reload(case).escrow_limit_at
    run_sweeps(now=accepted + timedelta(days=46))  # nothing delivered by day 45: the platform opens a dispute
    dispute = db.session.scalar(sa.select(Dispute).where(Dispute.case_id == case.id))
    assert dispute is not None and dispute.opened_by_id is None and not dispute.escalated
    run_sweeps(now=accepted + timedelta(days=81))
    staff_login(client, make_staff(StaffRole.resolution_agent))
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert "Fewer than 10 days before the ruling is due." in page
    assert "Nothing delivered by day 45 after acceptance: the platform opened this dispute." in page
    assert f"{limit:%Y-%m-%d %H:%M} UTC" in page
    queue = client.get("/backoffice/resolution/?tab=escalated").get_data(as_text=True)
    assert case.reference in queue and "Nothing delivered by day 45" in queue


def test_a_dispute_not_escalated_shows_no_escalation(client):
    customer, designer, _ = people()
    _case, dispute = disputed(customer, designer)
    staff_login(client, make_staff(StaffRole.resolution_agent))
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert 'id="escalation"' not in page
