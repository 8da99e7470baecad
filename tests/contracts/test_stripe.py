"""Monthly contracts on Stripe (the local Stripe server): the card saved as a Customer and an
off-session SetupIntent, each month an off-session PaymentIntent captured at once, the bank's
authentication request answered from the mailed link, the month paid to the designer's
connected account by a transfer tied to the month's charge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts import months
from contracts.queries import current_month
from extensions import commit
from jobs.sweep import run_sweeps
from models.contracts import MonthState
from payments import contract_money
from payments.fees import platform_fee
from payments.ledger import CONTRACT_ESCROW, balance, designer_account, invariant_violations
from tests.contracts.factories import START, accepted, offered, parties, reload
from tests.factories import login
from tests.payments.factories import make_connected_account


@pytest.fixture
def people(stripe_server, stripe_app):
    client, designer = parties()
    account = stripe_server.create_account({"type": "express", "country": "FR"})
    stripe_server.complete_onboarding(account["id"])
    make_connected_account(designer, account_id=account["id"])
    return client, designer, account["id"]


def _calls(server, path_prefix):
    return [(path, params) for method, path, params, _key in server.requests if path.startswith(path_prefix)]


def test_months_are_charged_off_session_and_paid_to_the_connected_account(stripe_server, people):
    client, designer, account_id = people
    contract = accepted(client, designer, card="pm_card_visa")
    assert contract.customer_reference.startswith("cus_") and contract.card_last4 == "4242"
    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    assert month.state == MonthState.captured and balance(CONTRACT_ESCROW) == 30_000
    (_path, charge), *_ = _calls(stripe_server, "/v1/payment_intents")
    assert charge["off_session"] == "true" and charge["customer"] == contract.customer_reference
    run_sweeps(month.review_until)
    month = reload(month)
    assert month.state == MonthState.paid_out
    (_path, transfer), *_ = _calls(stripe_server, "/v1/transfers")
    assert transfer["destination"] == account_id and int(transfer["amount"]) == 30_000 - platform_fee(30_000)
    assert transfer["source_transaction"] == month.source_charge and month.source_charge.startswith("ch_")
    assert balance(designer_account(designer.id)) == 30_000 - platform_fee(30_000)
    assert invariant_violations() == [] and contract_money.invariant_violations() == []


def test_the_bank_asks_the_client_to_confirm_then_the_month_is_captured(stripe_server, people):
    client, designer, _account = people
    contract = accepted(client, designer, card="pm_card_authenticationRequired")
    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    assert month.state == MonthState.requires_action and month.client_secret
    stripe_server.authenticate(month.charge_reference)
    months.pay_month(contract, month, actor=client, now=START + timedelta(hours=1))
    commit()
    assert reload(month).state == MonthState.captured and balance(CONTRACT_ESCROW) == 30_000


def test_a_card_stripe_declines_is_not_saved(stripe_server, people):
    client, designer, _account = people
    contract = offered(client, designer)
    with pytest.raises(contract_money.ContractPaymentFailed):
        months.process.accept_contract(contract, actor=client, payment_method="pm_card_chargeDeclined", now=START)


def test_the_pay_page_confirms_the_months_charge_with_stripes_element_then_captures_it(
    stripe_server, people, stripe_client
):
    client, designer, _account = people
    contract = accepted(client, designer, card="pm_card_authenticationRequired")
    run_sweeps(START + timedelta(minutes=1))
    month = current_month(contract)
    browser = stripe_client
    login(browser, client)
    url = f"/contracts/{contract.reference}/months/{month.number}/pay"

    page = browser.get(url).get_data(as_text=True)
    # Stripe's element is mounted with the month's PaymentIntent; no card field of our own
    assert f'data-client-secret="{month.client_secret}"' in page and 'data-publishable-key="pk_test_occlusa"' in page
    assert "https://js.stripe.com/v3" in page and 'name="card_number"' not in page
    policy = browser.get(url).headers["Content-Security-Policy"]
    assert "script-src 'self' https://js.stripe.com" in policy and "frame-src https://js.stripe.com" in policy
    # back from Stripe before the bank confirmed: still waiting, nothing captured
    response = browser.get(f"{url}?payment_intent={month.charge_reference}")
    assert response.status_code == 200 and "Your bank has not confirmed the payment yet" in response.get_data(
        as_text=True
    )
    assert reload(month).state == MonthState.requires_action

    stripe_server.authenticate(month.charge_reference)  # what Stripe.js does with the client secret
    response = browser.get(f"{url}?payment_intent={month.charge_reference}&redirect_status=succeeded")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/contracts/{contract.reference}")
    assert reload(month).state == MonthState.captured and balance(CONTRACT_ESCROW) == 30_000
    assert invariant_violations() == [] and contract_money.invariant_violations() == []
