"""The demo cases: every state, consistent books, and a second run creates nothing."""

from __future__ import annotations

import sqlalchemy as sa

from demo.accounts import seed_accounts
from demo.cases import seed_cases
from extensions import commit, db
from models.cases import Case, CaseFile, CaseState
from models.files import FileKind, StoredFile
from payments.ledger import invariant_violations


def test_demo_cases_cover_every_state_with_consistent_books():
    seed_accounts()
    commit()
    lines = seed_cases()
    assert len(lines) == 10
    states = set(db.session.scalars(sa.select(Case.state)))
    assert states == set(CaseState)
    assert invariant_violations() == []
    # each case carries the client's upper and lower scans: closed meshes the viewer tells apart
    scans = db.session.scalars(
        sa.select(StoredFile)
        .join(CaseFile, CaseFile.file_id == StoredFile.id)
        .where(StoredFile.kind == FileKind.patient_scan)
    ).all()
    assert len(scans) == 20
    assert {s.original_name for s in scans} == {"upper-arch-scan.stl", "lower-arch-scan.stl"}
    assert all(s.mesh["warnings"] == [] and s.mesh["holes"] == 0 for s in scans)
    assert seed_cases() == []
