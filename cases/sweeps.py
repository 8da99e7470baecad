"""The case deadlines that fell due, applied by the minute sweep (registered in registrations.py).

Each sweep takes `now`, applies what is due and returns how many cases it moved. The dates
themselves are set by the rules in cases/deadlines.py, which cases.process uses; the sweeps
call cases.process, so they live in their own module above it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa

from cases.notices import due_soon
from cases.process import auto_complete_case, expire_case
from errors import Busy, DomainError
from extensions import commit, db
from models.cases import Case, CaseState

log = logging.getLogger(__name__)


def expire_requests(now: datetime) -> int:
    """Requests not accepted by `accept_by`: expired, holds released."""
    return each_due_case(
        sa.select(Case.id).where(Case.state == CaseState.requested, Case.accept_by <= now),
        lambda case: expire_case(case, now=now),
    )


def expire_if_due(case: Case, now: datetime) -> bool:
    """Expire this one request now if its acceptance time has passed, as the next sweep would
    (used when a designer tries to accept it late). Flushes; returns whether it expired."""
    if case.state != CaseState.requested or case.accept_by is None or now < case.accept_by:
        return False
    expire_case(case, now=now)
    return True


def auto_complete_delivered(now: datetime) -> int:
    """Delivered cases past `auto_complete_at`: completed, designer paid."""
    return each_due_case(
        sa.select(Case.id).where(Case.state == CaseState.delivered, Case.auto_complete_at <= now),
        lambda case: auto_complete_case(case, now=now),
    )


def remind_due_soon(now: datetime) -> int:
    """Cases in progress, not yet delivered, whose reminder time has come: the designer is told
    when the case is due (in-app, by mail and push as they chose). Each case is reminded once."""

    def remind(case: Case) -> None:
        case = db.session.get(Case, case.id, with_for_update=True, populate_existing=True)
        if case.due_reminder_at is None or case.due_reminder_at > now or case.state != CaseState.in_progress:
            return
        case.due_reminder_at = None
        if case.last_delivered_at is None:
            due_soon(case)

    return each_due_case(
        sa.select(Case.id).where(Case.state == CaseState.in_progress, Case.due_reminder_at <= now), remind
    )


def each_due_case(ids_query, act) -> int:
    """Apply `act` to each due case, one unit of work per case (as a job per case would): a
    case refused or failing (a user acted first, the gateway is down, another action holds the
    case past the lock timeout) is rolled back alone and retried next sweep, and the others'
    money movements and notices are committed and sent."""
    done = 0
    for case_id in db.session.scalars(ids_query.order_by(Case.id)).all():
        try:
            act(db.session.get(Case, case_id))
        except (DomainError, Busy) as exc:
            db.session.rollback()
            # Logged by kind: the message is for people and is rendered in a request's language.
            log.info("deadline on case %s not applied: %s", case_id, type(exc).__name__)
            continue
        commit()
        done += 1
    return done
