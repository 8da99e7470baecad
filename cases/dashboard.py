"""What each side's home page lists: the cases that wait for the reader, soonest first.

Each list is one statement with a fixed limit, whatever the number of cases (the home page's
query count does not grow with the account).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from extensions import db
from models.accounts import User
from models.cases import Case, CaseOrder, CaseState, OrderStatus

LIMIT = 8


def _cases(statement) -> list[Case]:
    # The other party's name is shown on each row: loaded with the list, not row by row.
    return list(
        db.session.scalars(statement.options(selectinload(Case.client), selectinload(Case.designer)).limit(LIMIT))
    )


def to_review(client: User) -> list[Case]:
    """Deliveries waiting for the client's answer (complete, revise or dispute), oldest first:
    the one closest to completing itself comes first."""
    return _cases(
        sa.select(Case)
        .where(Case.client_id == client.id, Case.state == CaseState.delivered)
        .order_by(Case.auto_complete_at.asc(), Case.id)
    )


def in_the_works(client: User) -> list[Case]:
    """The client's cases waiting on the designer (to accept, or to deliver), the soonest due first."""
    return _cases(
        sa.select(Case)
        .where(Case.client_id == client.id, Case.state.in_((CaseState.requested, CaseState.in_progress)))
        .order_by(sa.func.coalesce(Case.due_at, Case.accept_by).asc(), Case.id)
    )


def drafts(client: User) -> list[CaseOrder]:
    """Orders the client started whose payment was not confirmed: no case exists yet."""
    return list(
        db.session.scalars(
            sa.select(CaseOrder)
            .where(
                CaseOrder.client_id == client.id,
                CaseOrder.status == OrderStatus.awaiting_payment,
                CaseOrder.case_id.is_(None),
            )
            .order_by(CaseOrder.created_at.desc())
            .limit(LIMIT)
        )
    )


def requests_to_accept(designer: User, now: datetime) -> list[Case]:
    """Requests the designer may still accept, the first to expire first."""
    return _cases(
        sa.select(Case)
        .where(Case.designer_id == designer.id, Case.state == CaseState.requested, Case.accept_by > now)
        .order_by(Case.accept_by.asc(), Case.id)
    )


def work_due(designer: User) -> list[Case]:
    """Cases in progress (first delivery or a revision to do), the soonest due first."""
    return _cases(
        sa.select(Case)
        .where(Case.designer_id == designer.id, Case.state == CaseState.in_progress)
        .order_by(Case.due_at.asc(), Case.id)
    )


def counts(user: User) -> dict[str, int]:
    """How many cases are in each list, beyond the few shown (one statement)."""
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(Case.client_id == user.id, Case.state == CaseState.delivered),
            sa.func.count().filter(
                Case.client_id == user.id, Case.state.in_((CaseState.requested, CaseState.in_progress))
            ),
            sa.func.count().filter(Case.designer_id == user.id, Case.state == CaseState.requested),
            sa.func.count().filter(Case.designer_id == user.id, Case.state == CaseState.in_progress),
        ).where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id))
    ).one()
    return dict(zip(("to_review", "in_the_works", "requests", "work_due"), row))
