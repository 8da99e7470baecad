"""The money records cannot be rewritten: the database refuses UPDATE and DELETE on them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from extensions import db
from models.cases import CaseState
from tests.cases.factories import drive, make_case

STATEMENTS = [
    "UPDATE ledger_entries SET amount_cents = amount_cents + 1",
    "DELETE FROM ledger_entries",
    "UPDATE ledger_journals SET idempotency_key = 'rewritten'",
    "DELETE FROM ledger_journals",
    "UPDATE payment_events SET amount_cents = 0",
    "DELETE FROM payment_events",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_a_paid_case_keeps_its_journals_entries_and_gateway_log(statement):
    case = drive(make_case(amount_cents=12_000), CaseState.completed)
    before = db.session.execute(sa.text("SELECT count(*), sum(amount_cents) FROM ledger_entries")).one()
    events = db.session.execute(sa.text("SELECT count(*) FROM payment_events")).scalar()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.execute(sa.text("SELECT count(*), sum(amount_cents) FROM ledger_entries")).one() == before
    assert db.session.execute(sa.text("SELECT count(*) FROM payment_events")).scalar() == events == 3
    assert case.state == CaseState.completed
