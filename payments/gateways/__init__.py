"""Choosing the gateway: Stripe when STRIPE_SECRET_KEY is set, else the offline sandbox."""

from __future__ import annotations

from flask import current_app

from payments.gateways.base import PaymentGateway
from payments.gateways.sandbox import SandboxGateway
from payments.gateways.stripe_gateway import StripeGateway


def get_gateway() -> PaymentGateway:
    if current_app.config.get("STRIPE_SECRET_KEY"):
        return StripeGateway.from_config(current_app.config)
    return SandboxGateway()
