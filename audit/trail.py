"""The audit log: every staff action and every automatic decision, written by the domain function."""

from __future__ import annotations

import logging
from typing import Any

from extensions import db
from models.accounts import User
from models.moderation import AuditEntry

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
