"""Violations as staff work them: repeated attempts of one account in one thread are one item.

An account that tries five times in an afternoon to pass its phone number in the same conversation
made one decision, not five: the attempts of one account, from one source and thread, each within
VIOLATION_GROUP_HOURS of the one before, form a group. A moderator reads the group inside the
thread around it (messages only: attachments by name, never the files, which may be patient scans),
and decides it at once; every attempt gets the decision and its own audit row, and a warning is
one strike (the group's lead carries it, the other attempts point to the lead).

Strike policy: strikes expire after STRIKE_EXPIRY_DAYS; from STRIKES_SUGGEST_SUSPEND active strikes
on, the page suggests suspending instead of warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from errors import DomainError
from extensions import db
from models.messaging import Message
from models.moderation import Violation, ViolationSource, ViolationStatus
from moderation import permissions
from moderation.violations import active_strikes_query, lock_open_violation, record_decision, send_warning


def _groupable(violation: Violation) -> bool:
    return violation.source != ViolationSource.report and bool(violation.source_ref)


def _runs(attempts: list[Violation]) -> list[list[Violation]]:
    """Attempts of one account and thread, oldest first, cut where the gap exceeds the window."""
    window = timedelta(hours=current_app.config["VIOLATION_GROUP_HOURS"])
    runs: list[list[Violation]] = []
    for attempt in attempts:
        if runs and attempt.created_at - runs[-1][-1].created_at <= window:
            runs[-1].append(attempt)
        else:
            runs.append([attempt])
    return runs


def groups_for(violations: list[Violation]) -> dict[int, list[Violation]]:
    """Each violation's group (every attempt, oldest first), for a whole page in one query.

    A report, or a hit not placed in a thread, is a group of its own."""
    groups = {v.id: [v] for v in violations if not _groupable(v)}
    keys = {(v.user_id, v.source, v.source_ref) for v in violations if _groupable(v)}
    if not keys:
        return groups
    attempts = db.session.scalars(
        sa.select(Violation)
        .where(sa.tuple_(Violation.user_id, Violation.source, Violation.source_ref).in_(keys))
        .order_by(Violation.created_at, Violation.id)
    ).all()
    by_key: dict[tuple, list[Violation]] = {}
    for attempt in attempts:
        by_key.setdefault((attempt.user_id, attempt.source, attempt.source_ref), []).append(attempt)
    for run in (run for found in by_key.values() for run in _runs(found)):
        for attempt in run:
            groups[attempt.id] = run
    return {v.id: groups[v.id] for v in violations}


def group_of(violation: Violation) -> list[Violation]:
    """Every attempt grouped with `violation`, oldest first (itself alone for a report or an unplaced hit)."""
    return groups_for([violation])[violation.id]


@dataclass
class ThreadLine:
    """One line of the thread around a group: a message that was sent, or a refused attempt."""

    at: datetime
    author_id: int | None
    author_name: str
    body: str
    attachment_names: list[str]
    attempt: Violation | None = None


def thread_around(group: list[Violation]) -> list[ThreadLine]:
    """The conversation around the group's attempts: VIOLATION_CONTEXT_MESSAGES messages before the
    first and after the last, every message between, and the refused attempts in their place.

    Only a conversation's messages are read; their attachments appear by name, never as files."""
    first = group[0]
    kind, _, ref = (first.source_ref or "").partition(":")
    lines = [ThreadLine(a.created_at, a.user_id, a.user.display_name, a.text, [], attempt=a) for a in group]
    if first.source != ViolationSource.message or kind != "conversation" or not ref.isdigit():
        return lines
    context = current_app.config["VIOLATION_CONTEXT_MESSAGES"]
    start, end = group[0].created_at, group[-1].created_at
    base = sa.select(Message).where(Message.conversation_id == int(ref)).options(selectinload(Message.attachments))
    before = db.session.scalars(
        base.where(Message.created_at < start).order_by(Message.created_at.desc(), Message.id.desc()).limit(context)
    ).all()
    between = db.session.scalars(base.where(Message.created_at >= start, Message.created_at <= end)).all()
    after = db.session.scalars(
        base.where(Message.created_at > end).order_by(Message.created_at, Message.id).limit(context)
    ).all()
    for message in [*before, *between, *after]:
        lines.append(
            ThreadLine(
                message.created_at,
                message.sender_id,
                message.sender.display_name,
                message.body,
                [a.name for a in message.attachments],
            )
        )
    return sorted(lines, key=lambda line: line.at)


@dataclass
class StrikeStanding:
    active: int
    next_expiry: datetime | None
    expiring_then: int
    suggestion: str  # "warn" or "suspend"


def strike_standing(user_id: int) -> StrikeStanding:
    """Active strikes, when the oldest expires, and what the policy suggests for a new violation."""
    expiry = timedelta(days=current_app.config["STRIKE_EXPIRY_DAYS"])
    decided = db.session.scalars(
        active_strikes_query(user_id).with_only_columns(Violation.decided_at).order_by(Violation.decided_at)
    ).all()
    next_expiry = decided[0] + expiry if decided else None
    expiring = sum(1 for at in decided if (at + expiry).date() == next_expiry.date()) if decided else 0
    active = len(decided)
    suggestion = "suspend" if active >= current_app.config["STRIKES_SUGGEST_SUSPEND"] else "warn"
    return StrikeStanding(active, next_expiry, expiring, suggestion)


def _open_members(violation: Violation, actor) -> list[Violation]:
    permissions.require(permissions.can_moderate(actor))
    members = [v for v in group_of(violation) if v.status == ViolationStatus.open]
    if not members:
        lock_open_violation(violation, actor)  # raises: already decided
    # Each attempt locked and held by the actor (no one else is deciding one of them).
    return [lock_open_violation(v, actor) for v in members]


def dismiss_group(violation: Violation, *, actor, note: str = "") -> list[Violation]:
    """Every open attempt of the group dismissed: no strike. Raises PermissionDenied, InvalidTransition."""
    members = _open_members(violation, actor)
    for member in members:
        record_decision(member, ViolationStatus.dismissed, actor, note)
    return members


def warn_group(violation: Violation, *, actor, note: str) -> list[Violation]:
    """One warning for every open attempt of the group: one strike, one notification.

    Raises PermissionDenied, InvalidTransition, DomainError (no note)."""
    if not (note or "").strip():
        raise DomainError(_l("Write the warning the user will read."), field="note")
    members = _open_members(violation, actor)
    lead = members[0]
    for member in members:
        record_decision(member, ViolationStatus.warned, actor, note, lead=lead)
    send_warning(lead.user, note)
    return members
