"""How the resolution centre's routes of the audit coverage table are driven (see audit_drivers.py):
rulings, dispute messages and evidence requests, four-eyes drafts, a dispute file's opening and a
refused payout asked again."""

from __future__ import annotations

import sqlalchemy as sa

from disputes import operations
from disputes import ruling as rulings
from extensions import commit, db
from models.accounts import StaffRole
from models.cases import CaseFile
from models.disputes import Dispute, DisputeState, RulingDraft
from tests.backoffice.audit_drivers import Post
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import disputed, people
from tests.payments.factories import make_refused_payout_case


def dispute_rule(app, client):
    dispute, agent = _dispute_awaiting_ruling(client)
    return Post(
        agent,
        f"/backoffice/resolution/{dispute.id}/rule",
        {
            "outcome": "split",
            "designer_amount": "50.00",
            "reasoning": "The crown on 36 ignores the margin line in the prescription; the occlusion is right.",
        },
    )


def _dispute_awaiting_ruling(client):
    """A dispute waiting for its ruling and an agent (second factor passed) looking at it."""
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    _await_ruling(dispute)
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    return dispute, agent


def dispute_message(app, client):
    dispute, agent = _dispute_awaiting_ruling(client)
    return Post(
        agent,
        f"/backoffice/resolution/{dispute.id}/messages",
        {"message-audience": "all", "message-body": "Please both look at the margin on 36 again."},
    )


def dispute_request_evidence(app, client):
    dispute, agent = _dispute_awaiting_ruling(client)
    return Post(
        agent,
        f"/backoffice/resolution/{dispute.id}/evidence-requests",
        {
            "evidence-request-party": "designer",
            "evidence-request-due_days": "5",
            "evidence-request-what": "A screenshot of the margin line on 36 in your CAD software.",
        },
    )


def _await_ruling(dispute) -> None:
    """The parties' time is up: the dispute waits for its ruling."""
    db.session.execute(
        sa.update(Dispute)
        .where(Dispute.id == dispute.id)
        .values(state=DisputeState.awaiting_ruling, answer_due_at=dispute.opened_at)
    )
    commit()


def _drafted(client):
    """A ruling that sets aside the designer's proposal, so it waits for a second agent (four eyes)."""
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    operations.propose_settlement(dispute, actor=designer, designer_cents=1_500, note="Half each.")
    _await_ruling(dispute)
    first = make_staff(StaffRole.resolution_agent)
    staff_login(client, first)
    db.session.refresh(dispute)
    rulings.submit_ruling(
        dispute,
        actor=first,
        outcome="refund",
        reasoning="Nothing usable was delivered: the client is refunded in full.",
    )
    commit()
    draft = db.session.scalar(sa.select(RulingDraft).where(RulingDraft.dispute_id == dispute.id))
    return dispute, draft, first


def _second_agent(client):
    """Another resolution agent, signed in instead of the draft's author."""
    second = make_staff(StaffRole.resolution_agent)
    client.post("/account/logout")
    staff_login(client, second)
    return second


def draft_approve(app, client):
    dispute, draft, _first = _drafted(client)
    second = _second_agent(client)
    return Post(second, f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/approve")


def draft_send_back(app, client):
    dispute, draft, _first = _drafted(client)
    second = _second_agent(client)
    return Post(
        second,
        f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/send-back",
        {"note": "Split it: the crown was usable after one revision."},
    )


def draft_withdraw(app, client):
    dispute, draft, first = _drafted(client)
    return Post(first, f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/withdraw")


def open_dispute_file(app, client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    delivery = db.session.scalar(
        sa.select(CaseFile).where(CaseFile.case_id == case.id, CaseFile.delivery_id.isnot(None))
    )
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    return Post(agent, f"/backoffice/resolution/{dispute.id}/files/{delivery.file.public_id}", method="get")


def refused_payout_ask_again(app, client):
    case = make_refused_payout_case()
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    return Post(agent, f"/backoffice/payouts-not-sent/{case.id}/ask-again")
