"""Legal pages (terms, privacy, cookies, legal notice), accepting a new version, and "Your data"."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, user_loaded_from_cookie

from errors import DomainError
from extensions import commit, db, limiter
from legal.documents import ACCEPTED, DOCUMENTS, all_documents, document
from legal.operations import accept_current_terms, pending_documents
from privacy import exports
from storefront.legal.forms import AcceptTermsForm, ExportForm
from storefront.next_page import next_page

bp = Blueprint("legal", __name__)

PENDING = "legal_pending"
# Pages a user who has not accepted the new terms may still open: these, the help centre,
# logging out, changing language, and closing the account (refusing the terms is allowed).
OPEN_ENDPOINTS = {"static", "accounts.logout", "accounts.settings", "pages.set_language", "pages.healthz"}
OPEN_PREFIXES = ("legal.", "help.", "pwa.")


def note_pending_terms(user) -> None:
    """At each login: remember in the session whether the user must accept a new version first."""
    if pending_documents(user):
        session[PENDING] = True
    else:
        session.pop(PENDING, None)


@bp.record_once
def _check_restored_sessions(state) -> None:
    # A "keep me logged in" cookie logs in without the form: that is a login too.
    user_loaded_from_cookie.connect(lambda _app, user: note_pending_terms(user), sender=state.app, weak=False)


@bp.before_app_request
def require_current_terms():
    # Only the session is read here: pages cost no query for users who are up to date.
    if (
        not session.get(PENDING)
        and "_user_id" not in session
        and request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    ):
        current_user._get_current_object()  # a kept login restored now says whether terms are pending
    if not session.get(PENDING):
        return None
    endpoint = request.endpoint or ""
    if endpoint in OPEN_ENDPOINTS or endpoint.startswith(OPEN_PREFIXES) or not current_user.is_authenticated:
        return None
    return redirect(url_for("legal.accept", next=request.full_path if request.method == "GET" else None))


def _language() -> str:
    return str(get_locale() or "en")


@bp.get("/legal/<name>")
def show(name: str):
    if name not in DOCUMENTS:
        abort(404)
    doc = document(name, _language())
    others = [document(n, _language()) for n in DOCUMENTS if n != name]
    return render_template("legal/document.html", doc=doc, others=others)


@bp.route("/legal/accept", methods=["GET", "POST"])
@login_required
def accept():
    pending = pending_documents(current_user)
    if not pending:
        session.pop(PENDING, None)
        return redirect(next_page(url_for("pages.home")))
    form = AcceptTermsForm()
    if form.validate_on_submit():
        accept_current_terms(current_user)
        commit()
        session.pop(PENDING, None)
        flash(_("Thank you. You accepted the new versions."), "success")
        return redirect(next_page(url_for("pages.home")))
    return render_template("legal/accept.html", form=form, documents=[document(n, _language()) for n in pending])


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_DATA_EXPORT"], methods=["POST"])
def your_data():
    form = ExportForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            exports.request_export(current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "info")
        else:
            commit()
            flash(_("Your data export is being prepared. It appears below when it is ready."), "success")
        return redirect(url_for("legal.your_data"))
    return render_template(
        "legal/your_data.html",
        form=form,
        exports=exports.exports_of(current_user),
        accepted=ACCEPTED,
        documents={d.name: d for d in all_documents() if d.language == _language()},
    )


@bp.get("/account/data/exports/<int:export_id>.zip")
@login_required
def download_export(export_id: int):
    export = exports.export_for(export_id, viewer=current_user)
    stamp = export.ready_at.strftime("%Y%m%d")
    return Response(
        export.data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="occlusa-data-{stamp}.zip"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
