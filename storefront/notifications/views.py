"""The bell, the notifications list, Settings > Notifications and push subscriptions."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, db, read_rows
from messaging import operations
from messaging.events import EVENTS, GROUPS, MANDATORY
from messaging.preferences import channels, preference_grid, push_available, set_notification_preferences
from messaging.push import remove_subscription, save_subscription
from models.messaging import Notification, PushSubscription
from pagination import PageNumbers
from url_numbers import page_number, row_id

bp = Blueprint("notifications", __name__)


# Built once: the bell runs it on every signed-in page.
_UNREAD = (
    sa.select(sa.func.count())
    .select_from(Notification)
    .where(
        Notification.user_id == sa.bindparam("user_id"), Notification.in_app.is_(True), Notification.read_at.is_(None)
    )
)


def unread_count() -> int:
    """The signed-in user's unread notifications, counted once per request (the list page and
    its bell ask both; nothing marks a notification read after a page starts rendering)."""
    if "unread_notifications" not in g:
        # A count, no entity: read_rows, half the calls of session.scalar on every signed-in page.
        g.unread_notifications = read_rows(_UNREAD, {"user_id": current_user.id}).scalar()
    return g.unread_notifications


# The bell in the header of every page shows this count.
bp.add_app_template_global(unread_count, "unread_notification_count")


# The list's page and its count, built once (the list is a page every user opens).
_MINE = (Notification.user_id == sa.bindparam("user_id"), Notification.in_app.is_(True))
_PAGE = (
    sa.select(Notification)
    .where(*_MINE)
    .order_by(Notification.created_at.desc(), Notification.id.desc())
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)
_COUNT = sa.select(sa.func.count()).select_from(Notification).where(*_MINE)
PER_PAGE = 25


@dataclass
class NotificationPage(PageNumbers):
    items: list[Notification]
    page: int
    per_page: int
    total: int


def notification_page(user_id: int, page: int, per_page: int = PER_PAGE) -> NotificationPage:
    """A page of the user's in-app notifications, newest first. A short page (or an empty first
    one) is the last, so its total is known without counting."""
    offset = (page - 1) * per_page
    params = {"user_id": user_id}
    items = list(db.session.scalars(_PAGE, {**params, "limit": per_page, "offset": offset}))
    if 0 < len(items) < per_page or (page == 1 and not items):
        total = offset + len(items)
    else:
        total = db.session.scalar(_COUNT, params)
    return NotificationPage(items=items, page=page, per_page=per_page, total=total)


@bp.get("/notifications")
@login_required
def index():
    page = notification_page(current_user.id, request.args.get("page", 1, type=page_number))
    return render_template("notifications/index.html", page=page, unread=unread_count())


@bp.get("/notifications/count.json")
@login_required
def count():
    return jsonify(unread=unread_count())


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark one notification read (`id`) or all of them."""
    notification_id = request.form.get("id", type=row_id)
    try:
        operations.mark_notifications_read(current_user, actor=current_user, notification_id=notification_id)
    except DomainError:
        db.session.rollback()
        abort(404)
    commit()
    return redirect(url_for("notifications.index", page=request.form.get("page", 1, type=page_number)))


@bp.get("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Follow a notification: it becomes read, and its page opens."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    operations.mark_notifications_read(current_user, actor=current_user, notification_id=notification.id)
    commit()
    url = notification.url
    return redirect(url if url.startswith("/") and not url.startswith("//") else url_for("notifications.index"))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "POST":
        switched_on = {tuple(value.split(":", 1)) for value in request.form.getlist("on") if ":" in value}
        set_notification_preferences(current_user, switched_on, actor=current_user)
        commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    devices = db.session.scalars(
        sa.select(PushSubscription)
        .where(PushSubscription.user_id == current_user.id)
        .order_by(PushSubscription.created_at)
    ).all()
    return render_template(
        "notifications/settings.html",
        grid=preference_grid(current_user),
        groups=GROUPS,
        events=EVENTS,
        channels=channels(),
        mandatory=MANDATORY,
        devices=devices,
        push=push_available(),
        vapid_public_key=current_app.config.get("VAPID_PUBLIC_KEY"),
    )


@bp.post("/notifications/push/subscribe")
@login_required
def push_subscribe():
    """Store this device's push subscription (JSON from PushManager.subscribe)."""
    if not push_available():
        abort(404)
    data = request.get_json(silent=True) or {}
    keys = data.get("keys") or {}
    try:
        save_subscription(
            current_user,
            endpoint=str(data.get("endpoint") or ""),
            p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""),
            user_agent=request.headers.get("User-Agent"),
        )
    except DomainError as exc:
        db.session.rollback()
        return jsonify(error=exc.message), 400
    commit()
    return jsonify(ok=True), 201


@bp.post("/notifications/push/unsubscribe")
@login_required
def push_unsubscribe():
    data = request.get_json(silent=True) or {}
    endpoint = str(data.get("endpoint") or request.form.get("endpoint") or "")
    removed = remove_subscription(current_user, endpoint=endpoint)
    commit()
    if request.is_json:
        return jsonify(removed=removed)
    flash(_("This device will no longer receive push notifications."), "success")
    return redirect(url_for("notifications.settings"))
