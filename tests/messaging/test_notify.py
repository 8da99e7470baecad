"""notify(): in-app rows, e-mail per preference and grouped for message bursts, Web Push."""

from __future__ import annotations

import base64
import json
import os
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from extensions import commit, db
from messaging.digest import send_due_digests
from messaging.notify import notify
from messaging.preferences import set_notification_preferences
from models.messaging import Notification, NotificationPreference, PushSubscription
from models.types import utcnow
from tests.factories import make_user


def _notify_case(user, event="case_accepted"):
    notify(user, event, title="Case OC-1 accepted", body="The designer started work.", url="/cases/1")
    commit()


def test_defaults_record_in_app_and_mail_at_once_for_case_events(outbox):
    user = make_user()
    _notify_case(user)
    [row] = db.session.scalars(db.select(Notification)).all()
    assert row.in_app and row.emailed_at is not None
    [mail] = outbox.read()
    assert mail["To"] == user.email and mail["Subject"] == "Case OC-1 accepted"
    assert "http://localhost/cases/1" in mail.get_payload(decode=True).decode()


def test_switching_a_channel_off_is_respected_per_event(outbox):
    user = make_user()
    grid_on = {("case_accepted", "in_app"), ("message_new", "email")}
    set_notification_preferences(user, grid_on, actor=user)
    commit()
    _notify_case(user, "case_accepted")  # in-app only
    _notify_case(user, "case_delivered")  # everything off
    rows = {n.event: n for n in db.session.scalars(db.select(Notification))}
    assert rows["case_accepted"].in_app and not rows["case_accepted"].email_wanted
    assert not rows["case_delivered"].in_app and not rows["case_delivered"].email_wanted
    assert outbox.read() == []


def test_a_switch_made_after_a_notice_in_the_same_unit_of_work_applies_to_the_next_one(outbox):
    """A user's switched-off channels are read once per unit of work, and read again as soon
    as the unit of work changes them: through the settings page's function or a statement."""
    user = make_user()
    notify(user, "case_accepted", title="One", body="b", url="/cases/1")  # read: all on
    set_notification_preferences(user, {("case_delivered", "in_app")}, actor=user)
    notify(user, "case_delivered", title="Two", body="b", url="/cases/1")
    db.session.execute(db.delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    notify(user, "case_completed", title="Three", body="b", url="/cases/1")
    commit()
    rows = {n.title: n for n in db.session.scalars(db.select(Notification))}
    assert rows["One"].email_wanted and rows["One"].in_app
    assert rows["Two"].in_app and not rows["Two"].email_wanted
    assert rows["Three"].email_wanted and rows["Three"].in_app
    assert sorted(mail["Subject"] for mail in outbox.read()) == ["One", "Three"]


def test_a_switch_committed_by_another_unit_of_work_applies_to_the_next_one(outbox):
    user = make_user()
    _notify_case(user, "case_accepted")
    set_notification_preferences(user, set(), actor=user)
    commit()
    _notify_case(user, "case_delivered")
    rows = {n.event: n for n in db.session.scalars(db.select(Notification))}
    assert rows["case_accepted"].email_wanted and not rows["case_delivered"].email_wanted
    assert len(outbox.read()) == 1


def test_moderation_warnings_cannot_be_switched_off(outbox):
    user = make_user()
    set_notification_preferences(user, set(), actor=user)
    commit()
    notify(user, "warning", title="Warning", body="Contact details are not allowed.", url="/")
    commit()
    assert len(outbox.read()) == 1


def test_a_burst_of_message_notifications_is_mailed_once_after_the_delay(outbox):
    user = make_user()
    for n in range(3):
        notify(user, "message_new", title=f"New message from Lab {n}", body=f"text {n}", url=f"/messages/{n}")
    commit()
    assert outbox.read() == []
    # not yet due
    assert send_due_digests(utcnow()) == 0
    commit()
    # due: one mail with all three
    assert send_due_digests(utcnow() + timedelta(minutes=5)) == 1
    commit()
    [mail] = outbox.read()
    body = mail.get_payload(decode=True).decode()
    assert "3 new notifications" in mail["Subject"]
    assert all(f"text {n}" in body for n in range(3))
    # idempotent: nothing left to send
    assert send_due_digests(utcnow() + timedelta(minutes=10)) == 0


def test_a_message_read_in_the_app_before_the_digest_is_not_mailed(outbox):
    user = make_user()
    notify(user, "message_new", title="New message", body="hello", url="/messages/9")
    commit()
    db.session.scalar(db.select(Notification)).read_at = utcnow()
    db.session.commit()
    assert send_due_digests(utcnow() + timedelta(minutes=5)) == 0
    commit()
    assert outbox.read() == []


# --- Web Push through a push service on this machine ------------------------------------


class _PushService(BaseHTTPRequestHandler):
    status = 201
    received: list[dict] = []

    def do_POST(self):  # http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        type(self).received.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": self.rfile.read(length),
            }
        )
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service():
    _PushService.received = []
    _PushService.status = 201
    server = HTTPServer(("127.0.0.1", 0), _PushService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _PushService, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def vapid(app):
    key = ec.generate_private_key(ec.SECP256R1())
    private = _b64(key.private_numbers().private_value.to_bytes(32, "big"))
    public = _b64(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    saved = {k: app.config[k] for k in ("VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY")}
    app.config.update(VAPID_PUBLIC_KEY=public, VAPID_PRIVATE_KEY=private)
    yield public
    app.config.update(saved)


def _device(user, endpoint):
    browser_key = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    subscription = PushSubscription(
        user_id=user.id, endpoint=endpoint, p256dh=_b64(browser_key), auth=_b64(os.urandom(16))
    )
    db.session.add(subscription)
    db.session.commit()
    return subscription


def test_push_reaches_the_device_encrypted_with_vapid_auth(push_service, vapid, outbox):
    service, base = push_service
    user = make_user()
    _device(user, f"{base}/push/device-1")
    _notify_case(user)
    [request] = service.received
    assert request["path"] == "/push/device-1"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    authorization = request["headers"]["authorization"]
    assert authorization.startswith("vapid t=") and f"k={vapid}" in authorization
    claims = json.loads(base64.urlsafe_b64decode(authorization[8:].split(",")[0].split(".")[1] + "=="))
    assert claims["aud"] == base and claims["sub"].startswith("mailto:")
    assert b"Case OC-1" not in request["body"]  # the payload travels encrypted


def test_a_gone_subscription_is_removed_and_push_is_not_offered_without_keys(push_service, vapid, app):
    service, base = push_service
    service.status = 410
    user = make_user()
    _device(user, f"{base}/push/uninstalled")
    _notify_case(user)
    assert len(service.received) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(PushSubscription)) == 0


def test_no_push_without_vapid_keys(push_service):
    service, base = push_service
    user = make_user()
    _device(user, f"{base}/push/device")
    _notify_case(user)
    assert service.received == []
