"""The Stripe gateway: escrow with manual-capture PaymentIntents, payouts with Connect transfers.

Separate charges and transfers: the client's PaymentIntent is captured into the platform's
balance on acceptance, and on completion a Transfer of amount − fee goes to the designer's
connected account, in the case's `transfer_group`, tied to the charge by
`source_transaction` (so the transfer waits for the charge's funds, never the platform's).
No `application_fee_amount`: the fee is simply what is not transferred.

Every call carries the caller's idempotency key, so a retried call returns Stripe's first
answer instead of moving money again. Card errors become PaymentDeclined with Stripe's
words for the payer; every other Stripe error becomes GatewayError.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Mapping, TypeVar

import stripe

from payments.gateways.base import (
    CardSetup,
    ChargeResult,
    ChargeStatus,
    GatewayBook,
    GatewayCall,
    GatewayError,
    GatewayUnconfirmed,
    HoldLapsed,
    HoldResult,
    HoldStatus,
    PaymentDeclined,
    SavedCard,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# PaymentIntent statuses → what escrow needs to know.
_HOLD_STATUS = {
    "requires_capture": HoldStatus.held,
    "succeeded": HoldStatus.held,  # captured already: still money the platform holds
    "requires_payment_method": HoldStatus.requires_action,
    "requires_confirmation": HoldStatus.requires_action,
    "requires_action": HoldStatus.requires_action,
    "processing": HoldStatus.requires_action,
    "canceled": HoldStatus.declined,
}

# Off-session PaymentIntent statuses (monthly contracts) → what a month needs to know.
_CHARGE_STATUS = {
    "succeeded": ChargeStatus.succeeded,
    "processing": ChargeStatus.requires_action,
    "requires_action": ChargeStatus.requires_action,
    "requires_confirmation": ChargeStatus.requires_action,
    "requires_payment_method": ChargeStatus.declined,
    "canceled": ChargeStatus.declined,
}


def _call(fn: Callable[[], T]) -> T:
    """Run one SDK call, translating Stripe's errors into the gateway's two exceptions."""
    try:
        return fn()
    except stripe.CardError as exc:
        raise PaymentDeclined(exc.user_message or str(exc)) from exc
    except (stripe.APIConnectionError, stripe.APIError) as exc:
        # A timeout, a lost answer or a server error (after the SDK's retries with the same key):
        # Stripe may have acted.
        log.warning("stripe call unconfirmed: %s", exc.user_message or exc)
        raise GatewayUnconfirmed(exc.user_message or str(exc)) from exc
    except stripe.StripeError as exc:
        log.warning("stripe call failed: %s (%s)", exc.user_message or exc, getattr(exc, "code", None))
        raise GatewayError(exc.user_message or str(exc)) from exc


def _plain(obj: Any) -> dict:
    return obj.to_dict(recursive=True) if hasattr(obj, "to_dict") else dict(obj)


class StripeGateway:
    name = "stripe"

    def __init__(self, client: stripe.StripeClient, *, publishable_key: str | None = None):
        self.client = client
        self.publishable_key = publishable_key

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "StripeGateway":
        """A gateway on STRIPE_SECRET_KEY, talking to STRIPE_API_BASE when set (tests, stripe-mock)."""
        base = config.get("STRIPE_API_BASE")
        addresses = {"api": base, "connect": base, "files": base} if base else None
        client = stripe.StripeClient(
            config["STRIPE_SECRET_KEY"],
            base_addresses=addresses,
            max_network_retries=2,
            http_client=stripe.RequestsClient(timeout=config.get("STRIPE_TIMEOUT_SECONDS", 30)),
        )
        return cls(client, publishable_key=config.get("STRIPE_PUBLISHABLE_KEY"))

    # -- escrow -----------------------------------------------------------------------------

    def hold(
        self,
        *,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        payment_method: str | None = None,
        customer: str | None = None,
    ) -> HoldResult:
        """Create a manual-capture PaymentIntent; confirmed here when a payment method is given,
        else by the Payment Element in the payer's browser with the returned client_secret."""
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency,
            "capture_method": "manual",
            "payment_method_types": ["card"],
            "metadata": metadata,
        }
        if payment_method:
            params.update(payment_method=payment_method, confirm=True)
        if customer:  # a card saved for a monthly contract: charged without the payer present
            params.update(customer=customer, off_session=True)
        intent = _call(lambda: self.client.v1.payment_intents.create(params, {"idempotency_key": idempotency_key}))
        plain = _plain(intent)
        error = plain.get("last_payment_error") or {}
        return HoldResult(
            reference=plain["id"],
            status=_HOLD_STATUS.get(plain["status"], HoldStatus.requires_action),
            client_secret=plain.get("client_secret"),
            decline_reason=error.get("message"),
        )

    def hold_status(self, reference: str) -> HoldStatus:
        intent = _call(lambda: self.client.v1.payment_intents.retrieve(reference))
        return _HOLD_STATUS.get(intent.status, HoldStatus.requires_action)

    def capture(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        """Raises HoldLapsed when Stripe already cancelled the intent (its authorisation expired)."""
        try:
            intent = _call(
                lambda: self.client.v1.payment_intents.capture(
                    reference, {"amount_to_capture": amount_cents}, {"idempotency_key": idempotency_key}
                )
            )
        except GatewayError as exc:
            refused = exc.__cause__
            if (
                getattr(refused, "code", None) == "payment_intent_unexpected_state"
                and _call(lambda: self.client.v1.payment_intents.retrieve(reference)).status == "canceled"
            ):
                raise HoldLapsed(str(exc)) from refused
            raise
        charge = intent.latest_charge if isinstance(intent.latest_charge, str) else intent.latest_charge.id
        return GatewayCall("capture", charge, intent.amount_received, idempotency_key, _plain(intent))

    def cancel_hold(self, reference: str, *, idempotency_key: str) -> GatewayCall:
        try:
            intent = self.client.v1.payment_intents.cancel(reference, {}, {"idempotency_key": idempotency_key})
        except stripe.InvalidRequestError as exc:
            # Stripe may have cancelled the hold itself (it lapsed after ~7 days): already done.
            intent = _call(lambda: self.client.v1.payment_intents.retrieve(reference))
            if intent.status != "canceled":
                raise GatewayError(exc.user_message or str(exc)) from exc
        except stripe.StripeError as exc:
            raise GatewayError(exc.user_message or str(exc)) from exc
        return GatewayCall("cancel_hold", intent.id, intent.amount, idempotency_key, _plain(intent))

    # -- payouts and refunds ------------------------------------------------------------------

    def transfer(
        self,
        *,
        amount_cents: int,
        currency: str,
        destination: str,
        transfer_group: str,
        source_charge: str | None,
        idempotency_key: str,
    ) -> GatewayCall:
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency,
            "destination": destination,
            "transfer_group": transfer_group,
            "metadata": {"idempotency_key": idempotency_key},
        }
        if source_charge:
            params["source_transaction"] = source_charge
        transfer = _call(lambda: self.client.v1.transfers.create(params, {"idempotency_key": idempotency_key}))
        return GatewayCall("transfer", transfer.id, transfer.amount, idempotency_key, _plain(transfer))

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        """Refund a captured payment, given its PaymentIntent (pi_…) or its charge (ch_…/py_…)."""
        target = "payment_intent" if reference.startswith("pi_") else "charge"
        refund = _call(
            lambda: self.client.v1.refunds.create(
                {target: reference, "amount": amount_cents, "metadata": {"idempotency_key": idempotency_key}},
                {"idempotency_key": idempotency_key},
            )
        )
        return GatewayCall("refund", refund.id, refund.amount, idempotency_key, _plain(refund))

    def reverse_transfer(self, transfer_reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        reversal = _call(
            lambda: self.client.v1.transfers.reversals.create(
                transfer_reference, {"amount": amount_cents}, {"idempotency_key": idempotency_key}
            )
        )
        return GatewayCall("reverse_transfer", reversal.id, reversal.amount, idempotency_key, _plain(reversal))

    # -- the book, for reconciliation ---------------------------------------------------------

    def find(self, kind: str, *, hold_reference: str, transfer_group: str, idempotency_key: str) -> GatewayCall | None:
        if kind in ("capture", "release"):
            intent = _plain(_call(lambda: self.client.v1.payment_intents.retrieve(hold_reference)))
            if kind == "capture" and intent["status"] == "succeeded":
                return GatewayCall(
                    "capture", intent["latest_charge"], intent["amount_received"], idempotency_key, intent
                )
            if kind == "release" and intent["status"] == "canceled":
                return GatewayCall("cancel_hold", intent["id"], intent["amount"], idempotency_key, intent)
            return None
        for made in self._made(kind, hold_reference, transfer_group):
            if (made.get("metadata") or {}).get("idempotency_key") == idempotency_key:
                return GatewayCall(kind, made["id"], made["amount"], idempotency_key, made)
        return None

    def book(self, *, hold_reference: str, transfer_group: str) -> GatewayBook:
        intent = _plain(_call(lambda: self.client.v1.payment_intents.retrieve(hold_reference)))
        refunds = self._made("refund", hold_reference, transfer_group)
        transfers = self._made("transfer", hold_reference, transfer_group)
        return GatewayBook(
            captured=(intent.get("amount_received") or 0) if intent["status"] == "succeeded" else 0,
            refunded=sum(r["amount"] for r in refunds if r.get("status") in ("succeeded", "pending")),
            transferred=sum(t["amount"] - (t.get("amount_reversed") or 0) for t in transfers),
        )

    def _made(self, kind: str, hold_reference: str, transfer_group: str) -> list[dict]:
        """The case's refunds (by PaymentIntent) or transfers (by transfer group), every page."""
        if kind == "refund":
            listing = _call(lambda: self.client.v1.refunds.list({"payment_intent": hold_reference, "limit": 100}))
        else:
            listing = _call(lambda: self.client.v1.transfers.list({"transfer_group": transfer_group, "limit": 100}))
        return [_plain(item) for item in listing.auto_paging_iter()]

    # -- Connect onboarding (used by payments.connect) -----------------------------------------

    def create_express_account(
        self, *, email: str, country: str, business_type: str, metadata: dict[str, str], idempotency_key: str
    ) -> dict:
        """An Express account that can receive transfers; outside the US it is a "recipient"
        account (payouts only), which is what a designer paid by the platform needs."""
        params: dict[str, Any] = {
            "type": "express",
            "email": email,
            "country": country,
            "business_type": business_type,
            "capabilities": {"transfers": {"requested": True}},
            "metadata": metadata,
        }
        if country != "US":
            params["tos_acceptance"] = {"service_agreement": "recipient"}
        account = _call(lambda: self.client.v1.accounts.create(params, {"idempotency_key": idempotency_key}))
        return _plain(account)

    def retrieve_account(self, account_id: str) -> dict:
        return _plain(_call(lambda: self.client.v1.accounts.retrieve(account_id)))

    def create_account_link(self, account_id: str, *, refresh_url: str, return_url: str, idempotency_key: str) -> str:
        link = _call(
            lambda: self.client.v1.account_links.create(
                {
                    "account": account_id,
                    "type": "account_onboarding",
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                },
                {"idempotency_key": idempotency_key},
            )
        )
        return link.url

    # -- saved cards and off-session charges (monthly contracts) -------------------------------
    # The card is saved once on the contract's accept page: a Customer, then a SetupIntent
    # confirmed for off-session use. Each month is a PaymentIntent charged off-session and
    # captured at once; when the bank asks for authentication Stripe refuses with
    # `authentication_required` and the intent waits in requires_action: the client is mailed a
    # link to a page where Stripe.js confirms it with the intent's client secret.

    def save_card(self, *, payment_method: str, email: str, idempotency_key: str) -> SavedCard:
        customer = _call(
            lambda: self.client.v1.customers.create({"email": email}, {"idempotency_key": f"{idempotency_key}-cus"})
        )
        setup = _plain(
            _call(
                lambda: self.client.v1.setup_intents.create(
                    {
                        "customer": customer.id,
                        "payment_method": payment_method,
                        "payment_method_types": ["card"],
                        "usage": "off_session",
                        "confirm": True,
                    },
                    {"idempotency_key": f"{idempotency_key}-seti"},
                )
            )
        )
        if setup.get("status") != "succeeded":
            raise PaymentDeclined((setup.get("last_setup_error") or {}).get("message") or "The card was not saved.")
        card = _plain(_call(lambda: self.client.v1.payment_methods.retrieve(payment_method)))
        return SavedCard(
            customer=customer.id, payment_method=payment_method, last4=(card.get("card") or {}).get("last4")
        )

    def start_card_setup(
        self, *, customer: str | None, email: str, metadata: dict[str, str], idempotency_key: str, customer_key: str
    ) -> CardSetup:
        """A SetupIntent for off-session use that Stripe.js confirms in the cardholder's browser
        (confirmSetup). A new card of a contract goes on the contract's own Customer: a payment
        method attached to one Customer cannot be attached to another."""
        if customer is None:
            customer = _call(
                lambda: self.client.v1.customers.create(
                    {"email": email, "metadata": metadata}, {"idempotency_key": customer_key}
                )
            ).id
        setup = _plain(
            _call(
                lambda: self.client.v1.setup_intents.create(
                    {
                        "customer": customer,
                        "payment_method_types": ["card"],
                        "usage": "off_session",
                        "metadata": metadata,
                    },
                    {"idempotency_key": idempotency_key},
                )
            )
        )
        return CardSetup(reference=setup["id"], client_secret=setup["client_secret"], customer=customer)

    def card_setup(self, reference: str) -> tuple[SavedCard, dict[str, str]]:
        setup = _plain(_call(lambda: self.client.v1.setup_intents.retrieve(reference)))
        if setup.get("status") != "succeeded" or not setup.get("payment_method"):
            raise PaymentDeclined((setup.get("last_setup_error") or {}).get("message") or "The card was not saved.")
        method = setup["payment_method"] if isinstance(setup["payment_method"], str) else setup["payment_method"]["id"]
        card = _plain(_call(lambda: self.client.v1.payment_methods.retrieve(method)))
        saved = SavedCard(
            customer=setup["customer"], payment_method=method, last4=(card.get("card") or {}).get("last4")
        )
        return saved, dict(setup.get("metadata") or {})

    def charge_saved(
        self,
        *,
        card: SavedCard,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
    ) -> ChargeResult:
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency,
            "customer": card.customer,
            "payment_method": card.payment_method,
            "payment_method_types": ["card"],
            "off_session": True,
            "confirm": True,
            "metadata": metadata,
        }
        try:
            intent = _plain(
                _call(lambda: self.client.v1.payment_intents.create(params, {"idempotency_key": idempotency_key}))
            )
        except PaymentDeclined as exc:
            refused = exc.__cause__
            error = getattr(refused, "error", None)
            intent = _plain(getattr(error, "payment_intent", None) or {})
            if getattr(refused, "code", None) != "authentication_required" or not intent.get("id"):
                return ChargeResult(
                    reference=intent.get("id") or "", status=ChargeStatus.declined, decline_reason=str(exc)
                )
        error = intent.get("last_payment_error") or {}
        return ChargeResult(
            reference=intent["id"],
            status=_CHARGE_STATUS.get(intent["status"], ChargeStatus.requires_action),
            client_secret=intent.get("client_secret"),
            decline_reason=error.get("message"),
            charge=intent.get("latest_charge") if intent["status"] == "succeeded" else None,
        )

    def charge_status(self, reference: str) -> ChargeStatus:
        intent = _call(lambda: self.client.v1.payment_intents.retrieve(reference))
        return _CHARGE_STATUS.get(intent.status, ChargeStatus.requires_action)
