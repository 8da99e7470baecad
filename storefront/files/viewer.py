"""The 3D viewer page: a case's meshes, a share link's meshes, or one file of mine.

The page lists the STL/PLY/OBJ files with the URL each one is previewed from, and the URL it
downloads from; the browser (static/js/viewer.js, three.js) fetches and shows them. Previewing
is not receiving: the preview routes never claim and never count a download, so opening a
patient scan in 3D keeps it (the designer of a request looks before accepting). Only the
explicit download, by its recipient, hands it over (files/handover.py).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from cases.permissions import can_read_case_link, can_view_case
from extensions import db
from files.handover import may_preview
from files.links import LinkUnavailable
from files.meshes import mesh_format
from files.permissions import readable_file, serves_stored_files
from models.cases import Case, CaseFile, CaseFileRole
from models.files import StoredFile
from storefront.files import downloads
from storefront.files.blueprint import bp, may_download
from storefront.files.link_pages import dead_link_page, file_status, is_open, link_limit, live_link

_UPPER = re.compile(r"upper|maxill|\bup\b|haut|sup[ée]rieur|oberkiefer", re.IGNORECASE)
_LOWER = re.compile(r"lower|mandib|\blow\b|\bbas\b|inf[ée]rieur|unterkiefer", re.IGNORECASE)


def mesh_role(name: str, *, design: bool) -> str:
    """Which toggle a mesh belongs to: the upper or lower arch scan, or the design."""
    if design:
        return "design"
    if _UPPER.search(name):
        return "upper"
    if _LOWER.search(name):
        return "lower"
    return "scan"


def _mesh(stored: StoredFile, url: str, download: str | None, *, design: bool) -> dict:
    return {
        "id": stored.public_id,
        "name": stored.original_name,
        "url": url,
        "download": download,
        "size": stored.size,
        "format": mesh_format(stored.original_name),
        "role": mesh_role(stored.original_name, design=design),
        "patient": stored.is_patient_data,
    }


def _viewable(stored: StoredFile) -> bool:
    return not stored.is_deleted and mesh_format(stored.original_name) is not None


@bp.get("/files/3d/case/<reference>", endpoint="viewer")
@bp.get("/files/3d/file/<public_id>", endpoint="viewer")
@bp.get("/t/<token>/3d", endpoint="viewer")
@link_limit()
def viewer(reference: str | None = None, public_id: str | None = None, token: str | None = None):
    """One viewer for the three ways to reach meshes; each checks its own access."""
    if token is not None:
        return _link_viewer(token)
    if not current_user.is_authenticated:
        return redirect(
            url_for("accounts.login", next=url_for("files.viewer", reference=reference, public_id=public_id))
        )
    if reference is not None:
        return _case_viewer(reference)
    stored = readable_file(current_user, public_id)
    if stored is None or not _viewable(stored):
        abort(404)
    meshes = [
        _mesh(
            stored,
            url_for("files.preview", public_id=stored.public_id),
            url_for("files.download", public_id=stored.public_id),
            design=not stored.is_patient_data,
        )
    ]
    return _page(meshes, title=stored.original_name, back=url_for("files.my_files"))


def _case_viewer(reference: str):
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    if case is None or not can_view_case(current_user, case):
        abort(404)
    rows = [
        (case_file, stored)
        for case_file, stored in db.session.execute(
            sa.select(CaseFile, StoredFile)
            .join(StoredFile, StoredFile.id == CaseFile.file_id)
            .where(CaseFile.case_id == case.id)
            .order_by(CaseFile.id)
        ).all()
        if can_read_case_link(current_user, case, case_file)
    ]
    recipient = downloads.current_recipient()
    meshes = [
        _mesh(
            stored,
            url_for("files.preview", public_id=stored.public_id),
            url_for("cases.download", reference=reference, public_id=stored.public_id)
            if may_download(stored)
            else None,
            design=case_file.role == CaseFileRole.delivery,
        )
        for case_file, stored in rows
        if _viewable(stored) and may_preview(stored, recipient)
    ]
    return _page(meshes, title=case.listing_title, back=url_for("cases.show", reference=reference))


def _link_viewer(token: str):
    try:
        link = live_link(token)
    except LinkUnavailable as exc:
        return dead_link_page(exc)
    if not is_open(link):
        return redirect(url_for("files.shared", token=token))
    meshes = [
        _mesh(
            stored,
            url_for("files.shared_preview", token=token, public_id=stored.public_id),
            url_for("files.shared_download", token=token, public_id=stored.public_id),
            design=not stored.is_patient_data,
        )
        for stored in link.files
        if _viewable(stored) and file_status(link, stored) is None
    ]
    return _page(meshes, title=None, back=url_for("files.shared", token=token))


@bp.get("/files/3d/mesh/<public_id>")
@serves_stored_files
def preview(public_id: str):
    """A mesh I may read, for the viewer: shown, never counted as its download."""
    if not current_user.is_authenticated:
        abort(404)
    stored = readable_file(current_user, public_id)
    if stored is None or not _viewable(stored):
        abort(404)
    if not may_preview(stored, downloads.current_recipient()):
        abort(410)
    return downloads.preview_response(stored)


@bp.get("/t/<token>/3d/<public_id>")
@link_limit()
@serves_stored_files
def shared_preview(token: str, public_id: str):
    """A mesh of a share link, for the viewer: shown, never counted as its download."""
    try:
        link = live_link(token)
    except LinkUnavailable as exc:
        return dead_link_page(exc)
    if not is_open(link):
        abort(404)
    stored = next((f for f in link.files if f.public_id == public_id), None)
    if stored is None or not _viewable(stored):
        abort(404)
    if not may_preview(stored, downloads.current_recipient()):
        abort(410)
    return downloads.preview_response(stored)


def _page(meshes: list[dict], *, title: str | None, back: str):
    return render_template(
        "files/viewer.html",
        meshes=meshes,
        title=title,
        back=back,
        patient=any(m["patient"] for m in meshes),
        held_back=any(m["download"] is None for m in meshes),
    )
