"""Web Push: each notification goes to every device the user subscribed, signed with VAPID.

A push service answering 404 or 410 says the subscription is gone (app uninstalled,
permission revoked): the row is removed so it is not tried again. Other failures are
logged and left to the next notification; a push is a courtesy, the in-app row is the record.
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from flask import current_app
from pywebpush import WebPushException, webpush

from errors import DomainError
from extensions import commit, db
from jobs.runtime import job
from models.accounts import User
from models.messaging import Notification, PushSubscription
from models.types import utcnow

log = logging.getLogger(__name__)

GONE = {404, 410}
TIMEOUT_SECONDS = 10
TTL_SECONDS = 24 * 3600


@job
def send_push(notification_id: int) -> dict[str, int]:
    """Job: push one notification to each of its user's devices; returns {"sent", "removed", "failed"}."""
    done = {"sent": 0, "removed": 0, "failed": 0}
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        return done
    payload = json.dumps(
        {
            "title": notification.title,
            "body": notification.body,
            "url": notification.url,
            "tag": f"notification-{notification.id}",
        }
    )
    subscriptions = db.session.scalars(
        sa.select(PushSubscription).where(PushSubscription.user_id == notification.user_id)
    )
    for subscription in list(subscriptions):
        outcome = _deliver(subscription, payload)
        done[outcome] += 1
        if outcome == "removed":
            db.session.delete(subscription)
        elif outcome == "sent":
            subscription.last_used_at = utcnow()
    commit()
    return done


def _deliver(subscription: PushSubscription, payload: str) -> str:
    config = current_app.config
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload,
            vapid_private_key=config["VAPID_PRIVATE_KEY"],
            vapid_claims={"sub": config["VAPID_SUBJECT"]},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as exc:
        if exc.status_code in GONE:
            log.info("push subscription %s gone (%s): removed", subscription.id, exc.status_code)
            return "removed"
        log.warning("push to subscription %s failed: %s", subscription.id, exc.status_code or exc.message)
        return "failed"
    except Exception:  # network trouble with one device must not stop the others
        log.exception("push to subscription %s failed", subscription.id)
        return "failed"
    return "sent"


def save_subscription(user: User, *, endpoint: str, p256dh: str, auth: str, user_agent: str | None) -> PushSubscription:
    """Remember this device for the user (a device re-subscribing moves to its current account).

    Raises DomainError when the subscription is not a usable https (or local) endpoint.
    """
    from flask_babel import lazy_gettext as _l

    # Real push services are https; a local run may point at a push server on this machine.
    schemes = (
        ("https://",) if current_app.config["PRODUCTION"] else ("https://", "http://127.0.0.1", "http://localhost")
    )
    if not endpoint.startswith(schemes) or len(endpoint) > 1000 or not p256dh or not auth:
        raise DomainError(_l("This browser gave an unusable push subscription."))
    subscription = db.session.scalar(
        sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint).with_for_update()
    )
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint, user_id=user.id, p256dh=p256dh, auth=auth)
        db.session.add(subscription)
    subscription.user_id, subscription.p256dh, subscription.auth = user.id, p256dh, auth
    subscription.user_agent = (user_agent or "")[:300] or None
    db.session.flush()
    return subscription


def remove_subscription(user: User, *, endpoint: str) -> bool:
    """Forget this device for the user; returns whether there was one."""
    subscription = db.session.scalar(
        sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id)
    )
    if subscription is None:
        return False
    db.session.delete(subscription)
    db.session.flush()
    return True
