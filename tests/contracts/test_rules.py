"""The contract's rules, each on its own: who may take which step in which state (checked against
the product's rules written out here, not against the table), term and renewal, pause, the
designer's cancellation refunding the unused places, the client's cancellation before the first
charge, offer expiry, and a charge whose answer was lost asked again under the same key."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from contracts import casework, process
from contracts.calendar import add_months
from contracts.queries import current_month
from errors import InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.contracts import ContractMovement, ContractState, MonthState
from models.ledger import SandboxRequest
from payments import contract_money
from payments.gateways.base import GatewayUnconfirmed
from payments.ledger import CONTRACT_ESCROW, balance, client_account
from tests.contracts.factories import START, accepted, offered, parties, reload
from tests.factories import make_user

S = ContractState

# The product's rules, written out: (state, action) → who may, and where it leads.
RULES = [
    (S.offered, "accept", "client", S.active),
    (S.offered, "decline", "client", S.declined),
    (S.offered, "withdraw", "designer", S.withdrawn),
    (S.active, "pause", "client", S.paused),
    (S.active, "pause", "designer", S.paused),
    (S.active, "give_notice", "client", S.ending),
    (S.active, "give_notice", "designer", S.ending),
    (S.active, "cancel", "designer", S.cancelled),
]
REFUSED = [
    (S.offered, "accept", "designer", PermissionDenied),
    (S.offered, "withdraw", "client", PermissionDenied),
    (S.active, "accept", "client", InvalidTransition),
    (S.offered, "pause", "client", InvalidTransition),
    (S.active, "decline", "client", InvalidTransition),
]


def _contract_in(state, client, designer):
    return offered(client, designer) if state == S.offered else accepted(client, designer)


def _act(contract, action, actor):
    if action == "accept":
        return process.accept_contract(contract, actor=actor, payment_method="4242424242424242", now=START)
    return process.apply(contract, action, actor=actor, now=START)


@pytest.mark.parametrize(("state", "action", "who", "to"), RULES)
def test_allowed_steps(state, action, who, to):
    client, designer = parties()
    contract = _contract_in(state, client, designer)
    actor = client if who == "client" else designer
    assert action in process.allowed_actions(contract, actor, now=START)
    assert _act(contract, action, actor).state == to


@pytest.mark.parametrize(("state", "action", "who", "error"), REFUSED)
def test_refused_steps(state, action, who, error):
    client, designer = parties()
    contract = _contract_in(state, client, designer)
    with pytest.raises(error):
        _act(contract, action, client if who == "client" else designer)


def test_a_stranger_has_no_contract():
    client, designer = parties()
    contract = accepted(client, designer)
    with pytest.raises(NotFound):
        process.pause_contract(contract, actor=make_user(name="Stranger"), now=START)
    with pytest.raises(NotFound):
        casework.send_contract_case(contract, actor=designer, instructions="Crown on 36, zirconia.", now=START)


def test_a_term_contract_ends_after_its_last_month_or_renews():
    client, designer = parties()
    fixed = accepted(client, designer, term_months=2)
    renewing = accepted(client, designer, term_months=2, auto_renew=True)
    for n in range(3):
        run_sweeps(add_months(START, n) + timedelta(minutes=1))
    assert reload(fixed).state == S.ended and len(reload(fixed).months) == 2
    renewing = reload(renewing)
    assert renewing.state == S.active and len(renewing.months) == 3 and renewing.term_end_month == 4


def test_pause_stops_new_months_and_resume_starts_one_at_once():
    client, designer = parties()
    contract = accepted(client, designer)
    run_sweeps(START + timedelta(minutes=1))
    process.pause_contract(contract, actor=client, now=START + timedelta(days=3))
    commit()
    with pytest.raises(InvalidTransition):
        casework.send_contract_case(contract, actor=client, instructions="Crown on 36, zirconia.", now=START)
    db.session.rollback()
    later = add_months(START, 1) + timedelta(days=10)
    run_sweeps(later)
    assert len(reload(contract).months) == 1
    process.resume_contract(contract, actor=designer, now=later)
    commit()
    run_sweeps(later + timedelta(minutes=1))
    month = current_month(reload(contract))
    assert month.number == 2 and month.starts_at == later and month.state == MonthState.captured


def test_the_designer_cancelling_refunds_the_unused_places_of_the_month():
    client, designer = parties()
    contract = accepted(client, designer)  # 3 places at $300: $100 each
    run_sweeps(START + timedelta(minutes=1))
    casework.send_contract_case(contract, actor=client, instructions="Crown on 36, zirconia.", now=START)
    commit()
    process.cancel_contract(contract, actor=designer, now=START + timedelta(days=2))
    commit()
    month = current_month(reload(contract))
    assert reload(contract).state == S.cancelled and month.refunded_cents == 20_000
    assert balance(CONTRACT_ESCROW) == 10_000 and balance(client_account(client.id)) == -10_000
    run_sweeps(month.review_until)
    assert reload(month).state == MonthState.paid_out and balance(CONTRACT_ESCROW) == 0
    assert contract_money.invariant_violations() == []


def test_the_client_cancels_only_before_the_first_charge():
    client, designer = parties()
    early = accepted(client, designer, starts_at=START + timedelta(days=20))
    assert process.cancel_contract(early, actor=client, now=START).state == S.cancelled
    paid = accepted(client, designer)
    run_sweeps(START + timedelta(minutes=1))
    assert "cancel" not in process.allowed_actions(paid, client, now=START)
    with pytest.raises(InvalidTransition):
        process.cancel_contract(paid, actor=client, now=START)


def test_an_offer_expires_after_its_acceptance_time():
    client, designer = parties()
    contract = offered(client, designer)
    run_sweeps(START + timedelta(days=15))
    assert reload(contract).state == S.expired
    with pytest.raises(InvalidTransition):
        process.accept_contract(contract, actor=client, payment_method="4242424242424242", now=START)


def test_an_unpaid_month_cancels_the_contract_after_the_grace_period():
    client, designer = parties()
    contract = accepted(client, designer, card="4000000000009995")
    run_sweeps(START + timedelta(minutes=1))
    assert current_month(contract).state == MonthState.failed
    run_sweeps(START + timedelta(days=8))
    contract = reload(contract)
    assert contract.state == S.cancelled and contract.months[0].state == MonthState.void
    assert balance(CONTRACT_ESCROW) == 0 and contract_money.invariant_violations() == []


def test_a_charge_whose_answer_was_lost_is_asked_again_under_the_same_key(monkeypatch):
    client, designer = parties()
    contract = accepted(client, designer)
    gateway = contract_money.get_gateway()
    real = type(gateway).charge_saved
    calls = []

    def lost_answer(self, **kwargs):
        real(self, **kwargs)  # the sandbox charged the card …
        calls.append(kwargs["idempotency_key"])
        raise GatewayUnconfirmed("timeout")  # … but the answer never came back

    monkeypatch.setattr(type(gateway), "charge_saved", lost_answer)
    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    assert month.state == MonthState.due and balance(CONTRACT_ESCROW) == 0
    monkeypatch.setattr(type(gateway), "charge_saved", real)
    run_sweeps(START + timedelta(minutes=2))
    month = reload(month)
    assert month.state == MonthState.captured and balance(CONTRACT_ESCROW) == 30_000
    keys = db.session.scalars(sa.select(ContractMovement.idempotency_key)).all()
    assert keys == calls  # one movement, asked twice under its key: charged once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SandboxRequest)) == 1


def test_a_payout_whose_answer_was_lost_is_not_paid_twice(monkeypatch):
    client, designer = parties()
    contract = accepted(client, designer)
    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    gateway = contract_money.get_gateway()
    real = type(gateway).transfer

    def lost_answer(self, **kwargs):
        real(self, **kwargs)
        raise GatewayUnconfirmed("timeout")

    monkeypatch.setattr(type(gateway), "transfer", lost_answer)
    run_sweeps(month.review_until)
    assert reload(month).state == MonthState.captured and contract_money.month_escrow(month.id) == 30_000
    monkeypatch.setattr(type(gateway), "transfer", real)
    run_sweeps(month.review_until + timedelta(minutes=1))
    assert reload(month).state == MonthState.paid_out and contract_money.month_escrow(month.id) == 0
    transfers = db.session.scalars(
        sa.select(SandboxRequest.idempotency_key).where(SandboxRequest.action == "transfer")
    ).all()
    assert len(transfers) == 1  # asked twice under one key: paid once
    assert contract_money.invariant_violations() == []
