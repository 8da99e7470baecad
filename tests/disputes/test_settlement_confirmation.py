"""Accepting a settlement shows what each side receives and moves money only once confirmed."""

from __future__ import annotations

import sqlalchemy as sa

from disputes import operations
from extensions import commit, db
from models.cases import CaseState
from models.disputes import DisputeState, ProposalStatus
from models.ledger import Journal
from payments.case_money import case_money
from payments.ledger import balance, client_account, designer_account
from tests.disputes.factories import disputed, people, reload, state
from tests.factories import login


def proposed(amount_cents: int, designer_cents: int):
    customer, designer, _ = people()
    case, dispute = disputed(customer, designer, amount_cents=amount_cents)
    proposal = operations.propose_settlement(dispute, actor=designer, designer_cents=designer_cents)
    commit()
    return customer, designer, case, dispute, proposal


def journal_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Journal.id)))


def test_the_confirmation_shows_what_each_side_receives(client):
    customer, _designer, _case, dispute, proposal = proposed(2_700, 1_500)
    login(client, customer)
    show = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    accept_url = f"/disputes/{dispute.id}/proposals/{proposal.id}/accept"
    assert f'id="accept-proposal-{proposal.id}"' in show and accept_url in show
    page = client.get(accept_url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="settle-refund">$12.00<' in body
    assert 'id="settle-designer-gross">$15.00<' in body
    assert 'id="settle-fee">$3.49<' in body
    assert 'id="settle-designer-net">$11.51<' in body
    assert 'id="confirmed"' in body and 'id="confirm-settlement"' in body


def test_a_post_without_the_confirmation_changes_nothing(client):
    customer, designer, case, dispute, proposal = proposed(2_700, 1_500)
    login(client, customer)
    before = journal_count()
    refused = client.post(f"/disputes/{dispute.id}/proposals/{proposal.id}/accept", data={})
    assert refused.status_code == 400
    assert "Tick the box to confirm these amounts. Nothing was changed." in refused.get_data(as_text=True)
    assert reload(proposal).status == ProposalStatus.open and reload(dispute).state == DisputeState.open
    assert state(case) == CaseState.disputed and journal_count() == before
    assert balance(designer_account(designer.id)) == 0


def test_the_confirmed_acceptance_moves_the_amounts_shown(client):
    customer, designer, case, dispute, proposal = proposed(2_700, 1_500)
    login(client, customer)
    done = client.post(
        f"/disputes/{dispute.id}/proposals/{proposal.id}/accept", data={"confirmed": "y"}, follow_redirects=True
    )
    assert "Settled by agreement" in done.get_data(as_text=True)
    assert state(case) == CaseState.resolved and reload(dispute).state == DisputeState.settled
    money = case_money(reload(case))
    assert (money.refunded_cents, money.designer_gross_cents, money.fee_cents, money.designer_net_cents) == (
        1_200,
        1_500,
        349,
        1_151,
    )
    assert balance(designer_account(designer.id)) == 1_151 and balance(client_account(customer.id)) == -1_500
    # the proposal is no longer on the table: the page sends the party back to the dispute
    again = client.get(f"/disputes/{dispute.id}/proposals/{proposal.id}/accept")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/disputes/{dispute.id}")


def test_the_proposer_is_not_offered_their_own_proposal(client):
    _customer, designer, _case, dispute, proposal = proposed(2_700, 1_500)
    login(client, designer)
    assert f'id="accept-proposal-{proposal.id}"' not in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    response = client.post(f"/disputes/{dispute.id}/proposals/{proposal.id}/accept", data={"confirmed": "y"})
    assert response.status_code == 302 and reload(proposal).status == ProposalStatus.open


def test_the_confirmation_speaks_french(client):
    customer, _designer, _case, dispute, proposal = proposed(2_700, 1_500)
    login(client, customer)
    with client.session_transaction() as session:
        session["lang"] = "fr"
    body = client.get(f"/disputes/{dispute.id}/proposals/{proposal.id}/accept").get_data(as_text=True)
    assert "Ce que chaque partie reçoit" in body and "ai lu ces montants et j" in body
    assert 'id="settle-fee">3,49' in body and 'id="settle-designer-net">11,51' in body
