"""The bell, the notifications list, Settings > Notifications, push subscriptions, PWA files."""

from __future__ import annotations

from extensions import commit, db
from messaging.notify import notify
from models.messaging import Notification, NotificationChannel, NotificationPreference, PushSubscription
from tests.factories import make_user


def _notify(user, title="Case OC-7 delivered"):
    notify(user, "case_delivered", title=title, body="Have a look at the design.", url="/messages/")
    commit()


def test_bell_counts_unread_and_opening_a_notification_reads_it(client, login):
    user = make_user()
    _notify(user)
    login(user)
    assert client.get("/notifications/count.json").json == {"unread": 1}
    assert "data-bell-count >1</span>" in client.get("/").get_data(as_text=True).replace("\n", "")
    [row] = db.session.scalars(db.select(Notification)).all()
    opened = client.get(f"/notifications/{row.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == "/messages/"
    assert client.get("/notifications/count.json").json == {"unread": 0}


def test_someone_elses_notification_is_a_404(client, login):
    owner, other = make_user(), make_user()
    _notify(owner)
    [row] = db.session.scalars(db.select(Notification)).all()
    login(other)
    assert client.get(f"/notifications/{row.id}/open").status_code == 404
    assert client.post("/notifications/read", data={"id": row.id}).status_code == 404


def test_settings_grid_switches_channels_per_event(client, login, outbox):
    user = make_user()
    login(user)
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert "New message" in page and 'value="case_delivered:email"' in page
    assert 'value="case_delivered:push"' not in page  # no VAPID keys: push is not offered
    # everything on except e-mail for deliveries
    from messaging.events import EVENTS

    on = [f"{e}:{c}" for e in EVENTS for c in ("in_app", "email") if (e, c) != ("case_delivered", "email")]
    assert client.post("/settings/notifications", data={"on": on}).status_code == 302
    prefs = db.session.scalars(db.select(NotificationPreference)).all()
    assert [(p.event, p.channel, p.enabled) for p in prefs] == [("case_delivered", NotificationChannel.email, False)]
    _notify(user)
    assert outbox.read() == []
    assert client.get("/notifications/count.json").json == {"unread": 1}


def test_push_subscription_endpoints(client, login, app):
    user = make_user()
    login(user)
    subscription = {"endpoint": "https://push.example.net/send/abc", "keys": {"p256dh": "BNc", "auth": "tBH"}}
    assert client.post("/notifications/push/subscribe", json=subscription).status_code == 404  # no keys
    app.config.update(VAPID_PUBLIC_KEY="BPublic", VAPID_PRIVATE_KEY="private")
    try:
        assert client.post("/notifications/push/subscribe", json=subscription).status_code == 201
        assert client.post("/notifications/push/subscribe", json={"endpoint": "ftp://x"}).status_code == 400
        assert db.session.scalar(db.select(PushSubscription.endpoint)) == subscription["endpoint"]
        assert client.post("/notifications/push/unsubscribe", json={"endpoint": subscription["endpoint"]}).json == {
            "removed": True
        }
    finally:
        app.config.update(VAPID_PUBLIC_KEY=None, VAPID_PRIVATE_KEY=None)
    assert db.session.scalar(db.select(db.func.count()).select_from(PushSubscription)) == 0


def test_manifest_service_worker_and_offline_page(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.json
    assert data["display"] == "standalone" and data["start_url"].startswith("/") and data["theme_color"] == "#0f5c6e"
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).data[:8] == b"\x89PNG\r\n\x1a\n"
    worker = client.get("/service-worker.js")
    assert worker.headers["Service-Worker-Allowed"] == "/" and worker.mimetype == "text/javascript"
    assert "/offline" in worker.get_data(as_text=True)
    assert "You are offline" in client.get("/offline").get_data(as_text=True)
    help_page = client.get("/help/install", follow_redirects=True).get_data(as_text=True)  # now a help article
    assert "Add to Home Screen" in help_page and "three dots" in help_page


def test_list_pages_count_only_when_a_page_is_full():
    from storefront.notifications.views import notification_page

    user, other = make_user(), make_user()
    for n in range(7):
        db.session.add(Notification(user_id=user.id, event="case_delivered", title=f"n{n}", url="/", in_app=n != 3))
    db.session.add(Notification(user_id=other.id, event="case_delivered", title="theirs", url="/", in_app=True))
    commit()
    pages = {number: notification_page(user.id, number, per_page=3) for number in (1, 2, 3, 4)}
    assert [len(p.items) for p in pages.values()] == [3, 3, 0, 0]
    assert {p.total for p in pages.values()} == {6}  # the in-app ones of this user, however asked
    assert [(p.has_prev, p.has_next) for p in pages.values()] == [
        (False, True),
        (True, False),
        (True, False),
        (True, False),
    ]
    short = notification_page(user.id, 2, per_page=4)  # a short page is the last: its total without counting
    assert (len(short.items), short.total, short.has_next) == (2, 6, False)
    assert notification_page(other.id, 1).total == 1 and notification_page(10**6, 1).total == 0
