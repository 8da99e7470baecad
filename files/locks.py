"""Row locks of the files area, always taken in one order: share link, then stored file."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.files import ShareLink, StoredFile, UploadSession


def _lock(model, row_id: int):
    statement = sa.select(model).where(model.id == row_id).with_for_update()
    return db.session.scalars(statement.execution_options(populate_existing=True)).one()


def lock_link(link: ShareLink) -> ShareLink:
    return _lock(ShareLink, link.id)


def lock_file(stored: StoredFile) -> StoredFile:
    return _lock(StoredFile, stored.id)


def lock_upload(upload: UploadSession) -> UploadSession:
    return _lock(UploadSession, upload.id)
