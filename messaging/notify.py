"""`notify()`: tell a user about an event in the app, by e-mail and by push, as they chose.

The in-app row is written in the caller's unit of work; mail and push leave after the commit
(jobs). Mails for message bursts wait a few minutes and go out grouped (messaging/digest.py).
Titles and bodies given as lazy_gettext strings are rendered in the recipient's language.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import force_locale

from extensions import after_commit, commit, db
from jobs import enqueue
from jobs.runtime import job
from messaging import digest, push
from messaging.events import EVENTS, GROUPED_BY_MAIL
from messaging.mail import send_mail
from messaging.preferences import enabled_channels, push_available
from models.accounts import User
from models.messaging import Notification, NotificationChannel, PushSubscription
from models.types import utcnow

log = logging.getLogger(__name__)


def notify(user: User, event: str, *, title: str, body: str, url: str, case_id: int | None = None) -> None:
    """Record a Notification for `user` and schedule its e-mail and push per their preferences.

    `url` is a path inside the site (the page the notification opens). Raises ValueError for
    an event that is not in messaging.events.EVENTS (a programming error, not a user one).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    if not user.is_active:
        return
    on = enabled_channels(user.id, event)
    with force_locale(user.locale or "en"):
        title, body = str(title), str(body)
    notification = Notification(
        user_id=user.id,
        event=event,
        title=title[:200],
        body=body,
        url=url,
        case_id=case_id,
        in_app=NotificationChannel.in_app in on,
        email_wanted=NotificationChannel.email in on,
    )
    db.session.add(notification)
    db.session.flush()
    if notification.email_wanted:
        if event in GROUPED_BY_MAIL:
            after_commit(digest.schedule_digest, user.id)
        else:
            enqueue(send_notification_mail, notification.id)
    if NotificationChannel.push in on and push_available() and _has_devices(user.id):
        enqueue(push.send_push, notification.id)


def _has_devices(user_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(PushSubscription).where(PushSubscription.user_id == user_id)
        )
        > 0
    )


@job
def send_notification_mail(notification_id: int) -> bool:
    """Job: mail one notification now (events that are not grouped). Idempotent."""
    notification = db.session.get(Notification, notification_id, with_for_update=True)
    if notification is None or notification.emailed_at is not None or not notification.email_wanted:
        db.session.rollback()
        return False
    user = db.session.get(User, notification.user_id)
    send_mail(user.email, "notification", locale=user.locale, user=user, items=[notification])
    notification.emailed_at = utcnow()
    commit()
    return True
