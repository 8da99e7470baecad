"""Payments factories: designers with a profile for invoices, payout accounts."""

from __future__ import annotations

from extensions import db
from models.payments import BillingDetails, BusinessType, ConnectedAccount, PayoutProvider
from tests.factories import make_user


def make_designer(
    *, real_name: str = "Elena Márquez Ruiz", country: str = "ES", tax_id: str = "ES-X1234567L", **fields
):
    """A designer whose profile and billing details carry what invoices print (no VAT number unless given)."""
    from profiles.operations import profile_for

    vat_number = fields.pop("vat_number", None)
    designer = make_user(client=False, designer=True, billing=False, **fields)
    profile = profile_for(designer, create=True)
    profile.real_name, profile.country, profile.tax_id = real_name, country, tax_id
    db.session.add(
        BillingDetails(
            user_id=designer.id,
            legal_name=real_name,
            address="Calle Mayor 1",
            postal_code="28013",
            city="Madrid",
            country=country,
            vat_number=vat_number,
            tax_id=tax_id,
        )
    )
    db.session.commit()
    return designer


def make_connected_account(
    user, *, account_id: str, ready: bool = True, provider: PayoutProvider = PayoutProvider.stripe
) -> ConnectedAccount:
    account = ConnectedAccount(
        user_id=user.id,
        provider=provider,
        account_id=account_id,
        business_type=BusinessType.individual,
        country="FR",
        details_submitted=ready,
        payouts_ready=ready,
        requirements_due=[],
    )
    db.session.add(account)
    db.session.commit()
    return account
