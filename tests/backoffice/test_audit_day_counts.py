"""The audit log's daily roll-up (what the figures page counts decisions from) always equals the log."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import AuditDayCount, AuditEntry
from moderation.audit import record_action
from tests.backoffice.figure_history import entry
from tests.factories import make_user


def _log_by_day() -> dict:
    day = sa.func.date(AuditEntry.at)
    rows = db.session.execute(
        sa.select(day, AuditEntry.action, sa.func.coalesce(AuditEntry.actor_id, 0), sa.func.count()).group_by(
            day, AuditEntry.action, sa.func.coalesce(AuditEntry.actor_id, 0)
        )
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
