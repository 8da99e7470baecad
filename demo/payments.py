"""Demo payouts: every demo designer has a payout account that is ready (offline sandbox)."""
from __future__ import annotations

from demo.accounts import demo_user
from models.payments import BusinessType
from payments import connect

# email, paid as, account country
DEMO_PAYOUTS = [
    ("designer@demo.occlusa.com", BusinessType.individual, "ES"),
    ("designer2@demo.occlusa.com", BusinessType.company, "FR"),
    ("designer3@demo.occlusa.com", BusinessType.individual, "IT"),
]


def seed_payments() -> list[str]:
    if connect.stripe_enabled():
        return ["payouts: Stripe is configured, so demo designers onboard on Stripe themselves"]
    lines = []
    for email, business_type, country in DEMO_PAYOUTS:
        designer = demo_user(email)
        if connect.account_of(designer) is None:
            connect.start_onboarding(designer, actor=designer, business_type=business_type, country=country)
            lines.append(f"payout account {email} ({country}, ready)")
    return lines
