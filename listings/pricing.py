"""Listing prices: quantity tiers, the $7 minimum order, "from $X", and the fee table.

A tier says: from `min_quantity` units (or arches) on, each costs the client
`unit_price_cents`. The first tier starts at the listing's minimum quantity. The platform
fee is taken per order (payments.fees), so what the designer receives per unit depends on
the quantity; the table shows it for an order at each tier's smallest quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from errors import DomainError
from listings.rules import MAX_TIERS
from payments.case_money import format_money
from payments.fees import MINIMUM_ORDER_CENTS, client_price_for_earnings, platform_fee

MAX_UNIT_PRICE_CENTS = 1_000_000  # $10,000 per unit: beyond that it is a typo


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class TierTerms:
    """One row of the fee table: an order of `quantity` at this tier's unit price."""

    min_quantity: int
    unit_price_cents: int
    quantity: int
    order_cents: int
    fee_cents: int
    earnings_cents: int


def client_unit_price(wanted_per_unit_cents: int, quantity: int) -> int:
    """The client unit price that leaves the designer at least `wanted_per_unit_cents` per unit
    on an order of `quantity` (a larger order in the same tier only leaves them more)."""
    total = client_price_for_earnings(wanted_per_unit_cents * quantity)
    return -(-total // quantity)


def normalise_tiers(entered: list[tuple[int, int]], *, min_quantity: int, basis: str = "client") -> list[Tier]:
    """Check and order the tiers the designer typed: [(from quantity, cents)], basis "client"
    (what the client pays) or "earnings" (what the designer wants per unit). Raises DomainError."""
    rows = sorted((q, c) for q, c in entered if q or c)
    if not rows:
        raise DomainError(_l("Give at least one price."), field="tiers")
    if len(rows) > MAX_TIERS:
        raise DomainError(_l("At most %(n)d price tiers.", n=MAX_TIERS), field="tiers")
    # The first tier is the base price: it applies from the listing's minimum quantity.
    rows[0] = (min_quantity, rows[0][1])
    tiers: list[Tier] = []
    for quantity, cents in rows:
        if quantity < 1 or cents <= 0:
            raise DomainError(_l("Each tier needs a quantity of at least 1 and a price."), field="tiers")
        if tiers and quantity <= tiers[-1].min_quantity:
            raise DomainError(
                _l("Each tier must start at a larger quantity than the one before, and above the minimum quantity."),
                field="tiers",
            )
        price = client_unit_price(cents, quantity) if basis == "earnings" else cents
        if price > MAX_UNIT_PRICE_CENTS:
            raise DomainError(
                _l("A unit price above %(amount)s is not accepted.", amount=format_money(MAX_UNIT_PRICE_CENTS)),
                field="tiers",
            )
        if tiers and price >= tiers[-1].unit_price_cents:
            raise DomainError(
                _l("A tier for more units must have a lower unit price than the tier before."), field="tiers"
            )
        tiers.append(Tier(quantity, price))
    if cheapest_order_cents(tiers, min_quantity) < MINIMUM_ORDER_CENTS:
        raise DomainError(
            _l(
                "The cheapest possible order of this listing must be at least %(min)s; "
                "raise a price or the minimum quantity.",
                min=format_money(MINIMUM_ORDER_CENTS),
            ),
            field="tiers",
        )
    return tiers


def cheapest_order_cents(tiers: list[Tier], min_quantity: int) -> int:
    """The smallest amount any order can cost: min over tiers of price × its smallest quantity."""
    return min(t.unit_price_cents * max(t.min_quantity, min_quantity) for t in tiers)


def from_price_cents(tiers: list[Tier]) -> int:
    """What cards show as "from $X": the lowest unit price."""
    return min(t.unit_price_cents for t in tiers)


def fee_table(tiers: list[Tier], min_quantity: int) -> list[TierTerms]:
    rows = []
    for tier in tiers:
        quantity = max(tier.min_quantity, min_quantity)
        order = tier.unit_price_cents * quantity
        fee = platform_fee(order)
        rows.append(TierTerms(tier.min_quantity, tier.unit_price_cents, quantity, order, fee, order - fee))
    return rows


def tiers_of(listing) -> list[Tier]:
    """The working copy's tiers (the designer's editor)."""
    return [Tier(t.min_quantity, t.unit_price_cents) for t in listing.tiers]


def public_tiers(listing) -> list[Tier]:
    """The approved version's tiers (what clients pay); empty before a first approval."""
    snapshot = listing.approved_snapshot or {}
    return [Tier(q, c) for q, c in snapshot.get("tiers", [])]


def unit_price_for(listing, quantity: int) -> int:
    """The unit price in cents a client pays for `quantity` units of the approved listing.

    Raises DomainError when the listing has no approved version or the quantity is below
    its minimum.
    """
    tiers = public_tiers(listing)
    minimum = (listing.approved_snapshot or {}).get("min_quantity", 1)
    if not tiers:
        raise DomainError(_l("This listing cannot be ordered yet."))
    if quantity < minimum:
        raise DomainError(_l("This listing starts at %(n)d.", n=minimum), field="quantity")
    # The first tier starts at the minimum quantity, so some tier always applies.
    return [t for t in tiers if t.min_quantity <= quantity][-1].unit_price_cents
