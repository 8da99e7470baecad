"""Each outcome of a dispute moves the escrowed money exactly once, to the cent, through the
ledger and the gateway; the fee is taken only on what the designer receives."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from disputes import operations
from disputes.claim_checks import facts_of
from errors import InvalidTransition, PermissionDenied
from extensions import commit, db
from models.accounts import StaffRole
from models.cases import CaseState
from models.disputes import DisputeState, Ruling
from models.ledger import Journal, PaymentEvent, SandboxObject, SandboxObjectKind
from payments.fees import platform_fee
from payments.ledger import ESCROW, PLATFORM_FEES, balance, client_account, designer_account, invariant_violations
from tests.disputes.factories import disputed, people, reload, state
from tests.factories import make_user

REASONING = "The delivered crown does not match the prescription on tooth 36; see the photos."


def _journal_lines(case) -> dict[str, int]:
    """What left escrow for the case, per account (one journal per movement: refund, transfer)."""
    lines: dict[str, int] = {}
    for journal in db.session.scalars(sa.select(Journal).where(Journal.case_id == case.id, Journal.kind != "capture")):
        for e in journal.entries:
            lines[e.account] = lines.get(e.account, 0) + e.amount_cents
    return lines


def _gateway_calls(case) -> list[tuple[str, int]]:
    rows = db.session.execute(sa.select(PaymentEvent.action, PaymentEvent.amount_cents).order_by(PaymentEvent.id)).all()
    return [tuple(r) for r in rows if r[0] in ("refund", "transfer")]


def _rule(dispute, agent, outcome, designer_cents=None):
    ruling = operations.rule_dispute(
        dispute,
        actor=agent,
        outcome=outcome,
        designer_cents=designer_cents,
        reasoning=REASONING,
        now=dispute.answer_due_at,
    )
    commit()
    return ruling


def test_opening_a_dispute_stops_the_case_and_moves_no_money():
    client, designer, _agent = people()
    case, dispute = disputed(client, designer)
    assert state(case) == CaseState.disputed
    assert dispute.state == DisputeState.open and facts_of([dispute])[dispute.id].state_before == CaseState.delivered
    assert balance(ESCROW) == case.amount_cents
    assert _gateway_calls(case) == []


def test_full_refund_returns_everything_to_the_client_and_takes_no_fee():
    client, designer, agent = people()
    case, dispute = disputed(client, designer, amount_cents=10_000)
    ruling = _rule(dispute, agent, "refund")
    assert (ruling.designer_cents, ruling.refund_cents, ruling.fee_cents) == (0, 10_000, 0)
    assert _journal_lines(case) == {ESCROW: -10_000, client_account(client.id): 10_000}
    assert _gateway_calls(case) == [("refund", 10_000)]
    assert state(case) == CaseState.resolved
    assert reload(dispute).state == DisputeState.ruled
    assert invariant_violations() == []


def test_full_payment_pays_the_designer_minus_the_fee():
    client, designer, agent = people()
    case, dispute = disputed(client, designer, amount_cents=10_000)
    ruling = _rule(dispute, agent, "pay_designer")
    assert (ruling.designer_cents, ruling.refund_cents, ruling.fee_cents) == (10_000, 0, 900)
    assert _journal_lines(case) == {ESCROW: -10_000, designer_account(designer.id): 9_100, PLATFORM_FEES: 900}
    assert _gateway_calls(case) == [("transfer", 9_100)]
    transfer = db.session.scalar(sa.select(SandboxObject).where(SandboxObject.kind == SandboxObjectKind.transfer))
    assert (transfer.amount_cents, transfer.transfer_group) == (9_100, f"case-{case.reference}")
    assert invariant_violations() == []


def test_a_split_with_odd_cents_adds_up_to_the_cent():
    client, designer, agent = people()
    case, dispute = disputed(client, designer, amount_cents=12_345)
    ruling = _rule(dispute, agent, "split", designer_cents=6_789)
    fee = platform_fee(6_789)
    assert fee == 611  # 9 % of 67.89 is 6.1101, half-up to the cent
    assert (ruling.refund_cents, ruling.fee_cents, ruling.designer_earnings_cents) == (5_556, 611, 6_178)
    assert _journal_lines(case) == {
        ESCROW: -12_345,
        client_account(client.id): 5_556,
        designer_account(designer.id): 6_178,
        PLATFORM_FEES: 611,
    }
    assert _gateway_calls(case) == [("refund", 5_556), ("transfer", 6_178)]
    assert invariant_violations() == []


def test_a_small_designer_part_is_all_fee_and_nothing_is_transferred():
    client, designer, agent = people()
    case, dispute = disputed(client, designer, amount_cents=10_000)
    ruling = _rule(dispute, agent, "split", designer_cents=300)  # below the $3.49 minimum fee
    assert (ruling.fee_cents, ruling.designer_earnings_cents, ruling.refund_cents) == (300, 0, 9_700)
    assert _gateway_calls(case) == [("refund", 9_700)]
    assert invariant_violations() == []


def test_a_ruling_submitted_twice_moves_the_money_once():
    client, designer, agent = people()
    case, dispute = disputed(client, designer)
    _rule(dispute, agent, "split", designer_cents=5_000)
    with pytest.raises(InvalidTransition):
        _rule(reload(dispute), agent, "refund")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ruling)) == 1
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Journal).where(Journal.case_id == case.id)) == 3
    )  # the capture, the refund, the transfer
    assert len(_gateway_calls(case)) == 2
    assert invariant_violations() == []


@pytest.mark.parametrize("roles", [(), (StaffRole.moderator,), (StaffRole.verifier,)])
def test_only_a_resolution_agent_may_rule(roles):
    client, designer, _agent = people()
    _case, dispute = disputed(client, designer)
    outsider = make_user(roles=roles)
    for who in (outsider, client, designer):
        with pytest.raises(PermissionDenied):
            operations.rule_dispute(
                dispute, actor=who, outcome="refund", reasoning=REASONING, now=dispute.answer_due_at
            )
    assert reload(dispute).state == DisputeState.open


def test_an_agent_who_is_a_party_may_not_rule_on_their_own_case():
    _client, designer, agent = people()
    agent.is_client = True
    _case, dispute = disputed(agent, designer)
    with pytest.raises(PermissionDenied):
        operations.rule_dispute(dispute, actor=agent, outcome="refund", reasoning=REASONING, now=dispute.answer_due_at)


def test_the_agent_waits_for_the_answer_time_unless_the_designer_answered():
    client, designer, agent = people()
    case, dispute = disputed(client, designer)
    with pytest.raises(InvalidTransition):
        operations.rule_dispute(dispute, actor=agent, outcome="refund", reasoning=REASONING, now=dispute.opened_at)
    db.session.rollback()
    operations.answer_dispute(
        reload(dispute), actor=designer, statement="The margins follow the scan exactly; the scan is blurred there."
    )
    commit()
    operations.rule_dispute(reload(dispute), actor=agent, outcome="refund", reasoning=REASONING)
    commit()
    assert state(case) == CaseState.resolved


def test_a_ruling_needs_a_reasoning_and_a_real_split():
    client, designer, agent = people()
    _case, dispute = disputed(client, designer, amount_cents=10_000)
    for outcome, cents, reasoning in [
        ("split", 0, REASONING),
        ("split", 10_000, REASONING),
        ("split", None, REASONING),
        ("refund", None, "too short"),
    ]:
        with pytest.raises(Exception) as caught:
            operations.rule_dispute(
                dispute,
                actor=agent,
                outcome=outcome,
                designer_cents=cents,
                reasoning=reasoning,
                now=dispute.answer_due_at,
            )
        assert caught.value.field in ("designer_amount", "reasoning")
        db.session.rollback()
    assert reload(dispute).state == DisputeState.open and invariant_violations() == []
