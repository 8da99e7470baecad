"""Home, the language switch and the health check (the help centre is storefront/help)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from accounts.operations import set_locale
from extensions import commit, db
from health import deep_checks, healthy
from jobs import redis_connection
from jobs.sweep import sweep_health
from models.accounts import StaffRole
from models.types import utcnow
from storefront.next_page import next_page

bp = Blueprint("pages", __name__)
STARTED_AT = utcnow()  # a fresh process gives the sweeps one stale period before it reports them


@bp.get("/")
def home():
    return render_template("pages/home.html")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            set_locale(current_user, lang)
            commit()
    return redirect(next_page(url_for("pages.home")))


@bp.get("/healthz")
def healthz():
    """The load balancer's cheap probe; with ?deep=1 a staff member sees every part of the
    deployment (health.deep_checks), which nobody else may learn about."""
    if request.args.get("deep") and current_user.is_authenticated and current_user.has_staff_power(*StaffRole):
        checks = deep_checks(running_since=STARTED_AT)
        ok = healthy(checks)
        return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        db.session.rollback()
        checks["database"] = f"error: {type(exc).__name__}"
    if current_app.config.get("REDIS_URL"):
        try:
            redis_connection().ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {type(exc).__name__}"
    if current_app.config.get("REDIS_URL") or current_app.config.get("SWEEP_EVERY_SECONDS"):
        try:
            checks["sweeps"] = sweep_health(running_since=STARTED_AT)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            db.session.rollback()
            checks["sweeps"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
