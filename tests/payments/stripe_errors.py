"""Stripe-shaped errors of the local Stripe server, and the test cards it declines."""

from __future__ import annotations

from typing import Any

DECLINING_METHODS = {
    "pm_card_chargeDeclined": ("generic_decline", "Your card was declined."),
    "pm_card_chargeDeclinedInsufficientFunds": ("insufficient_funds", "Your card has insufficient funds."),
}


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, *, code: str | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message, "code": code, **extra}}
