"""Hours from entering a queue to the decision, for the figures page's medians.

A decision's span needs the moment its item entered the queue (for profiles and listings, their
latest submission before the decision: a correlated look-up per decision), which costs a few
seconds over a month of decisions. A UTC day closed more than CLOSED_AFTER ago can get no more
audit rows (rows are dated when written, and no transaction lasts that long), so its spans are
computed once by the sweep and stored (DecisionHoursDay); the page reads the stored days and
computes the rest of the window live. A median is no sum: the stored rows keep every span.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from extensions import db
from models.disputes import Dispute
from models.moderation import AuditEntry, DecisionHoursDay, Violation
from models.verification import VerificationSubmission

CLOSED_AFTER = timedelta(days=1)


def last_closed_day() -> date:
    """The latest UTC day that ended more than CLOSED_AFTER ago, by the real clock (a test's or a
    sweep's `now` may be in the future)."""
    return (datetime.now(timezone.utc) - CLOSED_AFTER).date() - timedelta(days=1)


def hours_to_decision(actions: dict[str, list[str]], first_day: date) -> dict[str, list[float]]:
    """Every span of the decisions taken since `first_day`, per queue (`actions`: queue → its
    decision actions). Two queries: the stored closed days from `first_day` up to the first one
    missing, then the decisions from there on, live."""
    closed = last_closed_day()
    stored = db.session.execute(
        sa.select(DecisionHoursDay.day, DecisionHoursDay.queue, DecisionHoursDay.hours)
        .where(DecisionHoursDay.day.between(first_day, closed), DecisionHoursDay.queue.in_(list(actions)))
        .order_by(DecisionHoursDay.day)
    ).all()
    by_day = defaultdict(dict)
    for day, queue, spans in stored:
        by_day[day][queue] = spans
    hours, live_from = defaultdict(list), first_day
    while live_from <= closed and set(by_day.get(live_from, ())) >= set(actions):
        for queue, spans in by_day[live_from].items():
            hours[queue].extend(spans)
        live_from += timedelta(days=1)
    for queue, _day, span in _spans(actions, since=live_from):
        hours[queue].append(span)
    return hours


def record_closed_days(actions: dict[str, list[str]], *, window_days: int) -> int:
    """The sweep: store the spans of the closed days of the last `window_days` not stored yet
    (every queue of `actions`, even without decisions). Returns the days stored."""
    closed = last_closed_day()
    first = closed - timedelta(days=window_days)
    done = set(db.session.scalars(sa.select(DecisionHoursDay.day).where(DecisionHoursDay.day >= first).distinct()))
    missing = [first + timedelta(days=n) for n in range((closed - first).days + 1)]
    missing = [day for day in missing if day not in done]
    if not missing:
        return 0
    spans = defaultdict(list)
    for queue, day, span in _spans(actions, since=missing[0], before=closed + timedelta(days=1)):
        spans[(day, queue)].append(span)
    rows = [{"day": d, "queue": q, "hours": spans.get((d, q), [])} for d in missing for q in actions]
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(DecisionHoursDay).on_conflict_do_nothing(), rows)  # a racing sweep stored it
    return len(missing)


def _spans(actions: dict[str, list[str]], *, since: date, before: date | None = None):
    """(queue, UTC day, hours) of each decision from `since` (and before `before`): one query."""
    start = datetime.combine(since, datetime.min.time(), tzinfo=timezone.utc)
    end = datetime.combine(before, datetime.min.time(), tzinfo=timezone.utc) if before else None
    entered = _entered()
    postgres = db.engine.dialect.name == "postgresql"
    day = sa.func.date(sa.func.timezone("UTC", AuditEntry.at) if postgres else AuditEntry.at)
    parts = [
        sa.select(sa.literal(key).label("queue"), day.label("day"), _hours_between(entered[key], AuditEntry.at)).where(
            AuditEntry.action.in_(list(outcomes)),
            AuditEntry.at >= start,
            *((AuditEntry.at < end,) if end else ()),
        )
        for key, outcomes in actions.items()
    ]
    for queue, on, span in db.session.execute(sa.union_all(*parts)):
        if span is not None:
            yield queue, on if isinstance(on, date) else date.fromisoformat(on), float(span)


def _entered() -> dict:
    """Per queue, when the decided item entered it (a scalar subquery on the outer audit row)."""
    submitted = aliased(AuditEntry)
    object_key = sa.cast(AuditEntry.object_id, sa.Integer)

    def resubmitted(action: str):
        # Profiles and listings come back after a rejection: their latest submission before the decision.
        return (
            sa.select(sa.func.max(submitted.at))
            .where(
                submitted.object_type == AuditEntry.object_type,
                submitted.object_id == AuditEntry.object_id,
                submitted.action == action,
                submitted.at <= AuditEntry.at,
            )
            .scalar_subquery()
        )

    return {
        "profile": resubmitted("profile.submitted"),
        "listing": resubmitted("listing.submitted"),
        "verification": sa.select(VerificationSubmission.submitted_at)
        .where(VerificationSubmission.id == object_key)
        .scalar_subquery(),
        "violation": sa.select(Violation.created_at).where(Violation.id == object_key).scalar_subquery(),
        "dispute": sa.select(Dispute.opened_at).where(Dispute.id == object_key).scalar_subquery(),
    }


def _hours_between(start, end) -> sa.ColumnElement:
    """Hours from `start` to `end`, computed by the database (no timestamps to parse per row)."""
    if db.engine.dialect.name == "postgresql":
        return sa.extract("epoch", end - start) / 3600
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 24
