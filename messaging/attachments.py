"""Files sent with messages: stored encrypted through files/, readable by the conversation's readers."""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterable, Iterator

from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import db
from files.operations import store_file
from messaging.permissions import can_read_conversation, is_participant
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


def store_attachments(uploads: Iterable, *, owner: User, uploaded: Iterable[StoredFile] = ()
                      ) -> list[MessageAttachment]:
    """A message's files: those posted with it (werkzeug FileStorage; empty inputs are skipped)
    are stored now, those `uploaded` beforehand through the upload API (the owner's finished
    uploads, files.uploads.completed_uploads) are taken as they are, filed under the kind a
    message gives their name.

    Raises DomainError (field "files") for more than MAX_FILES files, or what store_file raises.
    The stored bytes are removed if the message is then refused and rolled back.
    """
    uploads, uploaded = [u for u in uploads if u and u.filename], list(uploaded)
    if len(uploads) + len(uploaded) > MAX_FILES:
        raise DomainError(_l("Attach at most %(n)d files to one message.", n=MAX_FILES), field="files")
    for stored in uploaded:
        stored.kind = kind_for(stored.original_name)
    for upload in uploads:
        uploaded.append(store_file(_chunks(upload.stream), owner=owner, filename=upload.filename,
                                   kind=kind_for(upload.filename)))
    return [MessageAttachment(file_id=stored.id, name=stored.original_name, size=stored.size) for stored in uploaded]


def readable_attachment(attachment_id: int, user: User) -> tuple[MessageAttachment, StoredFile] | None:
    """The attachment and its file when `user` may read the conversation it was sent in."""
    attachment = db.session.get(MessageAttachment, attachment_id)
    if attachment is None or not can_read_conversation(user, attachment.message.conversation):
        return None
    stored = db.session.get(StoredFile, attachment.file_id)
    return (attachment, stored) if stored is not None else None


def can_read_message_file(user: User, stored: StoredFile) -> bool:
    """files.permissions READ_RULES entry: a file sent in a conversation is readable by its readers.

    Patient data (scans, DICOM) is for the two parties only, never for staff reading a
    disputed thread (PRODUCT.md §5): those files need participation, not a staff rule.
    """
    import sqlalchemy as sa

    attachments = db.session.scalars(sa.select(MessageAttachment).where(MessageAttachment.file_id == stored.id))
    if stored.kind == FileKind.patient_scan:
        return any(is_participant(user, a.message.conversation) for a in attachments)
    return any(can_read_conversation(user, a.message.conversation) for a in attachments)
