"""Files sent with messages: stored encrypted through files/, readable by the conversation's participants."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterable, Iterator

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import db
from files.operations import store_file
from files.permissions import readable_file
from messaging.permissions import is_participant
from models.accounts import User
from models.files import FileKind, StoredFile
from models.messaging import MessageAttachment

MAX_FILES = 10
CHUNK = 1024 * 1024
_DESIGN = {".stl", ".ply", ".obj", ".dcm", ".3oxz", ".dentalproject", ".constructioninfo", ".zip"}
_IMAGE = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic"}


def kind_for(filename: str) -> FileKind:
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix in _DESIGN:
        return FileKind.design
    return FileKind.image if suffix in _IMAGE else FileKind.document


def _chunks(stream) -> Iterator[bytes]:
    while piece := stream.read(CHUNK):
        yield piece


def attachment_kind(stored_kind: FileKind | None, filename: str, *, patient_scans: bool) -> FileKind:
    """The kind a file sent in a message is kept under. A patient scan stays one whatever its
    name (an STL sent from the order form, or declared a scan by its sender); other files
    are filed by their name (a mesh is a design, a picture an image, the rest a document)."""
    if patient_scans or stored_kind == FileKind.patient_scan:
        return FileKind.patient_scan
    return kind_for(filename)


def store_attachments(
    uploads: Iterable, *, owner: User, uploaded: Iterable[StoredFile] = (), patient_scans: bool = True
) -> list[MessageAttachment]:
    """A message's files: those posted with it (werkzeug FileStorage; empty inputs are skipped)
    are stored now, those `uploaded` beforehand through the upload API (the owner's finished
    uploads, files.uploads.completed_uploads) are taken as they are. The sender says whether
    they are patient scans (the default: a scan is never filed as anything less by mistake);
    see attachment_kind.

    Raises DomainError (field "files") for more than MAX_FILES files, or what store_file raises.
    The stored bytes are removed if the message is then refused and rolled back.
    """
    uploads, uploaded = [u for u in uploads if u and u.filename], list(uploaded)
    if len(uploads) + len(uploaded) > MAX_FILES:
        raise DomainError(_l("Attach at most %(n)d files to one message.", n=MAX_FILES), field="files")
    for stored in uploaded:
        stored.kind = attachment_kind(stored.kind, stored.original_name, patient_scans=patient_scans)
    for upload in uploads:
        uploaded.append(
            store_file(
                _chunks(upload.stream),
                owner=owner,
                filename=upload.filename,
                kind=attachment_kind(None, upload.filename, patient_scans=patient_scans),
            )
        )
    return [MessageAttachment(file_id=stored.id, name=stored.original_name, size=stored.size) for stored in uploaded]


def _attachments_of(stored: StoredFile) -> list[MessageAttachment]:
    return list(db.session.scalars(sa.select(MessageAttachment).where(MessageAttachment.file_id == stored.id)))


def readable_attachment(public_id: str, user: User) -> tuple[MessageAttachment, StoredFile] | None:
    """A file sent in a conversation `user` takes part in, and the attachment that sent it
    there, named by the file's public id; None when the user may not read it."""
    stored = readable_file(user, public_id)
    if stored is None:
        return None
    attachment = next((a for a in _attachments_of(stored) if is_participant(user, a.message.conversation)), None)
    return (attachment, stored) if attachment is not None else None


def can_read_message_file(user: User, stored: StoredFile) -> bool:
    """hooks.file_read_rules rule: a file sent in a conversation is readable by its
    participants. Staff reading a disputed thread read its files through the dispute
    (audited, never patient data), not through this rule (PRODUCT.md §9)."""
    return any(is_participant(user, a.message.conversation) for a in _attachments_of(stored))
