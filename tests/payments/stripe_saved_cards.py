"""The local Stripe server's saved cards (monthly contracts): customers, SetupIntents, payment
methods, and off-session PaymentIntents that the bank may ask the cardholder to confirm.

Mixed into StripeServer (which brings _new, _get, emit, the lock and the routing).
pm_card_authenticationRequired (4000 0027 6000 3184) is saved, but every off-session charge is
refused with 402 `authentication_required`, the intent waiting in requires_action until the
cardholder confirms it (`authenticate`, the page Stripe.js opens). pm_card_chargeDeclined
cannot be saved. A SetupIntent created without a card waits for Stripe.js to confirm it in the
cardholder's browser (`confirm_setup_in_browser`).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from tests.payments.stripe_errors import DECLINING_METHODS, StripeError

AUTH_REQUIRED = "pm_card_authenticationRequired"
_LAST4 = {
    "pm_card_visa": "4242",
    "pm_card_chargeDeclined": "0002",
    "pm_card_chargeDeclinedInsufficientFunds": "9995",
    AUTH_REQUIRED: "3184",
}

SAVED_CARD_ROUTES = [
    ("POST", r"/v1/customers", "create_customer"),
    ("POST", r"/v1/setup_intents", "create_setup_intent"),
    ("GET", r"/v1/setup_intents/(?P<id>[^/]+)", "get_setup_intent"),
    ("GET", r"/v1/payment_methods/(?P<id>[^/]+)", "get_payment_method"),
]


class SavedCardsEndpoints:
    def create_customer(self, params: dict) -> dict:
        return self._new("cus", "customer", email=params.get("email"), metadata=params.get("metadata", {}))

    def create_setup_intent(self, params: dict) -> dict:
        customer = self._get(params.get("customer", ""), "customer")
        method = params.get("payment_method")
        setup = self._new(
            "seti",
            "setup_intent",
            customer=customer["id"],
            payment_method=method,
            usage=params.get("usage", "off_session"),
            status="requires_confirmation" if method else "requires_payment_method",
            last_setup_error=None,
            metadata=params.get("metadata", {}),
        )
        setup["client_secret"] = f"{setup['id']}_secret_{secrets.token_hex(8)}"
        if params.get("confirm") == "true":
            self._confirm_setup(setup, method)
        return setup

    def _confirm_setup(self, setup: dict, method: str) -> None:
        if method == "pm_card_chargeDeclined":
            message = DECLINING_METHODS[method][1]
            setup.update(
                payment_method=None,
                status="requires_payment_method",
                last_setup_error={"code": "card_declined", "message": message},
            )
            raise StripeError(
                402, "card_error", message, code="card_declined", setup_intent=json.loads(json.dumps(setup))
            )
        setup.update(payment_method=method, status="succeeded", last_setup_error=None)
        self._new("pm_saved", "saved_method", customer=setup["customer"], payment_method=method)

    def get_setup_intent(self, params: dict, id: str) -> dict:
        return self._get(id, "setup_intent")

    def confirm_setup_in_browser(self, setup_id: str, payment_method: str = "pm_card_visa") -> dict:
        """What Stripe.js's confirmSetup does with the card typed in the Payment Element."""
        with self._lock:
            setup = self._get(setup_id, "setup_intent")
            try:
                self._confirm_setup(setup, payment_method)
            except StripeError:
                pass
            return setup

    def get_payment_method(self, params: dict, id: str) -> dict:
        return {"id": id, "object": "payment_method", "type": "card", "card": {"last4": _LAST4.get(id, "4242")}}

    def off_session_refusal(self, intent: dict, method: str) -> Any:
        """The StripeError for an off-session charge the bank wants confirmed, or None."""
        if method != AUTH_REQUIRED or intent.get("off_session") != "true":
            return None
        message = "This payment requires authentication by the cardholder."
        intent.update(
            status="requires_action",
            last_payment_error={"type": "card_error", "code": "authentication_required", "message": message},
        )
        return StripeError(
            402,
            "card_error",
            message,
            code="authentication_required",
            payment_intent=json.loads(json.dumps(intent)),
        )

    def authenticate(self, intent_id: str) -> dict:
        """The cardholder confirmed on the bank's page: the off-session charge succeeds."""
        with self._lock:
            intent = self._get(intent_id, "payment_intent")
            charge = self.objects[intent["latest_charge"]]
            charge.update(status="succeeded", captured=True, amount_captured=intent["amount"])
            intent.update(status="succeeded", amount_received=intent["amount"], last_payment_error=None)
            return self.emit("payment_intent.succeeded", intent)
