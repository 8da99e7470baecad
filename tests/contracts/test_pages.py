"""The contract pages: the designer offers from a conversation, the client accepts with a card,
sees the month and its allowance and sends cases under it; another person's contract is a 404
on every page and button; English and French."""

from __future__ import annotations

from datetime import timedelta

import pytest

from extensions import commit, db
from jobs.sweep import run_sweeps
from messaging.threads import open_general_conversation
from models.cases import Case
from models.contracts import Contract, ContractState, MonthState
from models.messaging import Notification
from models.types import utcnow
from tests.contracts.factories import VISA, accepted, offered, parties, reload
from tests.factories import make_user


@pytest.fixture
def talk():
    client, designer = parties()
    conversation = open_general_conversation(client, designer, subject="Crowns every month")
    commit()
    return client, designer, conversation


def _offer_form(**fields):
    start = utcnow().date()
    data = {
        "title": "Zirconia crowns, anatomic",
        "cases_per_month": 3,
        "month_price": "300.00",
        "extra_case_price": "120.00",
        "turnaround_days": 3,
        "revisions_included": 2,
        "starts_on": start.isoformat(),
        "duration": "rolling",
        "notice_days": 30,
    }
    data.update(fields)
    return data


def test_designer_offers_from_the_conversation_and_client_accepts_and_sends(talk, client, login):
    lab, designer, conversation = talk
    login(designer)
    page = client.get(f"/messages/{conversation.id}")
    assert f"/messages/{conversation.id}/contract" in page.get_data(as_text=True)
    response = client.post(f"/messages/{conversation.id}/contract", data=_offer_form())
    assert response.status_code == 302
    contract = db.session.query(Contract).one()
    assert (contract.state, contract.month_price_cents, contract.extra_case_cents) == (
        ContractState.offered,
        30_000,
        12_000,
    )
    client.post("/account/logout")

    login(lab)
    page = client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert "Accept the contract" in page and "$300.00" in page
    client.post(f"/contracts/{contract.reference}/accept", data={"card_number": VISA})
    assert reload(contract).state == ContractState.active and reload(contract).card_last4 == "4242"
    run_sweeps(utcnow() + timedelta(hours=1))
    page = client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert "0 of 3 cases used" in page and "Paid, in escrow" in page
    response = client.post(
        f"/contracts/{contract.reference}/cases", data={"instructions": "Anatomic crown on 36, contacts tight."}
    )
    case = db.session.query(Case).one()
    assert response.headers["Location"].endswith(f"/cases/{case.reference}")
    assert "case 1 of 3" in client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "1 of 3 cases used" in client.get(f"/contracts/{contract.reference}").get_data(as_text=True)


def test_a_bad_offer_is_refused_on_its_field(talk, client, login):
    _lab, designer, conversation = talk
    login(designer)
    response = client.post(f"/messages/{conversation.id}/contract", data=_offer_form(month_price="2.00"))
    assert response.status_code == 422
    assert "The monthly price is at least $7." in response.get_data(as_text=True)
    assert db.session.query(Contract).count() == 0


def test_other_peoples_contracts_are_404(client, login):
    lab, designer = parties()
    contract = accepted(lab, designer)
    run_sweeps(contract.starts_at + timedelta(minutes=1))
    other_designer = make_user(name="Other designer", client=False, designer=True)
    stranger = make_user(name="Stranger lab")
    ref = contract.reference
    for person in (stranger, other_designer):
        login(person)
        assert client.get(f"/contracts/{ref}").status_code == 404
        assert client.get(f"/contracts/{ref}/months/1/pay").status_code == 404
        for path in ("accept", "do/pause", "do/cancel", "do/give_notice", "cases", "card"):
            assert client.post(f"/contracts/{ref}/{path}", data={"card_number": VISA}).status_code == 404, path
        assert ref not in client.get("/contracts/").get_data(as_text=True)
        client.post("/account/logout")
    # the designer is a party, but the month's payment page is the client's
    login(designer)
    assert client.get(f"/contracts/{ref}").status_code == 200
    assert client.get(f"/contracts/{ref}/months/1/pay").status_code == 404
    assert reload(contract).state == ContractState.active


def test_a_stranger_cannot_offer_from_someone_elses_conversation(talk, client, login):
    _lab, _designer, conversation = talk
    login(make_user(name="Intruder", client=False, designer=True))
    assert client.get(f"/messages/{conversation.id}/contract").status_code == 404


def test_the_contract_page_in_french(client, login):
    lab, designer = parties()
    contract = offered(lab, designer)
    lab.locale = "fr"
    commit()
    login(lab)
    page = client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert "Accepter le contrat" in page and "Cas par mois" in page


def test_sca_month_is_confirmed_from_the_mailed_link(client, login):
    lab, designer = parties()
    now = utcnow()
    contract = accepted(lab, designer, card="4000002760003184", starts_at=now, now=now)
    run_sweeps(contract.starts_at + timedelta(minutes=1))
    month = reload(contract).months[0]
    assert month.state == MonthState.requires_action
    mailed = db.session.query(Notification).filter_by(user_id=lab.id, event="contract_payment").one()
    assert f"/contracts/{contract.reference}/months/1/pay" in mailed.body
    login(lab)
    assert "Pay this month" in client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    response = client.post(f"/contracts/{contract.reference}/months/1/pay", data={})
    assert response.status_code == 302
    assert reload(month).state == MonthState.captured and reload(month).captured_cents == 30_000
