"""The public side of a share link, /t/<token>: its page, password, downloads, ZIP of all.

A link is public by its token (that is its point) but honours its password, expiry and
download limit; a dead link answers 410 with a page that says what happened. Pages and
downloads are rate-limited per address (RATELIMIT_LINK), password attempts more strictly
(RATELIMIT_LINK_PASSWORD): a token or a password cannot be guessed by trying.
"""

from __future__ import annotations

from functools import partial

from flask import abort, current_app, redirect, render_template, request, session, stream_with_context, url_for
from flask_babel import gettext as _

from errors import DomainError, PermissionDenied
from extensions import commit, db, limiter
from files import handover
from files.links import (
    LinkUnavailable,
    check_link_password,
    downloads_left,
    shared_file,
    record_link_download,
    resolve_share_link,
)
from files.meshes import mesh_format
from files.operations import open_file
from files.permissions import serves_stored_files
from models.files import ShareLink, StoredFile
from storefront.files import downloads
from storefront.files.forms import LinkPasswordForm
from storefront.files.blueprint import bp
from storefront.files.zip_stream import ZipBody

DEFAULT_LINK_LIMIT = "60 per minute"
DEFAULT_PASSWORD_LIMIT = "5 per minute;20 per hour"
OPENED_KEPT = 20  # password-opened links remembered per browser session


def link_limit():
    """One budget per address for every link page and download together."""
    return limiter.shared_limit(
        lambda: current_app.config.get("RATELIMIT_LINK", DEFAULT_LINK_LIMIT), scope="share-links"
    )


def password_limit():
    """Wrong passwords only (answered 401) count against this stricter budget."""
    return limiter.shared_limit(
        lambda: current_app.config.get("RATELIMIT_LINK_PASSWORD", DEFAULT_PASSWORD_LIMIT),
        scope="share-link-passwords",
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 401,
    )


def dead_link_page(exc: LinkUnavailable):
    return render_template("files/link_dead.html", state=exc.state.value, message=exc.message), 410


def is_open(link: ShareLink) -> bool:
    return not link.has_password or link.id in (session.get("open_links") or [])


def _remember_open(link: ShareLink) -> None:
    opened = [i for i in (session.get("open_links") or []) if i != link.id]
    session["open_links"] = [*opened, link.id][-OPENED_KEPT:]


def live_link(token: str) -> ShareLink:
    """The link or an error page: 404 for no such token, LinkUnavailable for a dead one."""
    return resolve_share_link(token)


@bp.route("/t/<token>", methods=["GET", "POST"])
@link_limit()
@password_limit()
def shared(token: str):
    """The link's page: its files with sizes and mesh warnings, or its password form."""
    try:
        link = live_link(token)
    except LinkUnavailable as exc:
        return dead_link_page(exc)
    form = LinkPasswordForm()
    if link.has_password and not is_open(link):
        if form.validate_on_submit():
            try:
                check_link_password(link, form.password.data)
            except PermissionDenied as exc:
                form.password.errors = [exc.message]
            else:
                _remember_open(link)
                return redirect(url_for("files.shared", token=token))
        return render_template(
            "files/link_password.html", form=form, link=link, token=token
        ), 401 if form.is_submitted() else 200
    rows = [(f, file_status(link, f)) for f in link.files]
    available = [f for f, status in rows if status is None]
    return render_template(
        "files/shared.html",
        link=link,
        token=token,
        rows=rows,
        available=available,
        any_mesh=any(mesh_format(f.original_name) for f in available),
    )


def file_status(link: ShareLink, stored: StoredFile) -> str | None:
    """Why this browser can no longer get this file through the link, or None if it can."""
    if stored.is_deleted:
        if stored.deleted_reason == handover.RECEIVED:
            return _("Downloaded: deleted after its download")
        return _("Deleted")
    if stored.is_patient_data:
        if not handover.may_preview(stored, downloads.current_recipient()):
            return _("Downloaded by its recipient")
        return None
    if downloads_left(link, stored) == 0:
        return _("Download limit reached")
    return None


@bp.get("/t/<token>/files/<public_id>")
@link_limit()
@serves_stored_files
def shared_download(token: str, public_id: str):
    """One file of the link, with Range (a browser or a download manager resumes)."""
    try:
        link = live_link(token)
    except LinkUnavailable as exc:
        return dead_link_page(exc)
    if not is_open(link):
        return redirect(url_for("files.shared", token=token))
    stored = next((f for f in link.files if f.public_id == public_id), None)
    if stored is None:
        abort(404)
    file_id = stored.id

    def claim():
        shared_file(link, file_id)  # still offered: not deleted, within its limit
        return handover.claim_download(stored, recipient=downloads.current_recipient(), link=link)

    return downloads.send_download(stored, claim=claim, record=_record, token=token)


def _record(claim: handover.Claim, first_byte: int, bytes_sent: int, finished: bool) -> None:
    record_link_download(
        db.session.get(ShareLink, claim.link_id),
        db.session.get(StoredFile, claim.file_id),
        first_byte=first_byte,
        bytes_sent=bytes_sent,
        finished=finished,
        claim=claim,
    )


@bp.get("/t/<token>/all.zip")
@link_limit()
@serves_stored_files
def shared_zip(token: str):
    """Every file the link still offers, as one ZIP streamed while it is written. Each patient
    file in it is claimed before the first byte, like a download of its own."""
    try:
        link = live_link(token)
    except LinkUnavailable as exc:
        return dead_link_page(exc)
    if not is_open(link):
        return redirect(url_for("files.shared", token=token))
    if downloads.is_link_preview_agent():
        return downloads.link_preview_page()
    offered = [stored for stored in link.files if file_status(link, stored) is None]
    if not offered:
        return render_template(
            "files/link_dead.html",
            state="downloaded",
            message=_("None of this link's files can be downloaded any more."),
        ), 410
    if request.method == "HEAD":
        return downloads.user_file_response(
            b"", name="occlusa-transfer.zip", content_type="application/zip", headers={"X-Accel-Buffering": "no"}
        )
    recipient = downloads.current_recipient()
    try:
        claims = [handover.claim_download(stored, recipient=recipient, link=link) for stored in offered]
        commit()
    except DomainError as exc:
        return downloads.refusal(exc, token=token)
    for stored in offered:
        db.session.refresh(stored)  # loaded now: the archive is written after this session is gone
    app = current_app._get_current_object()
    members = [(stored, partial(open_file, stored), partial(_record, claim)) for stored, claim in zip(offered, claims)]
    # Each member is opened (its key unwrapped) while the archive is written: that needs the
    # request's context, kept alive for the body; the downloads are recorded in their own.
    body = ZipBody(
        stream_with_context,
        members,
        lambda record, first, sent, finished: downloads.in_own_unit_of_work(app, record, first, sent, finished),
    )
    return downloads.user_file_response(
        body, name="occlusa-transfer.zip", content_type="application/zip", headers={"X-Accel-Buffering": "no"}
    )
