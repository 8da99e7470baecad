"""What a suspension does to the suspended account's open cases (moderation.suspension calls it
through hooks.account_suspended).

Requests awaiting acceptance are cancelled with their holds released; cases in progress or
delivered go to the resolution centre as disputes opened by the platform. It lives with the
disputes, above cases, because it opens disputes.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from audit.trail import record_action
from cases.process import apply_action
from disputes.operations import open_dispute
from extensions import db
from models.accounts import User
from models.cases import Case, CaseState


def close_cases_of_suspended_account(user: User, *, actor: User | None, now: datetime | None = None) -> dict:
    """Handle the open cases of a suspended account (either side). Returns {"cancelled": n, "disputed": n}."""
    counts = {"cancelled": 0, "disputed": 0}
    ids = db.session.scalars(
        sa.select(Case.id)
        .where(
            sa.or_(Case.client_id == user.id, Case.designer_id == user.id),
            Case.state.in_((CaseState.requested, CaseState.in_progress, CaseState.delivered)),
        )
        .order_by(Case.id)
    ).all()
    for case_id in ids:
        # populate_existing: a row changed by a racing transaction is read as committed, not as cached.
        case = db.session.get(Case, case_id, with_for_update=True, populate_existing=True)
        if case.state == CaseState.requested:
            apply_action(case, "cancel", actor=None, reason="party suspended", now=now)
            counts["cancelled"] += 1
        elif case.state in (CaseState.in_progress, CaseState.delivered):
            open_dispute(
                case, actor=None, reason="party_suspended", statement=f"Account {user.id} was suspended.", now=now
            )
            counts["disputed"] += 1
        record_action(
            "case.closed_for_suspension",
            case,
            actor=actor,
            after={"state": case.state.value},
            reason=f"account {user.id} suspended",
        )
    return counts
