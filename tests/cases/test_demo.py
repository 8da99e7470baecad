"""The demo cases: every state, consistent books, and a second run creates nothing."""
from __future__ import annotations

import sqlalchemy as sa

from demo.accounts import seed_accounts
from demo.cases import seed_cases
from extensions import commit, db
from models.cases import Case, CaseState
from payments.ledger import invariant_violations


def test_demo_cases_cover_every_state_with_consistent_books():
    seed_accounts()
    commit()
    lines = seed_cases()
    assert len(lines) == 10
    states = set(db.session.scalars(sa.select(Case.state)))
    assert states == set(CaseState)
    assert invariant_violations() == []
    assert seed_cases() == []
