"""Payments factories: designers with a profile for invoices, payout accounts."""
from __future__ import annotations

from extensions import db
from models.payments import BusinessType, ConnectedAccount, PayoutProvider
from tests.factories import make_user


def make_designer(*, real_name: str = "Elena Márquez Ruiz", country: str = "ES", tax_id: str = "ES-X1234567L",
                  **fields):
    """A designer whose profile carries what invoices print."""
    from profiles.operations import profile_for

    designer = make_user(client=False, designer=True, **fields)
    profile = profile_for(designer, create=True)
    profile.real_name, profile.country, profile.tax_id = real_name, country, tax_id
    db.session.commit()
    return designer


def make_connected_account(user, *, account_id: str, ready: bool = True,
                           provider: PayoutProvider = PayoutProvider.stripe) -> ConnectedAccount:
    account = ConnectedAccount(user_id=user.id, provider=provider, account_id=account_id,
                               business_type=BusinessType.individual, country="FR", details_submitted=ready,
                               payouts_ready=ready, requirements_due=[])
    db.session.add(account)
    db.session.commit()
    return account
