"""Choosing the gateway: Stripe when STRIPE_SECRET_KEY is set, else the offline sandbox."""

from __future__ import annotations

from flask import current_app

from payments.gateways.base import PaymentGateway


def get_gateway() -> PaymentGateway:
    if current_app.config.get("STRIPE_SECRET_KEY"):
        from payments.gateways.stripe_gateway import StripeGateway

        return StripeGateway.from_config(current_app.config)
    from payments.gateways.sandbox import SandboxGateway

    return SandboxGateway()
