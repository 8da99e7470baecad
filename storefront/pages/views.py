"""Home, help pages, the language switch and the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from extensions import commit, db

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("pages/home.html")


@bp.get("/help")
def help_index():
    return render_template("pages/help.html")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            from accounts.operations import set_locale

            set_locale(current_user, lang)
            commit()
    target = request.form.get("next") or url_for("pages.home")
    # Only ever go back to a page of ours; a line break cannot go into a Location header.
    if not target.startswith("/") or target.startswith("//") or not target.isprintable():
        target = url_for("pages.home")
    return redirect(target)


@bp.get("/healthz")
def healthz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        db.session.rollback()
        checks["database"] = f"error: {type(exc).__name__}"
    if current_app.config.get("REDIS_URL"):
        try:
            from jobs import redis_connection

            redis_connection().ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "unavailable", checks=checks), 200 if healthy else 503
