"""The files a form brings along, whichever way they came: uploaded beforehand through the
upload API (the page's script adds a `file_id` field for each), or posted with the form
itself (the page without JavaScript). Used by New transfer, the case order and delivery."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_login import current_user

from extensions import db
from files.operations import store_file
from files.uploads import completed_uploads
from models.files import FileKind, StoredFile

PIECE = 1024 * 1024


def posted_file_ids() -> list[str]:
    """The public ids the form names (what the upload API answered for each file)."""
    return [i for i in request.form.getlist("file_id") if i]


def uploaded_files() -> list[StoredFile]:
    """The current user's finished uploads named by the form. Raises DomainError for others."""
    return completed_uploads(posted_file_ids(), owner=current_user)


def carried_files() -> list[StoredFile]:
    """Files uploaded before a refused submit: shown again so they need not be sent twice."""
    ids = posted_file_ids()
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(StoredFile).where(
                StoredFile.public_id.in_(ids), StoredFile.owner_id == current_user.id, StoredFile.deleted_at.is_(None)
            )
        )
    )


def form_files(field_name: str, kind: FileKind) -> list[StoredFile]:
    """Files posted in the form's own file field, stored as they are read."""
    stored = []
    for upload in request.files.getlist(field_name):
        if upload and upload.filename:
            stored.append(
                store_file(
                    iter(lambda stream=upload.stream: stream.read(PIECE), b""),
                    owner=current_user,
                    filename=upload.filename,
                    kind=kind,
                )
            )
    return stored
