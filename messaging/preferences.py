"""Which channel tells a user of which event: Settings > Notifications, defaults all on."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from errors import DomainError
from extensions import db
from messaging.events import EVENTS, MANDATORY
from models.accounts import User
from models.messaging import NotificationChannel, NotificationPreference


def push_available() -> bool:
    """Push is offered only when the platform has VAPID keys to sign with."""
    return bool(current_app.config.get("VAPID_PUBLIC_KEY") and current_app.config.get("VAPID_PRIVATE_KEY"))


def channels() -> list[NotificationChannel]:
    return [c for c in NotificationChannel if c != NotificationChannel.push or push_available()]


def enabled_channels(user_id: int, event: str) -> set[NotificationChannel]:
    """The channels on for this user and event: every channel unless switched off."""
    on = set(NotificationChannel) - {channel for e, channel in _switched_off(user_id) if e == event}
    on |= {NotificationChannel(c) for e, c in MANDATORY if e == event}
    return on


# A unit of work that tells one user several things (a completed case: the payout, the
# completion) reads their switched-off pairs once. Kept in the session's info until its
# transaction ends, and forgotten as soon as it writes a preference row (flush or statement).
_SWITCHED_OFF = "notification_switched_off"


def _switched_off(user_id: int) -> set[tuple[str, NotificationChannel]]:
    known = db.session.info.setdefault(_SWITCHED_OFF, {})
    if user_id not in known:
        known[user_id] = set(
            db.session.execute(
                sa.select(NotificationPreference.event, NotificationPreference.channel).where(
                    NotificationPreference.user_id == user_id, NotificationPreference.enabled.is_(False)
                )
            ).tuples()
        )
    return known[user_id]


def _forget(session: Session, *_args) -> None:
    session.info.pop(_SWITCHED_OFF, None)


sa.event.listen(Session, "after_commit", _forget)
sa.event.listen(Session, "after_soft_rollback", _forget)


@sa.event.listens_for(Session, "before_flush")
def _forget_on_write(session: Session, *_args) -> None:
    if any(isinstance(row, NotificationPreference) for row in (*session.new, *session.dirty, *session.deleted)):
        _forget(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _forget_on_statement(state) -> None:
    if (state.is_update or state.is_delete or state.is_insert) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is NotificationPreference:
            _forget(state.session)


def preference_grid(user: User) -> dict[tuple[str, str], bool]:
    """{(event, channel value): enabled} for every event and every channel offered."""
    rows = db.session.scalars(sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    stored = {(p.event, p.channel.value): p.enabled for p in rows}
    return {
        (event, channel.value): stored.get((event, channel.value), True) for event in EVENTS for channel in channels()
    }


def set_notification_preferences(user: User, switched_on: set[tuple[str, str]], *, actor: User) -> int:
    """Store the grid: every offered (event, channel) pair not in `switched_on` is off.

    Mandatory pairs stay on whatever was sent. Returns how many switches changed.
    Raises DomainError when someone else's settings are the target.
    """
    if actor.id != user.id:
        raise DomainError(_l("Only the account holder changes its notification settings."))
    rows = {
        (p.event, p.channel.value): p
        for p in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id).with_for_update()
        )
    }
    changed = 0
    for event in EVENTS:
        for channel in channels():
            key = (event, channel.value)
            wanted = key in switched_on or key in MANDATORY
            row = rows.get(key)
            current = row.enabled if row else True
            if wanted == current:
                continue
            changed += 1
            if row is None:
                db.session.add(NotificationPreference(user_id=user.id, event=event, channel=channel, enabled=wanted))
            else:
                row.enabled = wanted
    db.session.flush()
    return changed
