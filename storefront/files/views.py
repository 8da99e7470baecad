"""My files, a new transfer, the owner's view of a link, deleting, and private downloads.

The public side of links (/t/<token>) is in link_pages.py, the resumable upload API in
upload_api.py, the 3D viewer in viewer.py: all are routes of the one blueprint in blueprint.py.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, db
from files import handover
from files import links as share_links
from files.operations import delete_file
from files.permissions import find_file, readable_file, serves_stored_files
from models.accounts import User
from models.files import FileKind, ShareLink, StoredFile
from models.types import utcnow
from storefront.files import downloads, inventory

# Their routes are on the same blueprint: importing them here is what registering views.bp registers.
from storefront.files import link_pages, upload_api, viewer  # noqa: F401
from storefront.files.blueprint import bp
from storefront.files.posted import carried_files, form_files, uploaded_files
from storefront.files.forms import ConfirmForm, TransferForm
from storefront.form_errors import show_domain_error
from storefront.next_page import next_page
from url_numbers import page_number

TABS = ("links", "messages", "cases")
KEPT_TOKENS = 10  # links whose URL stays visible to their owner for this browser session


@bp.get("/files")
@login_required
def my_files():
    """Every link I created and every file I sent or received in messages and cases."""
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "links"
    page = request.args.get("page", 1, type=page_number)
    listing = {"links": inventory.my_links, "messages": inventory.message_files, "cases": inventory.case_files}[tab](
        current_user, page
    )
    return render_template("files/my_files.html", tab=tab, tabs=TABS, page=listing, confirm=ConfirmForm())


@bp.route("/files/new", methods=["GET", "POST"])
@login_required
def new_transfer():
    """Drop or pick files, then share them with one link (expiry, limit, password)."""
    form = TransferForm()
    if not form.is_submitted():
        form.days.data = current_app.config["SHARE_LINK_DAYS"]
    if form.validate_on_submit():
        try:
            files = uploaded_files() + form_files(form.files.name, FileKind(form.kind.data))
            expires_at = utcnow() + timedelta(days=form.days.data) if form.days.data else None
            link, token = share_links.create_share_link(
                files,
                actor=current_user,
                expires_at=expires_at,
                max_downloads=form.max_downloads.data,
                password=form.password.data or None,
            )
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            _keep_token(link.id, token)
            flash(_("Your link is ready. Copy it and send it to your recipient."), "success")
            return redirect(url_for("files.link", link_id=link.id))
    return render_template(
        "files/new_transfer.html",
        form=form,
        carried=carried_files(),
        upload_limit=current_app.config["UPLOAD_LIMIT_BYTES"],
    ), 400 if form.is_submitted() else 200


def _keep_token(link_id: int, token: str) -> None:
    """The token is stored nowhere but in its owner's session: only its hash is in the database."""
    tokens = dict(session.get("link_tokens") or {})
    tokens[str(link_id)] = token
    session["link_tokens"] = dict(list(tokens.items())[-KEPT_TOKENS:])


def _own_link(link_id: int) -> ShareLink:
    link = db.session.get(ShareLink, link_id)
    if link is None or link.owner_id != current_user.id:
        abort(404)
    return link


@bp.get("/files/links/<int:link_id>")
@login_required
def link(link_id: int):
    """The owner's view of a link: its URL (while this session knows it), files, downloads."""
    found = _own_link(link_id)
    token = (session.get("link_tokens") or {}).get(str(link_id))
    url = url_for("files.shared", token=token, _external=True) if token else None
    return render_template(
        "files/link.html",
        link=found,
        url=url,
        confirm=ConfirmForm(),
        downloads_left=lambda f: share_links.downloads_left(found, f),
    )


@bp.post("/files/links/<int:link_id>/delete")
@login_required
def delete_link(link_id: int):
    found = _own_link(link_id)
    if ConfirmForm().validate_on_submit():
        try:
            share_links.delete_share_link(found, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            flash(_("The link was deleted: it no longer opens."), "success")
    return redirect(url_for("files.my_files"))


@bp.post("/files/<public_id>/delete")
@login_required
def delete(public_id: str):
    stored = find_file(public_id)
    if stored is None or stored.owner_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            delete_file(stored, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            flash(_("The file was deleted."), "success")
    return redirect(next_page(url_for("files.my_files")))


@bp.get("/files/<public_id>/download")
@login_required
@serves_stored_files
def download(public_id: str):
    """A file I may read (mine, or a party's file of my case or conversation), with Range."""
    stored = readable_file(current_user, public_id)
    if stored is None:
        abort(404)  # someone else's file: it does not exist for this reader
    return send_reader_download(stored)


def send_reader_download(stored: StoredFile):
    """A signed-in reader's download of a file they may read: the one way cases, messages and
    My files send one (its claim and record are files.handover's)."""
    reader_id = current_user.id

    def record(claim, first_byte: int, bytes_sent: int, finished: bool) -> None:
        handover.record_download(
            db.session.get(StoredFile, claim.file_id),
            first_byte=first_byte,
            bytes_sent=bytes_sent,
            finished=finished,
            claim=claim,
            reader=db.session.get(User, reader_id),
        )

    return downloads.send_download(
        stored,
        record=record,
        claim=lambda: handover.claim_download(stored, recipient=downloads.current_recipient(), reader=current_user),
    )
