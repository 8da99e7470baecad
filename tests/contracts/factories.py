"""Contracts' factories: a designer's offer accepted by a client, on the sandbox's test cards."""

from __future__ import annotations

from datetime import datetime, timezone

from contracts import process
from contracts.terms import ContractTerms
from extensions import commit, db
from models.contracts import Contract
from tests.factories import make_user

START = datetime(2027, 1, 5, 10, 0, tzinfo=timezone.utc)
VISA = "4242424242424242"
NO_FUNDS = "4000000000009995"
SCA = "4000002760003184"


def parties():
    """A client (a lab) and a designer."""
    return make_user(name="Lab North"), make_user(name="Dana Designer", client=False, designer=True)


def terms(**overrides) -> ContractTerms:
    values = dict(
        title="Zirconia crowns, anatomic",
        cases_per_month=3,
        month_price_cents=30_000,
        extra_case_cents=12_000,
        turnaround_days=3,
        starts_at=START,
        term_months=None,
        notice_days=20,
    )
    values.update(overrides)
    return ContractTerms(**values)


def offered(client, designer, *, now=START, **overrides) -> Contract:
    """Offered at `now` (the start date unless the terms say otherwise)."""
    contract = process.offer_contract(designer=designer, client=client, terms=terms(**overrides), now=now)
    commit()
    return contract


def accepted(client, designer, *, card: str = VISA, now=START, **overrides) -> Contract:
    contract = offered(client, designer, now=now, **overrides)
    process.accept_contract(contract, actor=client, payment_method=card, now=now)
    commit()
    return contract


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
