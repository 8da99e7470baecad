"""The designer's side of identity verification: the panel on Settings > Payments and its upload."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, db
from models.verification import DocumentType
from moderation import kyc
from profiles.operations import profile_for

bp = Blueprint("verification", __name__, url_prefix="/settings/verification")

READ_BLOCK = 256 * 1024


def _settings_url() -> str:
    return url_for("payments.settings")


@bp.app_template_global("verification_panel")
def verification_panel() -> dict:
    """What the panel shows: the latest submission, and the documents to send per nationality."""
    locale = get_locale()
    countries = sorted(
        (
            (code, name)
            for code, name in (locale.territories.items() if locale else [])
            if len(code) == 2 and code.isalpha()
        ),
        key=lambda c: c[1],
    )
    profile = profile_for(current_user)
    return {
        "latest": kyc.latest_submission(current_user),
        "labels": kyc.DOCUMENT_LABELS,
        "verified": bool(profile and profile.identity_verified),
        "countries": countries,
        "id_card_countries": sorted(kyc.ID_CARD_COUNTRIES),
        "types": list(DocumentType),
    }


def _chunks(storage):
    while True:
        block = storage.stream.read(READ_BLOCK)
        if not block:
            return
        yield block


@bp.post("/")
@login_required
def submit():
    if not current_user.is_designer:
        abort(404)
    uploads = [
        kyc.Upload(type, request.files[type.value].filename or type.value, _chunks(request.files[type.value]))
        for type in DocumentType
        if type.value in request.files and request.files[type.value].filename
    ]
    try:
        kyc.submit_verification(
            current_user,
            nationality=request.form.get("nationality", ""),
            as_company=request.form.get("as_company") == "y",
            uploads=uploads,
        )
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(
            _("Thank you. A verifier will check your documents; they are deleted right after the decision."), "success"
        )
    return redirect(_settings_url())
