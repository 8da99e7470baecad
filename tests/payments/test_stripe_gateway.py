"""StripeGateway: the real stripe SDK against the local Stripe-speaking server."""

from __future__ import annotations

import pytest

from payments.gateways.base import GatewayError, HoldStatus, PaymentDeclined
from payments.gateways.stripe_gateway import StripeGateway
from tests.payments.stripe_server import StripeServer


@pytest.fixture
def gateway(stripe_server):
    return StripeGateway.from_config({"STRIPE_SECRET_KEY": stripe_server.api_key, "STRIPE_API_BASE": stripe_server.url})


def _ready_account(server: StripeServer, gateway: StripeGateway) -> str:
    account = gateway.create_express_account(
        email="d@example.com",
        country="FR",
        business_type="individual",
        metadata={"user_id": "7"},
        idempotency_key="acct-7",
    )
    server.complete_onboarding(account["id"])
    return account["id"]


def test_hold_creates_a_manual_capture_intent_for_the_browser(stripe_server, gateway):
    result = gateway.hold(amount_cents=4500, currency="usd", idempotency_key="order-1-hold", metadata={"order": "1"})
    assert result.status == HoldStatus.requires_action
    assert result.reference.startswith("pi_") and result.client_secret.startswith(result.reference + "_secret_")
    intent = stripe_server.objects[result.reference]
    assert intent["capture_method"] == "manual" and intent["amount"] == 4500
    assert intent["metadata"] == {"order": "1"}
    # the Payment Element confirms it in the browser; the gateway then sees the hold
    stripe_server.confirm_in_browser(result.reference)
    assert gateway.hold_status(result.reference) == HoldStatus.held


def test_same_idempotency_key_never_creates_a_second_intent(stripe_server, gateway):
    first = gateway.hold(amount_cents=4500, currency="usd", idempotency_key="order-2-hold", metadata={})
    again = gateway.hold(amount_cents=4500, currency="usd", idempotency_key="order-2-hold", metadata={})
    assert first.reference == again.reference
    assert sum(1 for o in stripe_server.objects.values() if o["object"] == "payment_intent") == 1


def test_every_call_carries_an_idempotency_key(stripe_server, gateway):
    held = gateway.hold(
        amount_cents=9000, currency="usd", idempotency_key="k-hold", metadata={}, payment_method="pm_card_visa"
    )
    gateway.capture(held.reference, amount_cents=9000, idempotency_key="k-capture")
    posts = [r for r in stripe_server.requests if r[0] == "POST"]
    assert [r[3] for r in posts] == ["k-hold", "k-capture"]


def test_declined_card_raises_payment_declined_with_stripe_words(stripe_server, gateway):
    with pytest.raises(PaymentDeclined, match="Your card was declined"):
        gateway.hold(
            amount_cents=4500,
            currency="usd",
            idempotency_key="order-3-hold",
            metadata={},
            payment_method="pm_card_chargeDeclined",
        )


def test_capture_then_transfer_to_the_designer_from_the_charge(stripe_server, gateway):
    destination = _ready_account(stripe_server, gateway)
    held = gateway.hold(
        amount_cents=10000, currency="usd", idempotency_key="case-1-hold", metadata={}, payment_method="pm_card_visa"
    )
    assert held.status == HoldStatus.held
    captured = gateway.capture(held.reference, amount_cents=10000, idempotency_key="case-1-capture")
    assert captured.reference.startswith("ch_") and captured.amount_cents == 10000
    transfer = gateway.transfer(
        amount_cents=9100,
        currency="usd",
        destination=destination,
        transfer_group="case-OC-1",
        source_charge=captured.reference,
        idempotency_key="case-1-transfer",
    )
    made = stripe_server.objects[transfer.reference]
    assert (made["amount"], made["destination"], made["transfer_group"], made["source_transaction"]) == (
        9100,
        destination,
        "case-OC-1",
        captured.reference,
    )
    assert "application_fee_amount" not in stripe_server.requests[-1][2]
    # a ruling takes part of it back
    reversal = gateway.reverse_transfer(transfer.reference, amount_cents=1000, idempotency_key="case-1-reverse")
    assert reversal.amount_cents == 1000 and stripe_server.objects[transfer.reference]["amount_reversed"] == 1000


def test_transfer_to_an_account_without_payouts_is_a_gateway_error(stripe_server, gateway):
    account = gateway.create_express_account(
        email="x@example.com", country="DE", business_type="company", metadata={}, idempotency_key="acct-x"
    )
    with pytest.raises(GatewayError, match="capabilities"):
        gateway.transfer(
            amount_cents=500,
            currency="usd",
            destination=account["id"],
            transfer_group="g",
            source_charge=None,
            idempotency_key="t-x",
        )


def test_cancel_releases_the_hold_and_a_lapsed_hold_counts_as_released(stripe_server, gateway):
    held = gateway.hold(
        amount_cents=4000, currency="usd", idempotency_key="h", metadata={}, payment_method="pm_card_visa"
    )
    call = gateway.cancel_hold(held.reference, idempotency_key="c1")
    assert stripe_server.objects[held.reference]["status"] == "canceled" and call.reference == held.reference
    # cancelled again with another key (Stripe had already let it lapse): nothing to do, no error
    assert gateway.cancel_hold(held.reference, idempotency_key="c2").reference == held.reference
    with pytest.raises(GatewayError):
        gateway.capture(held.reference, amount_cents=4000, idempotency_key="cap")


def test_refund_part_of_a_captured_payment_by_intent(stripe_server, gateway):
    held = gateway.hold(
        amount_cents=6000, currency="usd", idempotency_key="h6", metadata={}, payment_method="pm_card_visa"
    )
    charge = gateway.capture(held.reference, amount_cents=6000, idempotency_key="c6").reference
    refund = gateway.refund(held.reference, amount_cents=2500, idempotency_key="r6")
    assert refund.amount_cents == 2500 and stripe_server.objects[charge]["amount_refunded"] == 2500
    with pytest.raises(GatewayError, match="greater than unrefunded"):
        gateway.refund(charge, amount_cents=4000, idempotency_key="r6-too-much")


def test_unreachable_stripe_is_a_gateway_error():
    with StripeServer() as server:
        url = server.url
    gateway = StripeGateway.from_config({"STRIPE_SECRET_KEY": "sk_test_occlusa", "STRIPE_API_BASE": url})
    gateway.client._requestor._options.max_network_retries = 0  # do not wait for retries
    with pytest.raises(GatewayError):
        gateway.hold_status("pi_missing")
