"""The one small interface every payment gateway speaks (Stripe, and the offline sandbox).

Amounts are integer cents. Every call that moves money takes an idempotency key unique to
the movement (payments.movements), so a retried or repeated call never moves money twice,
and refunds and transfers carry it in their metadata, so the movement can be found in the
gateway's book when no answer came back.
References are the gateway's own ids (a PaymentIntent, a Transfer, a Refund).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class HoldStatus(enum.Enum):
    held = "held"  # authorised, waiting for capture
    requires_action = "requires_action"  # the payer must finish in the browser (3-D Secure, Payment Element)
    declined = "declined"  # refused; nothing is held


@dataclass(frozen=True)
class HoldResult:
    reference: str
    status: HoldStatus
    client_secret: str | None = None  # for the browser to confirm (Stripe Payment Element)
    decline_reason: str | None = None  # shown to the payer, in plain words


@dataclass(frozen=True)
class GatewayCall:
    """What a gateway did, for the append-only payment log."""

    action: str
    reference: str
    amount_cents: int
    idempotency_key: str
    raw: dict = field(default_factory=dict)


class PaymentDeclined(Exception):
    """The gateway refused the payment (card declined, insufficient funds)."""


class GatewayError(Exception):
    """The gateway refused the call or could not be reached before acting: nothing happened."""


class GatewayUnconfirmed(GatewayError):
    """No answer that says what happened (a timeout, a lost answer, a server error): the gateway
    may have acted. Only its own book (`find`) tells."""


@dataclass(frozen=True)
class GatewayBook:
    """What the gateway's book shows for one case, in cents."""

    captured: int
    refunded: int
    transferred: int  # net of reversals


class HoldLapsed(GatewayError):
    """The card hold can no longer be captured: the bank or the gateway let it expire or cancelled it."""


class ChargeStatus(enum.Enum):
    succeeded = "succeeded"  # charged: the money is in the platform's balance
    requires_action = "requires_action"  # the bank wants the cardholder to confirm (SCA): e-mail a link
    declined = "declined"  # refused: nothing charged


@dataclass(frozen=True)
class ChargeResult:
    """An off-session charge on a saved card (a monthly contract's month)."""

    reference: str
    status: ChargeStatus
    client_secret: str | None = None  # for the cardholder's browser to confirm (Stripe)
    decline_reason: str | None = None
    charge: str | None = None  # the charge a payout's transfer draws on (Stripe's source_transaction)


@dataclass(frozen=True)
class SavedCard:
    """A card saved for later off-session charges: the gateway's customer and payment method."""

    customer: str
    payment_method: str
    last4: str | None


@dataclass(frozen=True)
class CardSetup:
    """A card setup started for off-session use (Stripe: a SetupIntent on a Customer): the
    cardholder's browser confirms it with `client_secret`, then `card_setup` reads the card."""

    reference: str
    client_secret: str
    customer: str


class PaymentGateway(Protocol):
    name: str

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
        """Authorise `amount_cents` without capturing it (a manual-capture PaymentIntent)."""

    def hold_status(self, reference: str) -> HoldStatus:
        """The current state of a hold, asked of the gateway (after the browser confirmed it)."""

    def capture(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        """Capture a hold into the platform's balance (escrow); returns the charge reference."""

    def cancel_hold(self, reference: str, *, idempotency_key: str) -> GatewayCall:
        """Release an uncaptured hold: nothing is charged."""

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
        """Pay a designer's connected account from the platform balance."""

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        """Refund part or all of a captured payment to the payer."""

    def reverse_transfer(self, transfer_reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        """Take back part or all of a transfer already made to a designer."""

    def find(self, kind: str, *, hold_reference: str, transfer_group: str, idempotency_key: str) -> GatewayCall | None:
        """The movement of `kind` (capture, release, refund, transfer) made under this key, from the
        gateway's own book, or None when it never happened. Raises GatewayError when unreachable."""

    def book(self, *, hold_reference: str, transfer_group: str) -> GatewayBook:
        """What the gateway holds for one case: captured, refunded, transferred."""

    # -- saved cards (monthly contracts) ---------------------------------------------------
    def save_card(self, *, payment_method: str, email: str, idempotency_key: str) -> SavedCard:
        """Keep the payer's card for off-session charges (a customer and a confirmed SetupIntent).
        Raises PaymentDeclined when the card cannot be saved."""

    def start_card_setup(
        self, *, customer: str | None, email: str, metadata: dict[str, str], idempotency_key: str, customer_key: str
    ) -> CardSetup:
        """Start saving a card typed in the gateway's own form (Stripe's Payment Element), on
        `customer` or on a new one for `email` (created under `customer_key`, so a page seen
        again does not make another). Only Stripe: the sandbox's card field calls save_card."""

    def card_setup(self, reference: str) -> tuple[SavedCard, dict[str, str]]:
        """The card a setup saved, with the setup's metadata. Raises PaymentDeclined when the
        setup did not succeed, GatewayError when it is unknown or the gateway did not answer."""

    def charge_saved(
        self,
        *,
        card: SavedCard,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
    ) -> ChargeResult:
        """Charge a saved card off-session (captured at once)."""

    def charge_status(self, reference: str) -> ChargeStatus:
        """Where an off-session charge stands (after the cardholder confirmed it)."""
