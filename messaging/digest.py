"""Grouping mail bursts: message notifications wait a few minutes and leave as one mail.

A user who gets five messages in two minutes receives one mail listing them, not five.
The digest for a user is due once their oldest pending message notification is older than
MESSAGE_MAIL_DELAY_SECONDS. With Redis a digest job is scheduled for that moment; the minute
sweep (`send_due_digests`, in jobs/sweep.py) sends whatever is due in every mode, so a lost
job only delays a mail. Notifications read in the app before then are not mailed at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from extensions import commit, db
from jobs import queue
from jobs.runtime import job
from messaging.events import GROUPED_BY_MAIL
from messaging.mail import send_mail
from models.accounts import User
from models.messaging import Notification
from models.types import utcnow

DEFAULT_DELAY_SECONDS = 180


def delay() -> timedelta:
    return timedelta(seconds=current_app.config.get("MESSAGE_MAIL_DELAY_SECONDS", DEFAULT_DELAY_SECONDS))


def _pending():
    return sa.and_(
        Notification.email_wanted.is_(True), Notification.emailed_at.is_(None), Notification.event.in_(GROUPED_BY_MAIL)
    )


def schedule_digest(user_id: int) -> None:
    """After commit: with RQ, run the user's digest once the grouping delay has passed."""
    if not current_app.config.get("REDIS_URL"):
        return  # the minute sweep sends it
    queue().enqueue_in(delay(), send_digest, user_id)


@job
def send_digest(user_id: int, now: datetime | None = None) -> int:
    """Job: send the user's pending message notifications in one mail if due; returns how many."""
    count = _send_for_user(user_id, now or utcnow())
    commit()
    return count


def send_due_digests(now: datetime) -> int:
    """Sweep: send every due digest; returns the number of mails. Idempotent."""
    due_users = db.session.scalars(
        sa.select(Notification.user_id)
        .where(_pending())
        .group_by(Notification.user_id)
        .having(sa.func.min(Notification.created_at) <= now - delay())
    )
    return sum(1 for user_id in list(due_users) if _send_for_user(user_id, now))


def _send_for_user(user_id: int, now: datetime) -> int:
    pending = list(
        db.session.scalars(
            sa.select(Notification)
            .where(_pending(), Notification.user_id == user_id)
            .order_by(Notification.created_at, Notification.id)
            .with_for_update()
        )
    )
    if not pending or pending[0].created_at > now - delay():
        return 0
    # Read in the app already: the mail would only repeat it.
    unread = [n for n in pending if n.read_at is None]
    for n in pending:
        if n.read_at is not None:
            n.email_wanted = False
        else:
            n.emailed_at = now
    if unread:
        user = db.session.get(User, user_id)
        send_mail(user.email, "notification", locale=user.locale, user=user, items=unread)
    db.session.flush()
    return len(unread)
