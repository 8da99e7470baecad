"""Demo monthly contracts: one running (its first month paid, cases sent under it) and one offered."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from contracts import casework, months, process
from contracts.terms import ContractTerms
from demo.accounts import demo_user
from extensions import db
from models.contracts import Contract
from models.types import utcnow


def _exists(client, designer) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Contract)
            .where(Contract.client_id == client.id, Contract.designer_id == designer.id)
        )
        > 0
    )


def seed_contracts() -> list[str]:
    lines, now = [], utcnow()
    clinic, elena = demo_user("client@demo.occlusa.com"), demo_user("designer@demo.occlusa.com")
    if not _exists(clinic, elena):
        started = now - timedelta(days=10)
        running = process.offer_contract(
            designer=elena,
            client=clinic,
            terms=ContractTerms(
                title="Zirconia crowns, anatomic, exocad",
                cases_per_month=40,
                month_price_cents=120_000,
                extra_case_cents=3_500,
                turnaround_days=2,
                starts_at=started,
                term_months=None,
                notice_days=30,
            ),
            now=started,
        )
        process.accept_contract(running, actor=clinic, payment_method="pm_card_visa", now=started)
        months.open_month(running, now=started)
        for n, tooth in enumerate(("36", "46", "14")):
            casework.send_contract_case(
                running,
                actor=clinic,
                instructions=f"Anatomic zirconia crown on {tooth}, shade A2, contacts tight.",
                now=started + timedelta(days=1 + n),
            )
        lines.append(f"contract {running.reference}: 40 crowns a month, month 1 paid, 3 cases sent")
    lab, karim = demo_user("lab@demo.occlusa.com"), demo_user("designer2@demo.occlusa.com")
    if not _exists(lab, karim):
        offer = process.offer_contract(
            designer=karim,
            client=lab,
            terms=ContractTerms(
                title="Full-arch wax-ups and smile designs",
                cases_per_month=8,
                month_price_cents=96_000,
                extra_case_cents=14_000,
                turnaround_days=4,
                starts_at=now + timedelta(days=7),
                term_months=6,
                auto_renew=True,
                notice_days=30,
            ),
            now=now,
        )
        lines.append(f"contract offer {offer.reference}: waiting for the lab's answer")
    return lines
