"""The figures on the back-office dashboard. Each area registers its queues on hooks.queue_figures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_login import current_user

import hooks
from audit.areas import visible_to
from backoffice.audit_words import action_words, object_label
from backoffice.permissions import is_staff_with
from extensions import db
from models.accounts import StaffRoleGrant, User
from models.moderation import AuditEntry


def age(oldest: datetime | None, now: datetime) -> str | None:
    """How long the oldest item has waited, in the largest unit that says it: 3 d, 5 h, 12 min."""
    if oldest is None:
        return None
    seconds = max(int((now - oldest).total_seconds()), 0)
    if seconds >= 86400:
        return f"{seconds // 86400} d"
    if seconds >= 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min"


def dashboard_figures() -> dict:
    now = datetime.now(timezone.utc)
    queues = []
    for queue_figures in hooks.queue_figures.functions():
        for figure in queue_figures():
            if not is_staff_with(*figure["roles"]):
                continue
            queues.append({**figure, "age": age(figure.get("oldest"), now)})
    since = now.replace(hour=0, minute=0, second=0, microsecond=0)
    staff = sa.select(StaffRoleGrant.user_id)
    decisions = db.session.execute(
        sa.select(User.display_name, sa.func.count(AuditEntry.id))
        .join(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.at >= since, AuditEntry.actor_id.in_(staff))
        .group_by(User.id, User.display_name)
        .order_by(sa.func.count(AuditEntry.id).desc())
    ).all()
    recent = db.session.scalars(
        sa.select(AuditEntry).where(visible_to(current_user)).order_by(AuditEntry.at.desc()).limit(10)
    ).all()
    recent = [{"entry": e, "words": action_words(e.action), "object": object_label(e.object_type)} for e in recent]
    return {"queues": queues, "decisions_today": decisions, "recent": recent, "week_ago": now - timedelta(days=7)}
