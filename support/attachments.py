"""Files sent with a ticket: screenshots, PDFs and text (logs) only. Meshes, DICOM and archives are
refused, whatever their name: a support ticket is no place for a patient's scan, and staff read these."""

from __future__ import annotations

from typing import Iterable, Iterator

from flask_babel import lazy_gettext as _l

from errors import DomainError
from files.content_kinds import HEAD_BYTES, ContentRefused, identify
from files.operations import clean_filename, store_file
from files.sizes import readable_size
from models.accounts import User
from models.files import FileKind
from models.support import TicketAttachment

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
IMAGES = frozenset({"png", "jpeg", "gif", "webp", "heic"})
FAMILIES = IMAGES | {"pdf", "text"}
CHUNK = 1024 * 1024


def _chunks(stream) -> Iterator[bytes]:
    while piece := stream.read(CHUNK):
        yield piece


def _size(stream) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def store_ticket_files(uploads: Iterable, *, owner: User) -> list[TicketAttachment]:
    """Store the files posted with a ticket message (werkzeug FileStorage; empty inputs skipped).

    Raises DomainError (field "files") for too many or too large files, ContentRefused for a file that
    is not a picture, a PDF or text. The stored bytes are removed if the message is rolled back."""
    uploads = [u for u in uploads if u and u.filename]
    if len(uploads) > MAX_FILES:
        raise DomainError(_l("Attach at most %(n)d files.", n=MAX_FILES), field="files")
    attachments = []
    for upload in uploads:
        name = clean_filename(upload.filename)
        if _size(upload.stream) > MAX_BYTES:
            raise DomainError(
                _l("%(name)s is larger than %(limit)s.", name=name, limit=readable_size(MAX_BYTES)), field="files"
            )
        family = identify(upload.stream.read(HEAD_BYTES), name).family
        upload.stream.seek(0)
        if family not in FAMILIES:
            raise ContentRefused(
                _l(
                    "%(name)s: send screenshots (PNG, JPEG), PDF or text files. Patient scans "
                    "never go in a support ticket.",
                    name=name,
                ),
                field="files",
            )
        kind = FileKind.image if family in IMAGES else FileKind.document
        stored = store_file(_chunks(upload.stream), owner=owner, filename=name, kind=kind)
        attachments.append(TicketAttachment(file_id=stored.id, name=stored.original_name, size=stored.size))
    return attachments
