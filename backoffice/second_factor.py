"""The staff second factor in front of every back-office page: enrol once, then a code per session.

A plain blueprint (not an admin view) so that it is reachable before the factor is passed;
`guard_backoffice` sends every other /backoffice request here until the session holds the
mark of a passed factor for this account and session version.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from errors import DomainError
from extensions import commit, db, limiter
from moderation import second_factor
from backoffice.forms import CodeForm
from storefront.form_errors import show_domain_error
from storefront.next_page import next_page

bp = Blueprint("backoffice_auth", __name__, url_prefix="/backoffice/second-factor")

OPEN_ENDPOINTS = {"backoffice_auth.verify", "backoffice_auth.enrol"}


def has_passed() -> bool:
    return second_factor.session_has_passed(current_user)


def is_staff() -> bool:
    return bool(current_user and current_user.is_authenticated and current_user.is_active and current_user.is_staff)


def guard_backoffice():
    """before_request: /backoffice is a 404 for non-staff, and needs the second factor for staff."""
    if not request.path.startswith("/backoffice"):
        return None
    if not is_staff():
        abort(404)
    if request.endpoint in OPEN_ENDPOINTS or has_passed():
        return None
    target = request.full_path if request.method == "GET" else "/backoffice/"
    return redirect(url_for("backoffice_auth.verify", next=target))


def _safe_next() -> str:
    return next_page(url_for("backoffice.index"), under="/backoffice")


def _limit():
    return limiter.limit(
        lambda: current_app.config.get("RATELIMIT_STAFF_CODE", "5 per minute;20 per hour"),
        methods=["POST"],
        key_func=lambda: f"staff-code:{current_user.id}",
    )


@bp.route("/", methods=["GET", "POST"])
@_limit()
def verify():
    if not second_factor.is_enrolled(current_user):
        return redirect(url_for("backoffice_auth.enrol", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            kind = second_factor.verify_code(current_user, form.code.data)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            second_factor.mark_session_passed(current_user)
            if kind == "recovery":
                flash(_("Recovery code accepted. It cannot be used again."), "warning")
            return redirect(_safe_next())
    return render_template("backoffice/second_factor.html", form=form)


@bp.route("/enrol", methods=["GET", "POST"])
@_limit()
def enrol():
    if second_factor.is_enrolled(current_user):
        return redirect(url_for("backoffice_auth.verify", next=request.args.get("next")))
    form = CodeForm()
    secret = second_factor.pending_secret(current_user)
    if secret is None:
        secret = second_factor.begin_enrolment(current_user)
        commit()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(current_user, form.code.data)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            second_factor.mark_session_passed(current_user)
            return render_template("backoffice/recovery_codes.html", codes=codes, next_url=_safe_next())
    uri = second_factor.provisioning_uri(current_user, secret)
    return render_template(
        "backoffice/enrol.html", form=form, secret=secret, qr_code=second_factor.qr_code_data_uri(uri)
    )
