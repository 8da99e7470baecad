"""Dispute deadlines, applied by the minute sweep (jobs/sweep.py, registered in registrations.py).

* The designer answers within DISPUTE_ANSWER_DAYS (5): after that the dispute is marked for
  a ruling without the answer.
* A captured payment may stay with the platform about 90 days (the case's escrow_limit_at,
  else acceptance + 90 days). A dispute still not ruled DISPUTE_ESCALATE_DAYS (10) before
  that limit is escalated: it tops the agents' queue and the dashboard.
* A case moved to "disputed" by a path that did not open a dispute row (the case process's
  own deadline, a suspension, the case page's form) gets one here, from its "dispute" event.

Each step locks and re-checks its row, one unit of work per dispute, so a sweep run twice or
alongside a user changes nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa

from cases import deadlines as case_deadlines
from cases import sweeps as case_sweeps
from disputes import operations, rules
from errors import DomainError
from extensions import commit, db
from models.cases import Case, CaseState
from models.disputes import ACTIVE_DISPUTE_STATES, Dispute, DisputeState

log = logging.getLogger(__name__)


def escalate_undelivered(now: datetime) -> int:
    """Cases still not delivered at `undelivered_limit_at`: disputed by the platform, with the
    dispute record the resolution centre works from (here, not in cases: disputes build on cases)."""
    statement = f"Not delivered within {case_deadlines.undelivered_limit_days()} days of acceptance."
    return case_sweeps.each_due_case(
        sa.select(Case.id).where(Case.state == CaseState.in_progress, Case.undelivered_limit_at <= now),
        lambda case: operations.open_dispute(case, actor=None, reason="not_delivered", statement=statement, now=now),
    )


def mark_unanswered(now: datetime) -> int:
    """Open disputes past their answer time: marked for a ruling."""
    ids = db.session.scalars(
        sa.select(Dispute.id)
        .where(Dispute.state == DisputeState.open, Dispute.answer_due_at <= now)
        .order_by(Dispute.id)
    ).all()
    return _each(ids, lambda dispute: operations.mark_for_ruling(dispute, now=now))


def escalate_near_limit(now: datetime) -> int:
    """Active disputes whose payment must leave escrow within DISPUTE_ESCALATE_DAYS: escalated."""
    margin = timedelta(days=rules.setting("DISPUTE_ESCALATE_DAYS"))
    rows = db.session.execute(
        sa.select(Dispute.id, Case)
        .join(Case, Case.id == Dispute.case_id)
        .where(Dispute.state.in_(ACTIVE_DISPUTE_STATES), Dispute.escalated.is_(False))
        .order_by(Dispute.id)
    ).all()
    due = [
        dispute_id
        for dispute_id, case in rows
        if (limit := rules.escrow_limit(case)) is not None and limit - now < margin
    ]
    return _each(due, lambda dispute: operations.escalate_dispute(dispute, now=now))


def open_missing_disputes(now: datetime) -> int:
    """Disputed cases without an active dispute row (moved by another path): given one."""
    active = sa.select(Dispute.id).where(Dispute.case_id == Case.id, Dispute.state.in_(ACTIVE_DISPUTE_STATES))
    ids = db.session.scalars(
        sa.select(Case.id).where(Case.state == CaseState.disputed, ~active.exists()).order_by(Case.id)
    ).all()
    done = 0
    for case_id in ids:
        try:
            operations.record_missing_dispute(db.session.get(Case, case_id), now=now)
        except DomainError as exc:
            db.session.rollback()
            log.info("dispute row for case %s not opened: %s", case_id, exc.message)
            continue
        commit()
        done += 1
        log.warning("case %s was disputed without a dispute row; opened one from its event", case_id)
    return done


def _each(ids: list[int], act) -> int:
    done = 0
    for dispute_id in ids:
        try:
            changed = act(db.session.get(Dispute, dispute_id))
        except DomainError as exc:
            db.session.rollback()
            log.info("deadline on dispute %s not applied: %s", dispute_id, exc.message)
            continue
        commit()
        done += int(bool(changed))
    return done
