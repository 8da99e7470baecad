"""The sandbox's test cards, as on Stripe: only the last four digits are ever kept.

4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has
insufficient funds, 4000 0027 6000 3184 needs the cardholder's confirmation for every
off-session charge (monthly contracts); anything else is refused.
"""

from __future__ import annotations

from flask_babel import gettext as _

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
AUTH_REQUIRED = "4000002760003184"
# Stripe's test payment-method ids, so code written for Stripe runs here too.
_TOKENS = {
    "pm_card_authenticationRequired": AUTH_REQUIRED,
    "pm_card_visa": SUCCEEDS,
    "pm_card_chargeDeclined": DECLINED,
    "pm_card_chargeDeclinedInsufficientFunds": INSUFFICIENT_FUNDS,
}


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
