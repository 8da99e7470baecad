"""The offline gateway: Stripe's manual-capture flow played out in the database.

Holds, captures, transfers and refunds are SandboxObject rows in the same unit of work as
the case, so the whole platform runs without network. Test cards (as on Stripe):
4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has
insufficient funds; anything else is refused. Only the last four digits are kept.
Every call that moves money answers the same thing again for the same idempotency key.
"""
from __future__ import annotations

import secrets
from dataclasses import asdict

import sqlalchemy as sa
from flask_babel import gettext as _

from extensions import db
from models.ledger import SandboxObject, SandboxObjectKind, SandboxRequest
from payments.gateways.base import GatewayCall, GatewayError, HoldLapsed, HoldResult, HoldStatus

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
# Stripe's test payment-method ids, so code written for Stripe runs here too.
_TOKENS = {"pm_card_visa": SUCCEEDS, "pm_card_chargeDeclined": DECLINED,
           "pm_card_chargeDeclinedInsufficientFunds": INSUFFICIENT_FUNDS}


def card_digits(payment_method: str | None) -> str:
    raw = (payment_method or "").strip()
    return _TOKENS.get(raw) or "".join(ch for ch in raw if ch.isdigit())


def decline_reason(digits: str) -> str | None:
    """Why the sandbox refuses this card, in the payer's words; None when it succeeds."""
    if digits == SUCCEEDS:
        return None
    if digits == INSUFFICIENT_FUNDS:
        return _("Your card has insufficient funds.")
    if digits == DECLINED:
        return _("Your card was declined.")
    return _("This card number is not accepted in the sandbox. Use the test card 4242 4242 4242 4242.")


class SandboxGateway:
    name = "sandbox"

    @staticmethod
    def account_for(designer_id: int) -> str:
        """The sandbox's connected account of a designer (payouts always set up offline)."""
        return f"acct_sandbox_{designer_id}"

    # -- holds ---------------------------------------------------------------------------
    def hold(self, *, amount_cents: int, currency: str, idempotency_key: str, metadata: dict[str, str],
             payment_method: str | None = None) -> HoldResult:
        replay = self._replay(idempotency_key)
        if replay is not None:
            return HoldResult(reference=replay["reference"], status=HoldStatus(replay["status"]),
                              client_secret=replay.get("client_secret"), decline_reason=replay.get("decline_reason"))
        digits = card_digits(payment_method)
        reason = decline_reason(digits)
        intent = SandboxObject(
            reference=self._new_id("pi"), kind=SandboxObjectKind.payment_intent,
            status="canceled" if reason else "requires_capture", amount_cents=amount_cents,
            currency=currency, card_last4=digits[-4:] if len(digits) >= 4 else None, meta=dict(metadata))
        db.session.add(intent)
        result = HoldResult(reference=intent.reference, status=HoldStatus.declined if reason else HoldStatus.held,
                            decline_reason=reason)
        self._remember(idempotency_key, "hold", {**asdict(result), "status": result.status.value})
        return result

    def hold_status(self, reference: str) -> HoldStatus:
        intent = self._get(reference, SandboxObjectKind.payment_intent)
        return HoldStatus.held if intent.status == "requires_capture" else HoldStatus.declined

    def card_last4(self, reference: str) -> str | None:
        return self._get(reference, SandboxObjectKind.payment_intent).card_last4

    def capture(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        def act() -> GatewayCall:
            intent = self._get(reference, SandboxObjectKind.payment_intent, lock=True)
            if intent.status == "canceled":
                raise HoldLapsed(f"sandbox: {reference} was canceled; it can no longer be captured")
            if intent.status != "requires_capture" or amount_cents > intent.amount_cents:
                raise GatewayError(f"sandbox: {reference} cannot be captured ({intent.status})")
            intent.status = "succeeded"
            intent.captured_cents = amount_cents
            return GatewayCall("capture", reference, amount_cents, idempotency_key)
        return self._once(idempotency_key, act)

    def cancel_hold(self, reference: str, *, idempotency_key: str) -> GatewayCall:
        def act() -> GatewayCall:
            intent = self._get(reference, SandboxObjectKind.payment_intent, lock=True)
            # A hold that lapsed on its own is already released, as Stripe answers for it.
            if intent.status not in ("requires_capture", "canceled"):
                raise GatewayError(f"sandbox: {reference} cannot be canceled ({intent.status})")
            intent.status = "canceled"
            return GatewayCall("cancel_hold", reference, 0, idempotency_key)
        return self._once(idempotency_key, act)

    # -- money out -----------------------------------------------------------------------
    def transfer(self, *, amount_cents: int, currency: str, destination: str, transfer_group: str,
                 source_charge: str | None, idempotency_key: str) -> GatewayCall:
        def act() -> GatewayCall:
            if amount_cents <= 0 or not destination:
                raise GatewayError("sandbox: a transfer needs a positive amount and a destination")
            transfer = SandboxObject(reference=self._new_id("tr"), kind=SandboxObjectKind.transfer, status="paid",
                                     amount_cents=amount_cents, currency=currency, destination=destination,
                                     transfer_group=transfer_group, source=source_charge)
            db.session.add(transfer)
            return GatewayCall("transfer", transfer.reference, amount_cents, idempotency_key,
                               {"destination": destination, "transfer_group": transfer_group})
        return self._once(idempotency_key, act)

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        def act() -> GatewayCall:
            intent = self._get(reference, SandboxObjectKind.payment_intent, lock=True)
            if intent.status != "succeeded" or amount_cents <= 0 \
                    or intent.refunded_cents + amount_cents > intent.captured_cents:
                raise GatewayError(f"sandbox: cannot refund {amount_cents} of {reference}")
            intent.refunded_cents += amount_cents
            refund = SandboxObject(reference=self._new_id("re"), kind=SandboxObjectKind.refund, status="succeeded",
                                   amount_cents=amount_cents, currency=intent.currency, source=reference)
            db.session.add(refund)
            return GatewayCall("refund", refund.reference, amount_cents, idempotency_key)
        return self._once(idempotency_key, act)

    def reverse_transfer(self, transfer_reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        def act() -> GatewayCall:
            transfer = self._get(transfer_reference, SandboxObjectKind.transfer, lock=True)
            if amount_cents <= 0 or transfer.refunded_cents + amount_cents > transfer.amount_cents:
                raise GatewayError(f"sandbox: cannot reverse {amount_cents} of {transfer_reference}")
            transfer.refunded_cents += amount_cents
            return GatewayCall("reverse_transfer", transfer_reference, amount_cents, idempotency_key)
        return self._once(idempotency_key, act)

    # -- the book ------------------------------------------------------------------------
    @staticmethod
    def _new_id(prefix: str) -> str:
        return f"{prefix}_sbx_{secrets.token_hex(12)}"

    @staticmethod
    def _get(reference: str, kind: SandboxObjectKind, *, lock: bool = False) -> SandboxObject:
        query = sa.select(SandboxObject).where(SandboxObject.reference == reference, SandboxObject.kind == kind)
        found = db.session.scalar(query.with_for_update() if lock else query)
        if found is None:
            raise GatewayError(f"sandbox: no {kind.value} {reference}")
        return found

    @staticmethod
    def _replay(idempotency_key: str) -> dict | None:
        done = db.session.get(SandboxRequest, idempotency_key)
        return done.response if done is not None else None

    @staticmethod
    def _remember(idempotency_key: str, action: str, response: dict) -> None:
        db.session.add(SandboxRequest(idempotency_key=idempotency_key, action=action, response=response))
        db.session.flush()

    def _once(self, idempotency_key: str, act) -> GatewayCall:
        """Answer a repeated key with the first answer, as Stripe does; else act and remember."""
        replay = self._replay(idempotency_key)
        if replay is not None:
            return GatewayCall(**replay)
        call = act()
        self._remember(idempotency_key, call.action, asdict(call))
        return call
