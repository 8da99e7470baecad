"""The sandbox's saved cards and off-session charges (monthly contracts), in its own book.

A saved card is one of Stripe's public test payment methods (never a card number), so the
sandbox knows how it behaves later: pm_card_visa is charged, pm_card_chargeDeclined and
pm_card_chargeDeclinedInsufficientFunds are refused, and pm_card_authenticationRequired
(4000 0027 6000 3184) is saved but every off-session charge needs the cardholder to confirm
(the e-mailed link; `confirm_charge` plays the bank's confirmation page). A charge is a
payment_intent already captured, so the sandbox's refunds and transfers work on it.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict

from extensions import independent_session
from models.ledger import SandboxObject, SandboxObjectKind
from payments.gateways.base import ChargeResult, ChargeStatus, GatewayError, PaymentDeclined, SavedCard
from payments.gateways.sandbox_cards import AUTH_REQUIRED, card_digits, decline_reason

_SAVED_AS = {
    "4242424242424242": "pm_card_visa",
    "4000000000000002": "pm_card_chargeDeclined",
    "4000000000009995": "pm_card_chargeDeclinedInsufficientFunds",
    AUTH_REQUIRED: "pm_card_authenticationRequired",
}


class SavedCards:
    """Mixed into SandboxGateway (it brings _replay, _remember, _get and _new_id)."""

    def save_card(self, *, payment_method: str, email: str, idempotency_key: str) -> SavedCard:
        digits = card_digits(payment_method)
        token = _SAVED_AS.get(digits)
        if token is None or token == "pm_card_chargeDeclined":
            raise PaymentDeclined(decline_reason(digits) or "declined")
        return SavedCard(customer=f"cus_sbx_{secrets.token_hex(8)}", payment_method=token, last4=digits[-4:])

    def charge_saved(
        self,
        *,
        card: SavedCard,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
    ) -> ChargeResult:
        with independent_session() as book:
            replay = self._replay(book, idempotency_key)
            if replay is not None:
                return ChargeResult(**{**replay, "status": ChargeStatus(replay["status"])})
            digits = card_digits(card.payment_method)
            reason = None if digits == AUTH_REQUIRED else decline_reason(digits)
            status = (
                ChargeStatus.declined
                if reason
                else ChargeStatus.requires_action
                if digits == AUTH_REQUIRED
                else ChargeStatus.succeeded
            )
            intent = SandboxObject(
                reference=self._new_id("pi"),
                kind=SandboxObjectKind.payment_intent,
                status={"declined": "canceled", "requires_action": "requires_action"}.get(status.value, "succeeded"),
                amount_cents=amount_cents,
                currency=currency,
                captured_cents=amount_cents if status == ChargeStatus.succeeded else 0,
                card_last4=digits[-4:],
                meta={**metadata, "customer": card.customer, "off_session": True},
            )
            book.add(intent)
            book.flush()
            result = ChargeResult(
                reference=intent.reference,
                status=status,
                client_secret=f"{intent.reference}_secret_{secrets.token_hex(8)}"
                if status == ChargeStatus.requires_action
                else None,
                decline_reason=reason,
                charge=intent.reference if status == ChargeStatus.succeeded else None,
            )
            self._remember(book, idempotency_key, "charge_saved", {**asdict(result), "status": status.value})
            return result

    def charge_status(self, reference: str) -> ChargeStatus:
        with independent_session() as book:
            intent = self._get(book, reference, SandboxObjectKind.payment_intent)
            return _STATUS.get(intent.status, ChargeStatus.declined)

    def confirm_charge(self, reference: str) -> ChargeStatus:
        """The cardholder confirmed on the bank's page (sandbox only): the charge succeeds."""
        with independent_session() as book:
            intent: SandboxObject = self._get(book, reference, SandboxObjectKind.payment_intent, lock=True)
            if intent.status == "requires_action":
                intent.status, intent.captured_cents = "succeeded", intent.amount_cents
            elif intent.status != "succeeded":
                raise GatewayError(f"sandbox: {reference} cannot be confirmed")
            return _STATUS[intent.status]


_STATUS = {
    "succeeded": ChargeStatus.succeeded,
    "requires_action": ChargeStatus.requires_action,
    "canceled": ChargeStatus.declined,
}
