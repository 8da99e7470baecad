"""A dispute's life besides the ruling: answer, settlement, withdrawal, deadlines, the platform's disputes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases import process
from disputes import deadlines, operations
from disputes.claim_checks import facts_of
from disputes.suspended_accounts import close_cases_of_suspended_account
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from models.cases import CaseState
from models.disputes import Dispute, DisputeReason, DisputeState, ProposalStatus
from models.ledger import Journal
from models.messaging import Notification
from models.moderation import AuditEntry, Violation
from payments.ledger import ESCROW, PLATFORM_FEES, balance, client_account, designer_account, invariant_violations
from screening.contact_filter import ContactDetailsRefused
from tests.disputes.factories import ANSWER, STATEMENT, case_in_escrow, disputed, people, reload, state, upload
from tests.factories import make_user


def _notified(user, event="case_disputed") -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.title).where(Notification.user_id == user.id, Notification.event == event)
        )
    )


def test_the_client_opens_a_dispute_with_evidence_and_the_designer_is_told():
    client, designer, _agent = people()
    case = case_in_escrow(client, designer)
    dispute = operations.open_dispute(
        case,
        actor=client,
        reason="not_per_prescription",
        statement=STATEMENT,
        evidence=[upload("margin.png"), upload("report.pdf", b"%PDF-1.4")],
    )
    commit()
    dispute = reload(dispute)
    assert [e.file.original_name for e in dispute.evidence] == ["margin.png", "report.pdf"]
    assert all(e.file.owner_id == client.id for e in dispute.evidence)
    assert dispute.answer_due_at - dispute.opened_at == timedelta(days=5)
    assert _notified(designer) and not _notified(client)


@pytest.mark.parametrize("who", ["designer", "stranger"])
def test_only_the_client_opens_a_dispute(who):
    client, designer, _agent = people()
    case = case_in_escrow(client, designer)
    actor = designer if who == "designer" else make_user()
    with pytest.raises(PermissionDenied if who == "designer" else NotFound):
        operations.open_dispute(case, actor=actor, reason="other", statement=STATEMENT)
    db.session.rollback()
    assert state(case) == CaseState.delivered


def test_bad_input_changes_nothing():
    client, designer, _agent = people()
    case = case_in_escrow(client, designer)
    for reason, statement in [("other", "too short"), ("no_such_reason", STATEMENT), ("party_suspended", STATEMENT)]:
        with pytest.raises(DomainError):
            operations.open_dispute(case, actor=client, reason=reason, statement=statement)
        db.session.rollback()
    assert state(case) == CaseState.delivered and db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 0


def test_contact_details_in_a_statement_are_refused():
    client, designer, _agent = people()
    case = case_in_escrow(client, designer)
    with pytest.raises(ContactDetailsRefused):
        operations.open_dispute(
            case,
            actor=client,
            reason="other",
            statement="Call me at +33 6 12 34 56 78 or write to lab.north@gmail.com about it",
        )
    db.session.rollback()
    assert state(case) == CaseState.delivered


def test_a_case_cannot_be_disputed_twice():
    client, designer, _agent = people()
    case, _dispute = disputed(client, designer)
    with pytest.raises(InvalidTransition):
        operations.open_dispute(reload(case), actor=client, reason="other", statement=STATEMENT)


def test_the_designer_answers_once_and_the_dispute_goes_to_the_resolution_centre():
    client, designer, _agent = people()
    _case, dispute = disputed(client, designer)
    with pytest.raises(PermissionDenied):
        operations.answer_dispute(dispute, actor=client, statement=ANSWER)
    db.session.rollback()
    operations.answer_dispute(reload(dispute), actor=designer, statement=ANSWER, evidence=[upload("scan-view.png")])
    commit()
    dispute = reload(dispute)
    assert dispute.state == DisputeState.awaiting_ruling and dispute.designer_answer == ANSWER
    assert [e.party.value for e in dispute.evidence] == ["designer"]
    assert _notified(client)
    with pytest.raises(InvalidTransition):
        operations.answer_dispute(dispute, actor=designer, statement=ANSWER)


def test_an_accepted_settlement_settles_without_an_agent_and_moves_the_money_as_a_split():
    client, designer, _agent = people()
    case, dispute = disputed(client, designer, amount_cents=10_001)
    first = operations.propose_settlement(dispute, actor=designer, designer_cents=8_000, note="Most of it was right")
    commit()
    counter = operations.propose_settlement(reload(dispute), actor=client, designer_cents=5_001)
    commit()
    assert reload(first).status == ProposalStatus.superseded
    with pytest.raises(PermissionDenied):
        operations.accept_settlement(counter, actor=client)
    db.session.rollback()
    with pytest.raises(InvalidTransition):
        operations.accept_settlement(reload(first), actor=client)
    db.session.rollback()
    operations.accept_settlement(reload(counter), actor=designer)
    commit()
    assert reload(dispute).state == DisputeState.settled and reload(counter).status == ProposalStatus.accepted
    assert state(case) == CaseState.resolved
    fee = 450  # 9 % of 50.01 = 4.5009 → 4.50
    assert balance(designer_account(designer.id)) == 5_001 - fee
    assert balance(PLATFORM_FEES) == fee and balance(client_account(client.id)) == -10_001 + 5_000
    assert balance(ESCROW) == 0 and invariant_violations() == []
    with pytest.raises(InvalidTransition):  # accepted twice (double click): nothing moves again
        operations.accept_settlement(reload(counter), actor=designer)


def test_a_settlement_amount_must_fit_the_case():
    client, designer, _agent = people()
    _case, dispute = disputed(client, designer, amount_cents=10_000)
    for cents in (-1, 10_001):
        with pytest.raises(DomainError):
            operations.propose_settlement(dispute, actor=client, designer_cents=cents)
        db.session.rollback()


def test_withdrawing_returns_the_case_to_where_it_was_and_a_new_dispute_may_follow():
    client, designer, _agent = people()
    case, dispute = disputed(client, designer)
    operations.propose_settlement(dispute, actor=designer, designer_cents=9_000)
    with pytest.raises(PermissionDenied):
        operations.withdraw_dispute(dispute, actor=designer)
    db.session.rollback()
    operations.withdraw_dispute(reload(dispute), actor=client)
    commit()
    case = reload(case)
    assert case.state == CaseState.delivered and case.auto_complete_at is not None
    assert reload(dispute).state == DisputeState.withdrawn
    assert all(p.status == ProposalStatus.withdrawn for p in reload(dispute).proposals)
    assert balance(ESCROW) == case.amount_cents  # nothing moved
    again = operations.open_dispute(case, actor=client, reason="poor_quality", statement=STATEMENT)
    commit()
    assert again.id != dispute.id and state(case) == CaseState.disputed


def test_a_dispute_in_progress_is_withdrawn_back_to_in_progress():
    client, designer, _agent = people()
    case = case_in_escrow(client, designer, delivered=False)
    dispute = operations.open_dispute(case, actor=client, reason="not_delivered", statement=STATEMENT)
    commit()
    operations.withdraw_dispute(dispute, actor=client)
    commit()
    assert state(case) == CaseState.in_progress


def test_no_answer_by_the_deadline_marks_the_dispute_for_a_ruling_once():
    client, designer, _agent = people()
    _case, dispute = disputed(client, designer)
    assert deadlines.mark_unanswered(dispute.answer_due_at - timedelta(minutes=1)) == 0
    assert reload(dispute).state == DisputeState.open
    assert deadlines.mark_unanswered(dispute.answer_due_at) == 1
    assert deadlines.mark_unanswered(dispute.answer_due_at + timedelta(hours=1)) == 0
    assert reload(dispute).state == DisputeState.awaiting_ruling
    assert (
        db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "Dispute"))
        == "dispute.unanswered"
    )


def test_a_dispute_nearing_the_payment_limit_is_escalated_once():
    client, designer, _agent = people()
    case, dispute = disputed(client, designer)
    limit = reload(case).escrow_limit_at
    assert deadlines.escalate_near_limit(limit - timedelta(days=11)) == 0
    assert deadlines.escalate_near_limit(limit - timedelta(days=9)) == 1
    assert deadlines.escalate_near_limit(limit - timedelta(days=8)) == 0
    assert reload(dispute).escalated


def test_a_suspension_gives_the_platforms_disputes_their_rows():
    client, designer, agent = people()
    case = case_in_escrow(client, designer)
    close_cases_of_suspended_account(designer, actor=agent)
    commit()
    assert state(case) == CaseState.disputed
    # the suspension opened the dispute itself: the safety-net sweep finds nothing to add
    assert deadlines.open_missing_disputes(case.created_at) == 0
    dispute = db.session.scalar(sa.select(Dispute).where(Dispute.case_id == case.id))
    assert dispute.reason == DisputeReason.party_suspended and dispute.opened_by_id is None
    assert facts_of([dispute])[dispute.id].state_before == CaseState.delivered


def test_the_platform_opens_a_dispute_without_a_statement():
    client, designer, agent = people()
    case = case_in_escrow(client, designer, delivered=False)
    dispute = operations.open_dispute(case, actor=None, reason="party_suspended")
    commit()
    assert dispute.opened_by_id is None and state(case) == CaseState.disputed
    # the platform's dispute is ruled at once: the suspended party may never answer
    operations.rule_dispute(
        dispute,
        actor=agent,
        outcome="refund",
        reasoning="The designer's account was suspended before any delivery; the client is refunded in full.",
    )
    commit()
    assert state(case) == CaseState.resolved
    assert db.session.scalar(sa.select(sa.func.count(Journal.id)).where(Journal.case_id == case.id)) == 2
    assert db.session.scalar(sa.select(sa.func.count(Violation.id))) == 0


def test_a_dispute_opened_on_the_case_page_alone_gets_its_row_with_the_clients_words():
    client, designer, _agent = people()
    case = case_in_escrow(client, designer)
    process.dispute_case(case, actor=client, reason="Poor quality", statement=STATEMENT)
    commit()
    assert deadlines.open_missing_disputes(case.created_at) == 1
    dispute = db.session.scalar(sa.select(Dispute).where(Dispute.case_id == case.id))
    assert (dispute.opened_by_id, dispute.reason, dispute.client_statement) == (
        client.id,
        DisputeReason.poor_quality,
        STATEMENT,
    )
    operations.withdraw_dispute(dispute, actor=client)
    commit()
    assert state(case) == CaseState.delivered
