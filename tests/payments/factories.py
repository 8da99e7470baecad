"""Payments factories: designers with a profile for invoices, payout accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest

import jobs
from cases import process
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import CaseState
from models.payments import BillingDetails, BusinessType, ConnectedAccount, PayoutProvider
from models.types import utcnow
from payments.escrow import MovementsUnconfirmed
from payments.gateways.base import GatewayError
from payments.gateways.sandbox import SandboxGateway
from tests.cases.factories import drive, make_case
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


def make_refused_payout_case(amount_cents: int = 12_000):
    """A completed case whose payout the gateway refused twice (the job, then the sweep's new key),
    its money still in escrow; the gateway takes transfers again afterwards."""

    def refuse(self, **kwargs):
        raise GatewayError("sandbox: the connected account cannot receive transfers")

    waiting: list = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "_dispatch", lambda func, args, kwargs: waiting.append((func, args, kwargs)))
        patch.setattr(SandboxGateway, "transfer", refuse)
        case = drive(make_case(amount_cents=amount_cents), CaseState.delivered)
        waiting.clear()
        process.complete_case(case, actor=case.client)
        commit()
        for func, args, kwargs in [job for job in waiting if job[0].__name__ == "carry_out"]:
            with pytest.raises(MovementsUnconfirmed):
                func(*args, **kwargs)
        run_sweeps(utcnow() + timedelta(hours=1))
    return case
