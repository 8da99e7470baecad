"""Which channel tells a user of which event: Settings > Notifications, defaults all on."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

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
    off = set(
        db.session.scalars(
            sa.select(NotificationPreference.channel).where(
                NotificationPreference.user_id == user_id,
                NotificationPreference.event == event,
                NotificationPreference.enabled.is_(False),
            )
        )
    )
    on = set(NotificationChannel) - off
    on |= {NotificationChannel(c) for e, c in MANDATORY if e == event}
    return on


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
