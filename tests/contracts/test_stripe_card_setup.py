"""Accepting a contract and changing its card in Stripe mode (the local Stripe server): the card
is typed in Stripe's Payment Element on a SetupIntent of the contract's Customer, confirmed by
Stripe.js (confirmSetup), and read back when Stripe returns the browser; the months are then
charged off-session to it. A setup that failed, or that was made for another contract, is
refused with a clear message and changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from contracts.queries import current_month
from extensions import commit
from jobs.sweep import run_sweeps
from models.contracts import ContractState, MonthState
from payments import contract_money
from payments.ledger import CONTRACT_ESCROW, balance, invariant_violations
from tests.contracts.factories import START, accepted, offered, parties, reload
from tests.factories import login as log_in
from tests.factories import make_user
from tests.payments.factories import make_connected_account


@pytest.fixture
def people(stripe_server, stripe_app):
    client, designer = parties()
    account = stripe_server.create_account({"type": "express", "country": "FR"})
    stripe_server.complete_onboarding(account["id"])
    make_connected_account(designer, account_id=account["id"])
    return client, designer


def _setup_page(browser, contract) -> tuple[str, str]:
    """The card page's HTML and the SetupIntent its element is mounted with."""
    page = browser.get(f"/contracts/{contract.reference}/card-setup").get_data(as_text=True)
    secret = re.search(r'data-client-secret="(seti_[0-9a-f]+)_secret_[0-9a-f]+"', page)
    assert secret, page[:2000]
    return page, secret.group(1)


def _back_from_stripe(browser, contract, setup_id: str):
    return browser.get(
        f"/contracts/{contract.reference}/card-setup/done?setup_intent={setup_id}&redirect_status=succeeded"
    )


def test_the_client_accepts_with_a_card_saved_by_stripes_element_then_the_month_is_charged_off_session(
    stripe_server, people, stripe_client
):
    client, designer = people
    contract = offered(client, designer)
    log_in(stripe_client, client)
    show = stripe_client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert f"/contracts/{contract.reference}/card-setup" in show and 'name="card_number"' not in show

    page, setup_id = _setup_page(stripe_client, contract)
    assert 'data-mode="setup"' in page and "Save the card" in page and 'name="card_number"' not in page
    setup = stripe_server.objects[setup_id]
    assert setup["usage"] == "off_session" and setup["metadata"]["contract"] == contract.reference
    _again, second_setup = _setup_page(stripe_client, contract)  # the page seen again: no other Customer
    assert second_setup != setup_id and stripe_server.objects[second_setup]["customer"] == setup["customer"]
    stripe_server.confirm_setup_in_browser(setup_id, "pm_card_visa")  # what Stripe.js does

    response = _back_from_stripe(stripe_client, contract, setup_id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/contracts/{contract.reference}")
    contract = reload(contract)
    assert contract.state == ContractState.active and contract.card_last4 == "4242"
    assert contract.customer_reference == setup["customer"] and contract.payment_method_reference == "pm_card_visa"
    assert "Contract accepted" in stripe_client.get(f"/contracts/{contract.reference}").get_data(as_text=True)

    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    assert month.state == MonthState.captured and balance(CONTRACT_ESCROW) == 30_000
    charge = next(p for _m, path, p, _k in stripe_server.requests if path == "/v1/payment_intents")
    assert charge["off_session"] == "true" and charge["customer"] == setup["customer"]
    assert charge["payment_method"] == "pm_card_visa"
    assert invariant_violations() == [] and contract_money.invariant_violations() == []


def test_after_a_failed_month_the_new_card_goes_on_the_contracts_customer_and_pays_the_month(
    stripe_server, people, stripe_client
):
    client, designer = people
    contract = accepted(client, designer, card="pm_card_chargeDeclinedInsufficientFunds")
    customer = contract.customer_reference
    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    assert month.state == MonthState.failed
    log_in(stripe_client, client)
    pay_url = f"/contracts/{contract.reference}/months/{month.number}/pay"
    assert f"/contracts/{contract.reference}/card-setup" in stripe_client.get(pay_url).get_data(as_text=True)

    page, setup_id = _setup_page(stripe_client, contract)
    assert "Change the card" in page
    assert stripe_server.objects[setup_id]["customer"] == customer  # not a new Customer
    stripe_server.confirm_setup_in_browser(setup_id, "pm_card_visa")
    response = _back_from_stripe(stripe_client, contract, setup_id)
    assert response.status_code == 302 and response.headers["Location"].endswith(pay_url)
    contract = reload(contract)
    assert contract.customer_reference == customer and contract.payment_method_reference == "pm_card_visa"
    assert contract.card_last4 == "4242"

    response = stripe_client.post(pay_url, data={})
    assert response.status_code == 302
    assert reload(month).state == MonthState.captured and balance(CONTRACT_ESCROW) == 30_000
    assert invariant_violations() == [] and contract_money.invariant_violations() == []


def test_a_setup_the_bank_refused_accepts_nothing(stripe_server, people, stripe_client):
    client, designer = people
    contract = offered(client, designer)
    log_in(stripe_client, client)
    _page, setup_id = _setup_page(stripe_client, contract)
    stripe_server.confirm_setup_in_browser(setup_id, "pm_card_chargeDeclined")
    response = _back_from_stripe(stripe_client, contract, setup_id)
    assert response.status_code == 302
    page = stripe_client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
    assert "Your card was not saved" in page and "Nothing was changed" in page
    contract = reload(contract)
    assert contract.state == ContractState.offered and contract.payment_method_reference is None


def test_a_setup_made_for_another_contract_or_client_is_refused(stripe_server, people, stripe_app, stripe_client):
    client, designer = people
    other_client = make_user(name="Lab South")
    theirs = offered(other_client, designer)
    mine = accepted(client, designer, card="pm_card_visa")
    mine_offer = offered(client, designer)
    their_browser = stripe_app.test_client()
    log_in(their_browser, other_client)
    _page, their_setup = _setup_page(their_browser, theirs)
    stripe_server.confirm_setup_in_browser(their_setup, "pm_card_visa")

    log_in(stripe_client, client)
    for contract in (mine_offer, mine):  # accepting, and changing the card of a running contract
        before = (contract.state, contract.customer_reference, contract.payment_method_reference)
        response = _back_from_stripe(stripe_client, contract, their_setup)
        assert response.status_code == 302, response.status_code
        page = stripe_client.get(f"/contracts/{contract.reference}").get_data(as_text=True)
        assert "This card was not saved for this contract" in page
        contract = reload(contract)
        assert (contract.state, contract.customer_reference, contract.payment_method_reference) == before
    assert reload(theirs).state == ContractState.offered


def test_the_french_card_page(stripe_server, people, stripe_client):
    client, designer = people
    contract = offered(client, designer)
    client.locale = "fr"
    commit()
    log_in(stripe_client, client)
    page, _setup_id = _setup_page(stripe_client, contract)
    assert "Accepter le contrat" in page and "Enregistrer la carte" in page


def test_the_card_setup_pages_are_stripes_only(client, login):
    lab, designer = parties()
    contract = offered(lab, designer)
    login(lab)
    assert client.get(f"/contracts/{contract.reference}/card-setup").status_code == 404  # sandbox: card field
    assert client.get(f"/contracts/{contract.reference}/card-setup/done?setup_intent=seti_x").status_code == 404
