"""Settings > Payments: payout onboarding with Stripe Connect, offline in the sandbox, or via a euro IBAN."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.payments import ConnectedAccount, IbanProvider, PayoutProvider
from models.profiles import DesignerProfile
from payments import connect
from tests.factories import make_user
from tests.payments.test_webhooks import deliver


def _account(user) -> ConnectedAccount | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(ConnectedAccount).filter_by(user_id=user.id))


def test_sandbox_onboarding_makes_payouts_ready_at_once(client, login):
    designer = make_user(client=False, designer=True)
    login(designer)
    page = client.get("/settings/payments").get_data(as_text=True)
    assert "offline" in page and "Wise" in page and "Switzerland" in page

    response = client.post("/settings/payments", data={"business_type": "company", "country": "PT"})

    assert response.status_code == 302
    account = _account(designer)
    assert (account.provider, account.country, account.payouts_ready) == (PayoutProvider.sandbox, "PT", True)
    assert connect.payout_destination(designer) == f"acct_sandbox_{designer.id}"
    assert db.session.scalar(sa.select(DesignerProfile.payouts_ready).filter_by(user_id=designer.id)) is True
    assert "Payouts ready" in client.get("/settings/payments").get_data(as_text=True)


def test_a_country_outside_stripe_is_pointed_to_the_iban_route(client, login):
    designer = make_user(client=False, designer=True)
    login(designer)
    response = client.post(
        "/settings/payments", data={"business_type": "individual", "country": "other", "residence_country": "IN"}
    )
    assert response.status_code == 200
    assert "Required for the Wise or Payoneer route" in response.get_data(as_text=True)
    assert _account(designer) is None


def test_the_iban_route_registers_the_account_in_the_ibans_country(client, login):
    designer = make_user(client=False, designer=True)
    login(designer)
    response = client.post(
        "/settings/payments",
        data={
            "business_type": "individual",
            "country": "other",
            "residence_country": "IN",
            "iban_provider": "wise",
            "iban": "be71 0961 2345 6769",
        },
    )
    assert response.status_code == 302
    account = _account(designer)
    assert (account.country, account.residence_country, account.iban_provider, account.iban_last4) == (
        "BE",
        "IN",
        IbanProvider.wise,
        "6769",
    )
    page = client.get("/settings/payments").get_data(as_text=True)
    assert "Belgium" in page and "India" in page and "6769" in page and "BE71" not in page


def test_a_mistyped_iban_is_refused_and_nothing_is_created(client, login):
    designer = make_user(client=False, designer=True)
    login(designer)
    response = client.post(
        "/settings/payments",
        data={
            "business_type": "individual",
            "country": "other",
            "residence_country": "IN",
            "iban_provider": "payoneer",
            "iban": "BE71 0961 2345 6768",
        },
    )
    assert "This IBAN is not valid" in response.get_data(as_text=True)
    assert _account(designer) is None


def test_an_iban_from_an_unsupported_country_is_refused(client, login):
    designer = make_user(client=False, designer=True)
    login(designer)
    response = client.post(
        "/settings/payments",
        data={
            "business_type": "individual",
            "country": "other",
            "residence_country": "IN",
            "iban_provider": "wise",
            "iban": "TR33 0006 1005 1978 6457 8413 26",
        },
    )
    assert "not available" in response.get_data(as_text=True) and _account(designer) is None


def test_payments_settings_are_for_designers_only(client, login):
    login(make_user(client=True, designer=False))
    assert client.get("/settings/payments").status_code == 404


def test_stripe_onboarding_sends_the_designer_to_stripe_and_the_webhook_finishes_it(stripe_server, stripe_client):
    from tests.factories import login as login_with

    designer = make_user(client=False, designer=True)
    login_with(stripe_client, designer)

    response = stripe_client.post("/settings/payments", data={"business_type": "individual", "country": "DE"})

    assert response.status_code == 302 and response.location.startswith("https://connect.stripe.com/setup/e/")
    account = _account(designer)
    made = stripe_server.objects[account.account_id]
    assert (made["type"], made["country"], made["business_type"]) == ("express", "DE", "individual")
    assert made["capabilities"] == {"transfers": {"requested": "true"}} or made["tos_acceptance"]
    assert account.payouts_ready is False and connect.payout_destination(designer) is None
    assert "Continue on Stripe" in stripe_client.get("/settings/payments").get_data(as_text=True)

    assert deliver(stripe_client, stripe_server.complete_onboarding(account.account_id)).status_code == 200

    assert connect.payout_destination(_account(designer).user) == account.account_id


def test_coming_back_from_stripe_asks_stripe_for_the_account(stripe_server, stripe_client):
    from tests.factories import login as login_with

    designer = make_user(client=False, designer=True)
    login_with(stripe_client, designer)
    stripe_client.post("/settings/payments", data={"business_type": "company", "country": "US"})
    account_id = _account(designer).account_id
    stripe_server.complete_onboarding(account_id)  # its webhook never arrives

    response = stripe_client.get("/settings/payments/return", follow_redirects=True)

    assert "Your payouts are set up" in response.get_data(as_text=True)
    assert _account(designer).payouts_ready is True
