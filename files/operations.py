"""State changes of stored files: store, read, delete, expire (downloads: files/handover.py).

Every function flushes; the caller's unit of work commits (extensions.commit). Bytes leave
storage only after the commit that deleted the row's key, so a rolled-back deletion loses
nothing, and a committed one is final at once: without its wrapped key the ciphertext that
is still on its way out of storage can no longer be read.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime, timedelta
from functools import partial
from pathlib import PurePosixPath
from typing import Iterable, Iterator

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import DomainError, InvalidTransition
from extensions import commit, db
from files import content_kinds, crypto
from files.embedded_text import FileText, screen_file_text
from files.locks import lock_file
from files.meshes import MeshInspector, mesh_format
from files.permissions import can_delete, ensure
from files.pipeline import BackgroundSha256, read_ahead, write_behind
from files.sizes import readable_size
from files.rollback import undo_on_rollback
from files.storage import ObjectMissing, Storage, get_storage, new_storage_key
from jobs import enqueue
from jobs.runtime import job
from models.accounts import User
from models.files import FileKind, StoredFile
from models.messaging import MessageAttachment
from models.types import utcnow
from audit.trail import record_action

log = logging.getLogger(__name__)

# Kinds whose file names say whose they are (a patient's name, an identity document's
# holder): the name goes with the bytes. The empty name reads "Deleted file" on every page.
NAMES_DROPPED_ON_DELETE = {FileKind.patient_scan, FileKind.identity_document}
# Deleted files whose bytes are still in storage this long after are purged again by the sweep.
PURGE_RETRY_AFTER = timedelta(minutes=10)


class FileUnavailable(DomainError):
    """The file was deleted (by its owner, after its download, or at its expiry)."""


def master_keys() -> crypto.KeyRing:
    return crypto.key_ring(current_app.config)


def clean_filename(filename: str) -> str:
    """The name to show and to offer on download: no folders, no control characters, ≤255."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .") or "file"
    if len(name) > 255:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: 255 - len(suffix)] + suffix
    return name


def shown_file_name(name: str) -> str:
    """A file's name on a page; a deleted patient or identity file has none left."""
    return name or str(_l("Deleted file"))


def retention_for(kind: FileKind, now: datetime) -> datetime | None:
    """Patient data is kept only as long as a share link needs it: SHARE_LINK_DAYS by default."""
    if kind != FileKind.patient_scan:
        return None
    return now + timedelta(days=current_app.config["SHARE_LINK_DAYS"])


def store_file(stream: Iterable[bytes], *, owner: User, filename: str, kind: FileKind) -> StoredFile:
    """Encrypt and store a stream of bytes for `owner`, checking meshes on the way.

    Memory stays flat: the stream is read, hashed, inspected and encrypted piece by piece.
    What the file is comes from its first bytes (content_kinds), never from the sender.
    Raises ContentRefused when they are not what `kind` accepts (ContactDetailsInFile when
    the text inside the file carries contact details), DomainError when the stream exceeds
    UPLOAD_LIMIT_BYTES (nothing is kept either way).
    """
    name = clean_filename(filename)
    content, stream = content_kinds.accept_stream(stream, name, kind)
    limit = current_app.config["UPLOAD_LIMIT_BYTES"]
    key, data_key, prefix = new_storage_key(), crypto.new_data_key(), crypto.new_nonce_prefix()
    inspector = MeshInspector(name) if mesh_format(name) else None
    text = FileText(content.family)
    size = 0

    def observed(digest: BackgroundSha256) -> Iterator[bytes]:
        nonlocal size
        for piece in stream:
            size += len(piece)
            if size > limit:
                raise DomainError(
                    _l("This file is larger than the %(limit)s the platform accepts.", limit=readable_size(limit)),
                    field="file",
                )
            digest.update(piece)
            if inspector is not None:
                inspector.feed(piece)
            text.feed(piece)
            yield piece

    storage = get_storage()
    with BackgroundSha256() as digest:  # hashing and writing run beside the encryption
        write_behind(partial(storage.write, key), crypto.ChunkCipher(data_key, prefix).encrypt(observed(digest)))
        sha256 = digest.hexdigest()
    undo_on_rollback(storage.delete, key)
    screen_file_text(text.texts(), filename=name, author=owner)
    stored = register_file(
        owner=owner,
        name=name,
        kind=kind,
        content_type=content.content_type,
        key=key,
        data_key=data_key,
        prefix=prefix,
        size=size,
        sha256=sha256,
        mesh=inspector.result() if inspector is not None else None,
    )
    log.info("file %s stored for user %s: %s bytes", stored.id, owner.id, size)
    return stored


def register_file(
    *,
    owner: User,
    name: str,
    kind: FileKind,
    content_type: str,
    key: str,
    data_key: bytes,
    prefix: bytes,
    size: int,
    sha256: str | None,
    mesh: dict | None,
    chunk_size: int = crypto.CHUNK_BYTES,
) -> StoredFile:
    """Add the row for bytes already in storage (used by store_file and by finished uploads)."""
    now = utcnow()
    key_id, wrapped = master_keys().wrap(data_key, context=key)
    stored = StoredFile(
        owner_id=owner.id,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        storage_key=key,
        wrapped_key=wrapped,
        wrapped_key_id=key_id,
        nonce_prefix=prefix,
        chunk_size=chunk_size,
        mesh=mesh,
        created_at=now,
        expires_at=retention_for(kind, now),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def open_file(stored: StoredFile, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """Decrypted bytes [start, end) of the file, decrypting only the chunks the range touches.

    Checks happen now (deleted file, bad range, wrong master key); the returned iterator can
    be consumed after the request's session is gone. While it runs it raises
    FileIntegrityError on altered, truncated or missing bytes, before yielding any of them.
    Whether the reader may see the file is the caller's check (permissions.can_read, or a
    share link).
    """
    if stored.is_deleted:
        raise FileUnavailable(_l("This file has been deleted."))
    end = stored.size if end is None else end
    if not 0 <= start <= end <= stored.size:
        raise DomainError(_l("The requested part of the file is outside it."))
    data_key = master_keys().unwrap(stored.wrapped_key_id, stored.wrapped_key, context=stored.storage_key)
    cipher = crypto.ChunkCipher(data_key, stored.nonce_prefix, stored.chunk_size)
    # The next chunks are read and decrypted in a second thread while the caller sends (or
    # hashes) this one.
    return read_ahead(decrypted(get_storage(), stored.storage_key, cipher, stored.size, start, end))


def decrypted(
    storage: Storage, key: str, cipher: crypto.ChunkCipher, size: int, start: int = 0, end: int | None = None
) -> Iterator[bytes]:
    try:
        yield from cipher.decrypt(lambda first, last, block: storage.read(key, first, last, block), size, start, end)
    except ObjectMissing:
        raise crypto.FileIntegrityError(_l("This file's content is missing from storage.")) from None


def delete_file(stored: StoredFile, *, actor: User | None, reason: str = "deleted by owner") -> StoredFile:
    """Delete a file: its wrapped key (and a patient's or identity file's name) now, its bytes
    right after the commit.

    `actor` None is the platform (after a download, at expiry). Raises PermissionDenied,
    or InvalidTransition when the file is already deleted.
    """
    stored = lock_file(stored)
    if actor is not None:
        ensure(can_delete, actor, stored)
    if stored.is_deleted:
        raise InvalidTransition(_l("This file has already been deleted."))
    stored.deleted_at = utcnow()
    stored.deleted_reason = reason[:64]
    stored.wrapped_key = None
    stored.expires_at = None
    if stored.kind in NAMES_DROPPED_ON_DELETE:
        stored.original_name = ""
        # A message keeps its own copy of its files' names: it goes too.
        db.session.execute(sa.update(MessageAttachment).where(MessageAttachment.file_id == stored.id).values(name=""))
    db.session.flush()
    record_action(
        "file.deleted", stored, actor=actor, before={"kind": stored.kind.value}, after={"deleted": True}, reason=reason
    )
    enqueue(purge_file_bytes, stored.id)
    return stored


@job
def purge_file_bytes(file_id: int) -> bool:
    """Job: remove a deleted file's bytes from storage (idempotent); True if it did."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or not stored.is_deleted or stored.purged_at is not None:
        return False
    get_storage().delete(stored.storage_key)
    stored.purged_at = utcnow()
    commit()
    log.info("bytes of deleted file %s removed from storage", file_id)
    return True


def keep_until(stored: StoredFile, until: datetime) -> None:
    """Keep patient data at least until `until` (a share link or a case still needs it)."""
    if stored.kind == FileKind.patient_scan and not stored.is_deleted:
        stored.expires_at = max(stored.expires_at or until, until)


def sweep_expired_files(now: datetime) -> int:
    """Sweep: delete patient data whose time is up; retry removing bytes a lost job left.

    Patient data is due at its expiry, or SHARE_LINK_DAYS after it was stored when it became
    patient data after its row was made (a file filed under that kind by the message it went
    with). Expiry is about patient data only: other files never expire.
    """
    stragglers = db.session.scalars(
        sa.select(StoredFile).where(StoredFile.deleted_at <= now - PURGE_RETRY_AFTER, StoredFile.purged_at.is_(None))
    ).all()
    storage = get_storage()
    for stored in stragglers:
        storage.delete(stored.storage_key)
        stored.purged_at = now
    stored_before = now - timedelta(days=current_app.config["SHARE_LINK_DAYS"])
    due = db.session.scalars(
        sa.select(StoredFile).where(
            StoredFile.kind == FileKind.patient_scan,
            StoredFile.deleted_at.is_(None),
            sa.or_(
                StoredFile.expires_at <= now,
                sa.and_(StoredFile.expires_at.is_(None), StoredFile.created_at <= stored_before),
            ),
        )
    ).all()
    for stored in due:
        delete_file(stored, actor=None, reason="expired")
    return len(stragglers) + len(due)
