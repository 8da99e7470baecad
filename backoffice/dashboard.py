"""The figures on the back-office dashboard. Each area adds its queues to QUEUE_FIGURES."""
from __future__ import annotations

import importlib
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from extensions import db
from models.moderation import AuditEntry

# "module:function" returning a list of {"name", "size", "oldest", "url"} for the dashboard.
QUEUE_FIGURES: list[str] = []


def dashboard_figures() -> dict:
    queues = []
    for target in QUEUE_FIGURES:
        module_name, _, func_name = target.partition(":")
        queues.extend(getattr(importlib.import_module(module_name), func_name)())
    since = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    decisions = db.session.execute(
        sa.select(AuditEntry.actor_id, sa.func.count()).where(AuditEntry.at >= since, AuditEntry.actor_id.is_not(None))
        .group_by(AuditEntry.actor_id)
    ).all()
    recent = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.at.desc()).limit(10)).all()
    return {"queues": queues, "decisions_today": decisions, "recent": recent,
            "week_ago": datetime.now(timezone.utc) - timedelta(days=7)}
