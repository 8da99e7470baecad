"""The platform's commission: 9 % of each transaction, at least $3.49, taken from the designer.

All amounts are integer cents. Decimal with ROUND_HALF_UP is used only inside the sum, so
the fee of every amount is exact to the cent and the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEE_RATE = Decimal("0.09")
MINIMUM_FEE_CENTS = 349
MINIMUM_ORDER_CENTS = 700  # the cheapest order a listing may offer: $7.00


def platform_fee(amount_cents: int) -> int:
    """The fee on an amount the client pays: max(9 % half-up to the cent, 349), never above the amount."""
    if amount_cents < 0:
        raise ValueError("amount_cents must not be negative")
    if amount_cents == 0:
        return 0
    percent = int((Decimal(amount_cents) * FEE_RATE).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(amount_cents, max(percent, MINIMUM_FEE_CENTS))


def designer_earnings(amount_cents: int) -> int:
    """What the designer receives for an amount the client pays."""
    return amount_cents - platform_fee(amount_cents)


@dataclass(frozen=True)
class SettlementSplit:
    """How a captured amount leaves escrow: the refund, and the designer's part with its fee."""

    amount_cents: int  # what was captured
    refund_cents: int  # back to the client
    designer_gross_cents: int  # the designer's part before the fee
    fee_cents: int  # the platform's fee, on the designer's part only
    designer_net_cents: int  # transferred to the designer


def settlement_split(amount_cents: int, designer_cents: int) -> SettlementSplit:
    """The one rule for dividing a captured amount (completion, refund, ruling, settlement):
    the fee is taken on the designer's part only, so refund + net + fee == amount, always."""
    if not 0 <= designer_cents <= amount_cents:
        raise ValueError("designer_cents must be between 0 and amount_cents")
    fee = platform_fee(designer_cents)
    return SettlementSplit(
        amount_cents=amount_cents,
        refund_cents=amount_cents - designer_cents,
        designer_gross_cents=designer_cents,
        fee_cents=fee,
        designer_net_cents=designer_cents - fee,
    )


def client_price_for_earnings(earnings_cents: int) -> int:
    """The smallest client price whose earnings are at least `earnings_cents`.

    Lets a designer type what they want to receive; the listing stores what the client pays.
    """
    if earnings_cents <= 0:
        return 0
    # Below the 9 % threshold the fee is flat, above it earnings grow by ~91 % of the price.
    candidate = max(
        earnings_cents + MINIMUM_FEE_CENTS,
        int((Decimal(earnings_cents) / (1 - FEE_RATE)).to_integral_value(rounding=ROUND_HALF_UP)),
    )
    while designer_earnings(candidate - 1) >= earnings_cents and candidate > 0:
        candidate -= 1
    while designer_earnings(candidate) < earnings_cents:
        candidate += 1
    return candidate
