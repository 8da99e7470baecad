"""The audit log: every staff action and every automatic decision, written by the domain function."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from extensions import db
from models.accounts import User
from models.moderation import AuditDayCount, AuditEntry

log = logging.getLogger("audit")


def record_action(
    action: str,
    obj: Any,
    *,
    actor: User | None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append one audit row (actor None = the platform itself) in the current unit of work."""
    # Views pass Flask-Login's current_user, a proxy: the row names the object behind it.
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__ if not isinstance(obj, tuple) else obj[0],
        object_id=str(obj.id if not isinstance(obj, tuple) else obj[1]),
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(entry)
    log.info("%s by %s on %s %s", action, actor.id if actor else "platform", entry.object_type, entry.object_id)
    return entry


@sa.event.listens_for(Session, "after_flush")
def count_entries_of_the_day(session: Session, _flush_context) -> None:
    """Add the audit rows just flushed to the daily roll-up (AuditDayCount), in their transaction.

    Every audit row is counted however it was added (record_action, or a row built by hand), and
    an upsert adds to the day's count: two transactions counting the same day never lose one
    (rows in a fixed order, so two of them never wait on each other's rows crosswise).
    """
    added = Counter(
        (entry.at.astimezone(timezone.utc).date(), entry.action, entry.actor_id or 0)
        for entry in session.new
        if isinstance(entry, AuditEntry)
    )
    if not added:
        return
    connection = session.connection()
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(AuditDayCount)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["day", "action", "actor_key"],
            set_={"entries": AuditDayCount.entries + statement.excluded.entries},
        ),
        [
            {"day": day, "action": action, "actor_key": actor, "entries": n}
            for (day, action, actor), n in sorted(added.items())
        ],
    )
