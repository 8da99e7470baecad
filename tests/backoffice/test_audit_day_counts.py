"""What the figures page reads instead of the whole audit log always equals the log: the daily
roll-up of entries, and the closed days' hours to decision the sweep stores."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import sqlalchemy as sa

from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import AuditDayCount, AuditEntry, DecisionHoursDay
from audit.trail import record_action
from backoffice.figures import QUEUES, figures, record_decision_days
from tests.statements import Counted
from tests.backoffice.figure_history import entry
from tests.factories import make_user


def _log_by_day() -> dict:
    # UTC days on either database (PostgreSQL would otherwise cut them in the session's zone).
    postgres = db.engine.dialect.name == "postgresql"
    day = sa.func.date(sa.func.timezone("UTC", AuditEntry.at) if postgres else AuditEntry.at)
    actor = sa.func.coalesce(AuditEntry.actor_id, sa.literal_column("0"))  # the same SQL in SELECT and GROUP BY
    rows = db.session.execute(
        sa.select(day, AuditEntry.action, actor, sa.func.count()).group_by(day, AuditEntry.action, actor)
    )
    return {(str(d), action, actor): n for d, action, actor, n in rows}


def _roll_up() -> dict:
    rows = db.session.execute(
        sa.select(AuditDayCount.day, AuditDayCount.action, AuditDayCount.actor_key, AuditDayCount.entries)
    )
    return {(d.isoformat(), action, actor): n for d, action, actor, n in rows}


def test_every_audit_row_is_counted_on_its_day_action_and_actor():
    alice = make_user(roles=(StaffRole.moderator,))
    subject = make_user()
    # given: rows from the domain's recorder, by staff and by the platform, over several flushes and commits
    record_action("profile.approved", subject, actor=alice)
    record_action("profile.approved", subject, actor=alice)
    db.session.flush()
    record_action("profile.rejected", subject, actor=alice)
    record_action("case.auto_complete", subject, actor=None)
    commit()
    # and rows written by hand at chosen moments, two on the same past day
    entry("listing.approved", "Listing", 1, datetime(2030, 1, 14, 23, 59, tzinfo=timezone.utc), alice)
    entry("listing.approved", "Listing", 2, datetime(2030, 1, 14, 0, 0, tzinfo=timezone.utc), alice)
    entry("listing.approved", "Listing", 3, datetime(2030, 1, 15, 0, 0, tzinfo=timezone.utc), alice)
    commit()

    # then: the roll-up holds exactly the log's counts (the platform as actor 0)
    counted = _roll_up()
    assert counted == _log_by_day()
    assert counted[("2030-01-14", "listing.approved", alice.id)] == 2
    assert counted[("2030-01-15", "listing.approved", alice.id)] == 1
    assert sum(n for (_d, action, actor), n in counted.items() if action == "profile.approved") == 2
    assert any(action == "case.auto_complete" and actor == 0 for (_d, action, actor) in counted)


def test_a_rolled_back_audit_row_is_not_counted():
    subject = make_user()
    commit()
    before = _roll_up()
    record_action("demo.undone", subject, actor=None)
    db.session.flush()
    db.session.rollback()

    assert _roll_up() == before


def test_closed_days_stored_by_the_sweep_give_the_same_medians_as_the_log(staff_pair):
    alice, bob = staff_pair
    today = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
    # given: decisions on closed days (3 and 5 days ago) and today, spans of 2, 4, 6 and 9 hours
    for n, (days_ago, hours, actor) in enumerate([(5, 2, alice), (5, 4, bob), (3, 6, alice), (0, 9, bob)]):
        decided = today - timedelta(days=days_ago)
        entry("profile.submitted", "DesignerProfile", 900 + n, decided - timedelta(hours=hours))
        entry("profile.approved", "DesignerProfile", 900 + n, decided, actor)
    commit()
    live = next(q for q in figures(["profile"]).queues)
    queries_live = _statements_of(lambda: figures(["profile"]))

    # when: the sweep stores the closed days (once: a second run stores nothing)
    stored_days = record_decision_days(today)
    commit()
    assert stored_days > 0 and record_decision_days(today) == 0

    # then: the same figures, the closed days read from the stored rows, in as many statements
    stored = next(q for q in figures(["profile"]).queues)
    assert stored.median_hours == live.median_hours == pytest.approx(5.0)
    assert (stored.decisions, stored.per_staff) == (live.decisions, live.per_staff)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DecisionHoursDay)) == stored_days * len(QUEUES)
    assert _statements_of(lambda: figures(["profile"])) == queries_live


@pytest.fixture
def staff_pair():
    return make_user(roles=(StaffRole.moderator,)), make_user(roles=(StaffRole.moderator,))


def _statements_of(call) -> int:
    with Counted() as counted:
        call()
    return counted.seen
