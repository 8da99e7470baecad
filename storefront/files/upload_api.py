"""The resumable upload API that static/js/uploads.js speaks (JSON; CSRF token in X-CSRFToken).

    POST   /files/uploads                 {"filename", "size", "kind"} → 201 {token, url, received_bytes, request_bytes}
    HEAD   /files/uploads/<token>         → 204, Upload-Offset: bytes received so far
    GET    /files/uploads/<token>         → {received_bytes, size, state, file_id, check}
    PUT    /files/uploads/<token>?offset=N   raw bytes from N → {received_bytes, complete, file_id, check}
                                          409 {error, expected} when N is not where the upload stands
    DELETE /files/uploads/<token>         → abort the upload

A file whose name or first bytes are not what its kind accepts (a program, a web page, an
HTML page named `.stl`) is answered 415 {error}: the upload is given up, nothing is kept.
A client that lost its connection asks HEAD/GET for `received_bytes` and goes on from there.
Once complete, `check` is {done, failed, summary, warnings}: the read-back check (a job, so
a client polls GET until `done`), with the mesh's size and plain warnings for STL/PLY/OBJ.
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from files.content_kinds import ContentRefused
from files.embedded_text import ContactDetailsInFile
from files.uploads import UploadOffsetMismatch, abort_upload, append_upload, find_upload, request_bytes, start_upload
from models.files import FileKind, StoredFile, UploadSession
from screening.contact_filter import record_refused_attempt
from storefront.files.blueprint import bp, mesh_summary, mesh_warnings
from storefront.files.request_body import upload_body

UPLOADABLE_KINDS = {FileKind.patient_scan.value, FileKind.design.value, FileKind.document.value, FileKind.image.value}


def _refused(exc: DomainError):
    db.session.rollback()
    status = (
        404
        if isinstance(exc, NotFound)
        else 403
        if isinstance(exc, PermissionDenied)
        else 409
        if isinstance(exc, InvalidTransition)
        else 415
        if isinstance(exc, ContentRefused)
        else 400
    )
    return jsonify(error=str(exc.message), field=exc.field), status


def _status(upload: UploadSession) -> dict:
    return {
        "token": upload.token,
        "url": url_for("files.upload_status", token=upload.token),
        "filename": upload.filename,
        "size": upload.declared_size,
        "received_bytes": upload.received_bytes,
        "state": upload.state.value,
        "complete": upload.stored_file_id is not None,
        "file_id": upload.stored_file.public_id if upload.stored_file else None,  # the file's public id
        "request_bytes": request_bytes(),
        "check": _check(upload.stored_file),
    }


def _check(stored: StoredFile | None) -> dict | None:
    """The read-back check of a finished upload (a job: it may still be running), and for a
    mesh what it found, so that a page can warn before the file is used."""
    if stored is None:
        return None
    return {
        "done": stored.sha256 is not None or stored.is_deleted,
        "failed": stored.is_deleted,
        "summary": mesh_summary(stored),
        "warnings": mesh_warnings(stored),
    }


@bp.post("/files/uploads")
@login_required
def upload_start():
    data = request.get_json(silent=True) or {}
    filename, size, kind = data.get("filename"), data.get("size"), data.get("kind", FileKind.patient_scan.value)
    if not isinstance(filename, str) or not filename.strip() or not isinstance(size, int) or isinstance(size, bool):
        return jsonify(error=_("Give the file's name and size.")), 400
    if kind not in UPLOADABLE_KINDS:
        return jsonify(error=_("Choose what kind of file this is.")), 400
    try:
        upload = start_upload(owner=current_user, filename=filename, size=size, kind=FileKind(kind))
    except DomainError as exc:
        return _refused(exc)
    commit()
    return jsonify(_status(upload)), 201


@bp.route("/files/uploads/<token>", methods=["GET", "HEAD"])
@login_required
def upload_status(token: str):
    try:
        upload = find_upload(token, owner=current_user)
    except DomainError as exc:
        return _refused(exc)
    if request.method == "HEAD":
        return (
            "",
            204,
            {
                "Upload-Offset": str(upload.received_bytes),
                "Upload-Length": str(upload.declared_size),
                "Cache-Control": "no-store",
            },
        )
    return jsonify(_status(upload)), 200, {"Upload-Offset": str(upload.received_bytes), "Cache-Control": "no-store"}


@bp.put("/files/uploads/<token>")
@login_required
def upload_append(token: str):
    offset = request.args.get("offset", type=int)
    if offset is None:
        return jsonify(error=_("Say at which byte these bytes start (offset).")), 400
    try:
        upload = find_upload(token, owner=current_user)
        # The body is read as it arrives, straight into the part being filled: never held whole.
        upload = append_upload(upload, upload_body(request), offset=offset, actor=current_user)
    except UploadOffsetMismatch as exc:
        db.session.rollback()
        return jsonify(error=str(exc.message), expected=exc.expected), 409, {"Upload-Offset": str(exc.expected)}
    except ContentRefused as exc:
        db.session.rollback()
        # Nothing of this file is kept: what earlier requests brought goes with the upload.
        abort_upload(find_upload(token, owner=current_user), actor=current_user)
        if isinstance(exc, ContactDetailsInFile):
            record_refused_attempt(exc.refusal)  # kept for moderators, like a refused message
        commit()
        return jsonify(error=str(exc.message), field=exc.field), 415
    except DomainError as exc:
        return _refused(exc)
    commit()
    return jsonify(_status(upload)), 200, {"Upload-Offset": str(upload.received_bytes)}


@bp.delete("/files/uploads/<token>")
@login_required
def upload_abort(token: str):
    try:
        abort_upload(find_upload(token, owner=current_user), actor=current_user)
    except DomainError as exc:
        return _refused(exc)
    commit()
    return "", 204
