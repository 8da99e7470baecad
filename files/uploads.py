"""Resumable chunked uploads: big scans arrive over many requests and survive a dropped line.

The client declares the size, then sends the bytes in order, each request saying at which
offset it starts; after a drop it asks where to resume (`received_bytes`) and goes on.
Bytes are encrypted as they arrive, in the file's chunks, and committed to storage in
parts of at least 5 MiB (S3's smallest multipart part; the disk backend does the same).
What arrived after the last whole part is kept sealed in the session row (`pending`), so
the next request may land on any web server. Memory per request stays at a few parts
(the one filling, two waiting, one being sealed: about 35 MiB).

When the last byte is in, the file is registered and a job reads it back once: that
authenticates every chunk, and fills in its SHA-256 and its mesh check.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import BinaryIO, Iterable, Iterator, NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import after_commit, commit, db
from files import content_kinds, crypto, operations
from files.embedded_text import FileText, screen_file_text
from files.locks import lock_upload
from files.meshes import MeshInspector, mesh_format
from files.pipeline import BackgroundSha256, BufferPool, write_behind
from files.rollback import undo_on_rollback
from files.sizes import readable_size
from files.storage import Storage, get_storage, new_storage_key
from jobs import enqueue
from jobs.runtime import job
from models.accounts import User
from models.files import FileKind, StoredFile, UploadSession, UploadState
from models.types import utcnow

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=24)  # an upload with no progress for this long is given up
PIECE = 1024 * 1024  # bytes asked of a request body at a time
REQUEST_PARTS = 12  # parts per request that clients are advised to send
# Part buffers (plaintext and sealed) are reused by the next part and the next request.
_PART_BUFFERS = BufferPool()


class UploadOffsetMismatch(InvalidTransition):
    """The client sent bytes for another offset than the one the upload continues at."""

    def __init__(self, expected: int):
        super().__init__(_l("The upload continues at byte %(offset)s.", offset=expected))
        self.expected = expected


def request_bytes() -> int:
    """The request size to advise clients: whole parts, so nothing waits in `pending`.

    About 60 MiB, under the 64 MiB of MAX_CONTENT_LENGTH. A request that breaks off loses
    nothing (its whole parts are stored as they arrive, the rest is kept in `pending`), and
    the browser shows progress within a request, so requests can be large. Each one costs a
    round trip, a session lookup, a row lock and a drained pipeline: with 20 MiB requests
    a gigabyte took ≈2.4 s through the app in bench/files.py, with 60 MiB ≈1.8 s.
    """
    part = -(-get_storage().upload_part_bytes // (crypto.CHUNK_BYTES + crypto.TAG_BYTES)) * crypto.CHUNK_BYTES
    return REQUEST_PARTS * part


def start_upload(*, owner: User, filename: str, size: int, kind: FileKind) -> UploadSession:
    """Open a resumable upload of `size` bytes. Raises DomainError beyond UPLOAD_LIMIT_BYTES,
    ContentRefused for a name that is a program, a script or a web page."""
    limit = current_app.config["UPLOAD_LIMIT_BYTES"]
    if not 0 <= size <= limit:
        raise DomainError(
            _l("This file is larger than the %(limit)s the platform accepts.", limit=readable_size(limit)), field="file"
        )
    name = operations.clean_filename(filename)
    content_kinds.accept_name(name)
    key = new_storage_key()
    storage = get_storage()
    handle = storage.begin_parts(key)
    undo_on_rollback(storage.abort_parts, key, handle)
    key_id, wrapped = operations.master_keys().wrap(crypto.new_data_key(), context=key)
    upload = UploadSession(
        token=secrets.token_urlsafe(24),
        owner_id=owner.id,
        kind=kind,
        filename=name,
        content_type=content_kinds.OCTET_STREAM,
        declared_size=size,  # until check_head knows
        received_bytes=0,
        storage_key=key,
        storage_handle=handle,
        parts=[],
        stored_bytes=0,
        wrapped_key=wrapped,
        wrapped_key_id=key_id,
        nonce_prefix=crypto.new_nonce_prefix(),
        chunk_size=crypto.CHUNK_BYTES,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def find_upload(token: str, *, owner: User) -> UploadSession:
    """The owner's upload with this token. Raises NotFound (also for someone else's)."""
    upload = db.session.scalar(sa.select(UploadSession).where(UploadSession.token == token))
    if upload is None or upload.owner_id != owner.id:
        raise NotFound(_l("This upload does not exist."))
    return upload


def completed_uploads(public_ids: Iterable[str], *, owner: User) -> list[StoredFile]:
    """The files `owner` sent through the upload API, in the order given: what a form that
    uploaded its files beforehand (transfer, case order, delivery) brings along by public id.
    Raises DomainError when one is not such a file (someone else's, unfinished, deleted)."""
    wanted = list(dict.fromkeys(public_ids))
    if not wanted:
        return []
    found = {
        stored.public_id: stored
        for stored in db.session.scalars(
            sa.select(StoredFile)
            .join(UploadSession, UploadSession.stored_file_id == StoredFile.id)
            .where(
                StoredFile.public_id.in_(wanted),
                StoredFile.owner_id == owner.id,
                StoredFile.deleted_at.is_(None),
                UploadSession.state == UploadState.completed,
            )
        )
    }
    if len(found) != len(wanted):
        raise DomainError(_l("Some of these files are not yours or no longer exist; upload them again."))
    return [found[public_id] for public_id in wanted]


def append_upload(
    upload: UploadSession, stream: BinaryIO | Iterable[bytes], *, offset: int, actor: User
) -> UploadSession:
    """Add the bytes of `stream`, which start at `offset`, to the upload.

    `stream` is a binary stream (a request body: read straight into the part being filled
    when it has readinto) or an iterable of bytes pieces.

    A stream that breaks off (the client's connection dropped) keeps what arrived: the
    upload resumes from `received_bytes`. When the last declared byte is in, the upload
    completes and `upload.stored_file` is the new file. Raises PermissionDenied,
    InvalidTransition (upload over), UploadOffsetMismatch, ContentRefused when the file's
    first bytes are not what its kind accepts, or DomainError when more bytes arrive than
    were declared (nothing of that request is kept either way).
    """
    upload = lock_upload(upload)
    if actor.id != upload.owner_id:
        raise PermissionDenied(_l("This upload belongs to someone else."))
    if upload.state != UploadState.open:
        raise InvalidTransition(_l("This upload is over."))
    if offset != upload.received_bytes:
        raise UploadOffsetMismatch(upload.received_bytes)
    writer = _PartWriter(upload, get_storage())
    try:
        # Parts are sealed and stored by a second thread while the next one is being received.
        stored_parts = write_behind(writer.store_parts, writer.plain_parts(stream))
        writer.record(stored_parts)
        upload.updated_at = utcnow()
        if upload.received_bytes == upload.declared_size:
            _complete(upload, writer)
        else:
            writer.save_pending()
    finally:
        writer.release()
    db.session.flush()
    return upload


def abort_upload(upload: UploadSession, *, actor: User | None) -> UploadSession:
    """Give up an open upload (its owner, or the platform for a stale one); bytes go after commit."""
    upload = lock_upload(upload)
    if actor is not None and actor.id != upload.owner_id:
        raise PermissionDenied(_l("This upload belongs to someone else."))
    if upload.state != UploadState.open:
        raise InvalidTransition(_l("This upload is over."))
    upload.state = UploadState.aborted
    upload.pending = None
    upload.wrapped_key = None
    upload.updated_at = utcnow()
    db.session.flush()
    after_commit(get_storage().abort_parts, upload.storage_key, upload.storage_handle)
    return upload


def sweep_stale_uploads(now: datetime) -> int:
    """Sweep: abort uploads that made no progress for STALE_AFTER; return how many."""
    stale = db.session.scalars(
        sa.select(UploadSession).where(
            UploadSession.state == UploadState.open, UploadSession.updated_at <= now - STALE_AFTER
        )
    ).all()
    for upload in stale:
        abort_upload(upload, actor=None)
    return len(stale)


def _until_dropped(stream: Iterable[bytes], upload: UploadSession) -> Iterator[bytes]:
    """The stream's pieces, ending quietly where the client's connection broke off."""
    iterator = iter(stream)
    while True:
        try:
            piece = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - any read failure is a dropped client
            log.info("upload %s interrupted at byte %s: %r", upload.id, upload.received_bytes, exc)
            return
        yield piece


class _Part(NamedTuple):
    """A part's plaintext, cut from the request's bytes, and where it goes once sealed."""

    number: int
    offset: int  # of its ciphertext in the object
    first_chunk: int
    chunks: int
    plaintext: bytearray  # the part is plaintext[:length]; the buffer goes back to the pool
    length: int


class _PartWriter:
    """Cuts an upload's bytes into storage-sized parts, seals them chunk by chunk, stores them.

    Two threads share the work so that receiving and encrypting overlap: `plain_parts` runs
    in the request's thread (it reads the stream and the session row) and hands over each
    full part buffer; `store_parts` runs in a second thread, seals and stores them, and
    touches nothing but the cipher and storage.
    """

    def __init__(self, upload: UploadSession, storage: Storage):
        self.upload = upload
        self.storage = storage
        self.key, self.handle = upload.storage_key, upload.storage_handle
        self.data_key = operations.master_keys().unwrap(
            upload.wrapped_key_id, upload.wrapped_key, context=upload.storage_key
        )
        self.cipher = crypto.ChunkCipher(self.data_key, upload.nonce_prefix, upload.chunk_size)
        sealed = upload.chunk_size + crypto.TAG_BYTES
        self.part_chunks = max(1, -(-storage.upload_part_bytes // sealed))
        self.sealed_part_bytes = self.part_chunks * sealed
        # One part's plaintext, never resized: growing and trimming a buffer of megabytes per
        # request costs the kernel more than the encryption does. Only [:filled] is ever read.
        self.buffer = _PART_BUFFERS.take(self.part_chunks * upload.chunk_size)
        pending = self._unseal_pending()
        self.buffer[: len(pending)] = pending
        self.filled = len(pending)
        self.committed_chunks = (upload.received_bytes - self.filled) // upload.chunk_size
        self.next_part = (len(upload.parts) + 1, upload.stored_bytes)  # (number, ciphertext offset)
        # The text inside the file, read from the parts this request cuts: the head with the
        # first part, the tail with the last (contact details are refused at upload).
        self.text: FileText | None = None

    def plain_parts(self, source: BinaryIO | Iterable[bytes]) -> Iterator[_Part]:
        """Each whole part, and the last one once the final declared byte is in. A source that
        breaks off (the client's connection dropped) ends the parts quietly with what
        arrived. Raises DomainError when more bytes come than were declared."""
        upload = self.upload
        if hasattr(source, "readinto"):
            whole_parts = self._read_into_parts(source)
        elif hasattr(source, "read"):
            whole_parts = self._copy_into_parts(_until_dropped(iter(lambda: source.read(PIECE), b""), upload))
        else:
            whole_parts = self._copy_into_parts(_until_dropped(source, upload))
        for _ in whole_parts:
            self.check_head()
            yield self._cut(self.part_chunks)
        self.check_head()
        remaining = self.cipher.chunk_count(upload.declared_size) - self.committed_chunks
        if upload.received_bytes == upload.declared_size and remaining > 0:
            yield self._cut(remaining)  # the final part, however small

    def check_head(self) -> None:
        """What the file is, from its first bytes while the first part (never stored before
        this) holds them: once HEAD_BYTES are in, or the whole file. Raises ContentRefused."""
        upload, head_bytes = self.upload, content_kinds.HEAD_BYTES
        if self.next_part[0] == 1 and (self.filled >= head_bytes or upload.received_bytes == upload.declared_size):
            head = bytes(self.buffer[: min(self.filled, head_bytes)])
            content = content_kinds.accept(head, upload.filename, upload.kind)
            upload.content_type = content.content_type
            self.text = FileText(content.family)

    def _read_into_parts(self, stream: BinaryIO) -> Iterator[None]:
        """Read the stream straight into the part buffer (no piece objects, no copy); yield
        each time the buffer holds a whole part."""
        upload = self.upload
        while True:
            if self.filled == len(self.buffer):
                yield  # handed over: the buffer is a fresh one
                continue
            # 1 MiB at a time: what a server copies on the way stays in the CPU's cache.
            wanted = min(len(self.buffer) - self.filled, upload.declared_size - upload.received_bytes, PIECE)
            if wanted == 0:
                if _has_more(stream):
                    raise DomainError(_l("More bytes arrived than the upload declared."))
                return
            try:
                with memoryview(self.buffer) as room:
                    received = stream.readinto(room[self.filled : self.filled + wanted])
            except Exception as exc:  # noqa: BLE001 - any read failure is a dropped client
                log.info("upload %s interrupted at byte %s: %r", upload.id, upload.received_bytes, exc)
                return
            if not received:
                return
            self.filled += received
            upload.received_bytes += received

    def _copy_into_parts(self, pieces: Iterable[bytes]) -> Iterator[None]:
        """Copy pieces of any size into the part buffer; yield each time it holds a whole part."""
        upload = self.upload
        part_bytes = len(self.buffer)
        for piece in pieces:
            if upload.received_bytes + len(piece) > upload.declared_size:
                raise DomainError(_l("More bytes arrived than the upload declared."))
            view = memoryview(piece)
            while view:  # fill the buffer one part at a time, whatever the piece's size
                take = min(part_bytes - self.filled, len(view))
                self.buffer[self.filled : self.filled + take] = view[:take]
                self.filled += take
                view = view[take:]
                upload.received_bytes += take
                if self.filled == part_bytes:
                    yield

    def _cut(self, chunks: int) -> _Part:
        """Hand the filled buffer over as a part and go on in a fresh one; its text is
        screened first (the part is not stored yet)."""
        self._screen_text()
        number, offset = self.next_part
        part = _Part(number, offset, self.committed_chunks, chunks, self.buffer, self.filled)
        self.next_part = (number + 1, offset + self.filled + chunks * crypto.TAG_BYTES)
        self.committed_chunks += chunks
        self.buffer, self.filled = _PART_BUFFERS.take(len(part.plaintext)), 0
        return part

    def _screen_text(self) -> None:
        """Screen the text of the file's first part, and of the last one it ends with.
        Raises ContactDetailsInFile."""
        upload = self.upload
        last = upload.received_bytes == upload.declared_size
        if self.next_part[0] != 1 and not last:
            return
        if self.text is None:  # a later request: only the file's kind is needed
            self.text = FileText(content_kinds.family_of(upload.content_type, upload.filename))
        self.text.feed(memoryview(self.buffer)[: self.filled])
        screen_file_text(self.text.texts(), filename=upload.filename, author=db.session.get(User, upload.owner_id))
        self.text = FileText(self.text.family)

    def store_parts(self, parts: Iterable[_Part]) -> list[tuple[str, int]]:
        """Seal and store each part; return (part id, ciphertext bytes) in order."""
        stored = []
        for part in parts:
            data = self._seal(part)
            stored.append(
                (
                    self.storage.put_part(self.key, self.handle, number=part.number, offset=part.offset, data=data),
                    len(data),
                )
            )
            if len(data) == self.sealed_part_bytes:
                _PART_BUFFERS.give_back(data)  # stored: the next part may be sealed into it
        return stored

    def _seal(self, part: _Part) -> bytearray:
        size, declared = self.upload.chunk_size, self.upload.declared_size
        sealed_bytes = part.length + part.chunks * crypto.TAG_BYTES
        # A whole part fills every byte of a reused buffer; a last, shorter one gets its own.
        data = _PART_BUFFERS.take(sealed_bytes) if sealed_bytes == self.sealed_part_bytes else bytearray(sealed_bytes)
        # Each chunk is sealed straight into the part: no copy.
        with memoryview(part.plaintext) as plaintext, memoryview(data) as out:
            for n in range(part.chunks):
                index, length = part.first_chunk + n, min(size, part.length - n * size)
                place = n * (size + crypto.TAG_BYTES)
                with (
                    plaintext[n * size : n * size + length] as piece,
                    out[place : place + length + crypto.TAG_BYTES] as target,
                ):
                    self.cipher.seal_chunk_into(index, piece, target, final=self.cipher.is_final(index, declared))
        _PART_BUFFERS.give_back(part.plaintext)
        return data

    def release(self) -> None:
        """Hand the plaintext buffer back (pending bytes were copied out when sealed)."""
        buffer, self.buffer = self.buffer, bytearray()
        _PART_BUFFERS.give_back(buffer)

    def record(self, stored_parts: list[tuple[str, int]]) -> None:
        self.upload.parts = [*self.upload.parts, *(part_id for part_id, _ in stored_parts)]
        self.upload.stored_bytes += sum(size for _, size in stored_parts)

    def save_pending(self) -> None:
        """Keep the bytes after the last whole part, sealed, in the session row."""
        self.upload.pending = (
            crypto.seal(self.data_key, bytes(self.buffer[: self.filled]), context=self._pending_context())
            if self.filled
            else None
        )

    def assemble(self) -> None:
        self.upload.pending = None
        self.storage.complete_parts(self.key, self.handle, list(self.upload.parts))

    def _unseal_pending(self) -> bytes:
        if not self.upload.pending:
            return b""
        return crypto.unseal(self.data_key, self.upload.pending, context=self._pending_context())

    def _pending_context(self) -> str:
        # Bound to the offset it ends at: an old blob cannot be replayed at another point.
        return f"{self.upload.token}:{self.upload.received_bytes}"


def _has_more(stream: BinaryIO) -> bool:
    """Whether a stream still has bytes (a body longer than the upload declared)."""
    try:
        return bool(stream.read(1))
    except Exception:  # noqa: BLE001 - a dropped client has nothing more
        return False


def _complete(upload: UploadSession, writer: _PartWriter) -> None:
    writer.assemble()
    owner = db.session.get(User, upload.owner_id)
    stored = operations.register_file(
        owner=owner,
        name=upload.filename,
        kind=upload.kind,
        content_type=upload.content_type,
        key=upload.storage_key,
        data_key=writer.data_key,
        prefix=upload.nonce_prefix,
        size=upload.declared_size,
        sha256=None,
        mesh=None,
        chunk_size=upload.chunk_size,
    )
    undo_on_rollback(writer.storage.delete, upload.storage_key)
    upload.state = UploadState.completed
    upload.stored_file = stored
    upload.wrapped_key = None  # the file's row holds the key from now on
    log.info("upload %s complete: file %s, %s bytes", upload.id, stored.id, stored.size)
    enqueue(check_uploaded_file, stored.id)


@job
def check_uploaded_file(file_id: int) -> bool:
    """Job: read an uploaded file back once, authenticating every chunk; keep its SHA-256 and
    mesh check. A file that fails authentication is deleted. Idempotent."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.is_deleted or stored.sha256 is not None:
        return False
    inspector = MeshInspector(stored.original_name) if mesh_format(stored.original_name) else None
    try:
        with BackgroundSha256() as digest:
            for piece in operations.open_file(stored):
                digest.update(piece)
                if inspector is not None:
                    inspector.feed(piece)
            sha256 = digest.hexdigest()
    except crypto.FileIntegrityError:
        log.error("uploaded file %s failed its read-back check; deleting it", file_id)
        operations.delete_file(stored, actor=None, reason="failed integrity check")
        commit()
        return False
    stored.sha256 = sha256
    stored.mesh = inspector.result() if inspector is not None else None
    commit()
    return True
