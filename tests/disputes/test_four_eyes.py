"""Four eyes: a large refund, or a ruling that sets aside a party's proposal, waits as a draft
until a second agent approves it; then the money moves once. Smaller rulings are made at once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from disputes import operations
from disputes import ruling as rulings
from disputes.four_eyes import SecondAgentNeeded
from errors import PermissionDenied
from extensions import commit, db
from models.accounts import StaffRole
from models.disputes import DraftStatus, Ruling, RulingDraft
from models.moderation import AuditEntry
from payments.ledger import ESCROW, balance, client_account, invariant_violations
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import ANSWER, disputed, people, reload

REASONING = "Nothing usable was delivered for tooth 36 in the agreed time; the client is refunded."


def answered(amount_cents: int):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer, amount_cents=amount_cents)
    operations.answer_dispute(dispute, actor=designer, statement=ANSWER)
    commit()
    return customer, designer, case, reload(dispute)


def as_agent(client, agent, dispute) -> str:
    client.post("/account/logout")
    staff_login(client, agent)
    client.post(f"/backoffice/resolution/{dispute.id}/take")  # opening alone claims nothing
    return client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)


def rulings_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Ruling.id)))


def test_a_lone_large_refund_waits_for_a_second_agent_who_moves_the_money_once(client):
    customer, _designer, case, dispute = answered(60_000)
    first, second = make_staff(StaffRole.resolution_agent), make_staff(StaffRole.resolution_agent)
    as_agent(client, first, dispute)
    response = client.post(
        f"/backoffice/resolution/{dispute.id}/rule",
        data={"outcome": "refund", "reasoning": REASONING, "action": "rule"},
        follow_redirects=True,
    )
    assert "saved as a draft for another agent. No money moved." in response.get_data(as_text=True)
    assert rulings_count() == 0 and balance(ESCROW) == 60_000 and reload(dispute).is_active
    draft = db.session.scalar(sa.select(RulingDraft))
    assert (draft.status, draft.refund_cents, draft.drafted_by_id) == (DraftStatus.pending, 60_000, first.id)
    assert "awaiting second agent" in client.get("/backoffice/resolution/").get_data(as_text=True)

    # its author cannot approve it
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert 'id="draft-withdraw"' in page and 'id="draft-approve"' not in page
    client.post(f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/approve", data={})
    assert rulings_count() == 0 and reload(draft).status == DraftStatus.pending

    page = as_agent(client, second, dispute)
    assert 'id="draft-approve"' in page and "$600.00" in page and REASONING in page
    for _ in range(2):  # a double submit moves the money once
        client.post(f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/approve", data={})
    assert rulings_count() == 1 and reload(draft).status == DraftStatus.approved
    assert balance(client_account(customer.id)) == 0 and balance(ESCROW) == 0
    assert reload(dispute).ruling.refund_cents == 60_000 and invariant_violations() == []
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "Dispute").order_by(AuditEntry.id)
    ).all()
    assert [a for a in actions if a.startswith("dispute.rul")] == [
        "dispute.ruling_drafted",
        "dispute.ruled",
        "dispute.ruling_approved",
    ]


def test_a_small_refund_is_ruled_at_once():
    _customer, _designer, case, dispute = answered(50_000)  # exactly the limit: not above it
    agent = make_staff(StaffRole.resolution_agent)
    result = rulings.submit_ruling(dispute, actor=agent, outcome="refund", reasoning=REASONING)
    commit()
    assert isinstance(result, Ruling) and balance(ESCROW) == 0
    assert db.session.scalar(sa.select(sa.func.count(RulingDraft.id))) == 0


def test_the_limit_is_configurable(app):
    _customer, _designer, _case, dispute = answered(10_000)
    agent = make_staff(StaffRole.resolution_agent)
    app.config["RULING_SECOND_AGENT_ABOVE_CENTS"] = 5_000
    try:
        result = rulings.submit_ruling(dispute, actor=agent, outcome="split", designer_cents=4_000, reasoning=REASONING)
        commit()
    finally:
        app.config["RULING_SECOND_AGENT_ABOVE_CENTS"] = 50_000
    assert isinstance(result, RulingDraft) and result.refund_cents == 6_000 and balance(ESCROW) == 10_000


def test_the_domain_refuses_a_large_refund_without_an_approved_draft():
    _customer, _designer, _case, dispute = answered(60_000)
    first, second = make_staff(StaffRole.resolution_agent), make_staff(StaffRole.resolution_agent)
    with pytest.raises(SecondAgentNeeded):
        operations.rule_dispute(dispute, actor=first, outcome="refund", reasoning=REASONING)
    db.session.rollback()
    draft = rulings.submit_ruling(reload(dispute), actor=first, outcome="refund", reasoning=REASONING)
    commit()
    with pytest.raises(PermissionDenied):
        rulings.approve_draft(reload(dispute), draft.id, actor=first)
    db.session.rollback()
    assert rulings_count() == 0 and balance(ESCROW) == 60_000
    rulings.approve_draft(reload(dispute), draft.id, actor=second)
    commit()
    assert rulings_count() == 1 and balance(ESCROW) == 0


def test_a_ruling_setting_aside_a_party_proposal_needs_a_second_agent_and_one_adopting_it_does_not():
    customer, _designer, case, dispute = answered(10_000)
    operations.propose_settlement(dispute, actor=customer, designer_cents=3_000, note="")
    commit()
    agent = make_staff(StaffRole.resolution_agent)
    draft = rulings.submit_ruling(
        reload(dispute), actor=agent, outcome="split", designer_cents=5_000, reasoning=REASONING
    )
    commit()
    assert isinstance(draft, RulingDraft) and draft.reasons == ["overturns_proposal"]
    assert balance(ESCROW) == 10_000
    rulings.withdraw_draft(reload(dispute), draft.id, actor=agent)
    commit()
    ruling = rulings.submit_ruling(
        reload(dispute), actor=agent, outcome="split", designer_cents=3_000, reasoning=REASONING
    )
    commit()
    assert isinstance(ruling, Ruling) and balance(ESCROW) == 0


def test_a_second_agent_sends_a_draft_back_with_a_note_and_only_the_author_withdraws(client):
    _customer, _designer, _case, dispute = answered(60_000)
    first, second = make_staff(StaffRole.resolution_agent), make_staff(StaffRole.resolution_agent)
    draft = rulings.submit_ruling(dispute, actor=first, outcome="refund", reasoning=REASONING)
    commit()
    with pytest.raises(PermissionDenied):
        rulings.withdraw_draft(reload(dispute), draft.id, actor=second)
    db.session.rollback()
    as_agent(client, second, dispute)
    short = client.post(
        f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/send-back", data={"note": "no"}, follow_redirects=True
    )
    assert "at least 10 characters" in short.get_data(as_text=True)
    assert reload(draft).status == DraftStatus.pending
    note = "The designer delivered a first design; consider a split."
    client.post(f"/backoffice/resolution/{dispute.id}/drafts/{draft.id}/send-back", data={"note": note})
    assert reload(draft).status == DraftStatus.sent_back and rulings_count() == 0
    page = as_agent(client, first, dispute)
    assert 'id="ruling-sent-back"' in page and note in page and 'id="ruling-form"' in page
    assert balance(ESCROW) == 60_000
