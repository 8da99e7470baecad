"""Files: encrypted stored files, resumable upload sessions, share links and the download log.

The bytes live in the storage backend (files/storage.py), encrypted; a row here holds what
is needed to find and decrypt them (storage key, wrapped data key, nonce prefix, chunk
size). Destroying the wrapped key makes the bytes unreadable even before they are removed.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


class FileKind(enum.Enum):
    patient_scan = "patient_scan"  # intra-oral scans, DICOM: deleted once the recipient has them
    design = "design"  # a designer's deliverable (STL/PLY/OBJ, project files)
    image = "image"  # photos, screenshots, portfolio pictures
    document = "document"  # PDFs and other papers
    identity_document = "identity_document"  # KYC papers: verifiers only, deleted on decision


class UploadState(enum.Enum):
    open = "open"  # receiving chunks; resumes from received_bytes
    completed = "completed"  # every byte arrived; the StoredFile exists
    aborted = "aborted"  # given up by its owner or by the stale-upload sweep; bytes removed


class ShareLinkState(enum.Enum):
    active = "active"  # the token opens the link
    downloaded = "downloaded"  # every file reached its download limit or was deleted after download
    expired = "expired"  # its expiry passed (applied by the sweep)
    deleted = "deleted"  # its owner ended it


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class StoredFile(db.Model):
    """One encrypted file in storage, owned by the account that uploaded it."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What every URL names the file by: random, so that no file can be found by counting.
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind, "file_kind"))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127))
    size: Mapped[int] = mapped_column(sa.BigInteger)  # plaintext bytes
    # Hex digest of the plaintext; NULL until a resumable upload's read-back check has run.
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    # The per-file data key, wrapped by the master key; NULL once the file is deleted.
    wrapped_key: Mapped[bytes | None] = mapped_column(sa.LargeBinary(128))
    # Which master key wrapped it (files.crypto.key_id); changed only by a key rotation.
    wrapped_key_id: Mapped[str | None] = mapped_column(sa.String(16))
    nonce_prefix: Mapped[bytes] = mapped_column(sa.LargeBinary(16))
    chunk_size: Mapped[int] = mapped_column()
    # {"format", "triangles", "size_mm": [x, y, z], "open_edges", "holes", "warnings": [...]}
    mesh: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Patient files are deleted at this time whatever happened (set from the share links' expiry).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    deleted_reason: Mapped[str | None] = mapped_column(sa.String(64))
    # When the bytes left storage (after the commit that deleted the row's key).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Patient data's hand-over to its recipient (files/handover.py): the download under way
    # (who, and when it was claimed or last went on), then the first complete one, after which
    # only that recipient may fetch it again until the grace window ends and the sweep deletes it.
    claimed_by: Mapped[str | None] = mapped_column(sa.String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    downloaded_by: Mapped[str | None] = mapped_column(sa.String(80))
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    owner: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_not_negative"),)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_patient_data(self) -> bool:
        return self.kind == FileKind.patient_scan

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.public_id} {self.original_name!r}>"


class UploadSession(db.Model):
    """A resumable upload: chunks arrive in order with their offset, encrypted as they come.

    Encrypted chunks are committed to storage in units the backend accepts (one chunk on
    disk, a ≥5 MiB part on S3); bytes after the last committed unit wait in `pending`,
    sealed with the file's data key, so a new request on any web server can carry on.
    """

    __tablename__ = "upload_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind, "upload_file_kind"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127))
    declared_size: Mapped[int] = mapped_column(sa.BigInteger)
    received_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    state: Mapped[UploadState] = mapped_column(enum_column(UploadState, "upload_state"), default=UploadState.open)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    storage_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    storage_handle: Mapped[str | None] = mapped_column(sa.String(1024))  # S3 multipart UploadId
    parts: Mapped[list] = mapped_column(sa.JSON, default=list)  # part ids in order (S3 ETags)
    stored_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # ciphertext committed
    wrapped_key: Mapped[bytes | None] = mapped_column(sa.LargeBinary(128))
    wrapped_key_id: Mapped[str | None] = mapped_column(sa.String(16))
    nonce_prefix: Mapped[bytes] = mapped_column(sa.LargeBinary(16))
    chunk_size: Mapped[int] = mapped_column()
    pending: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    stored_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))

    owner: Mapped[User] = relationship()
    stored_file: Mapped[StoredFile | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("received_bytes >= 0 AND received_bytes <= declared_size", name="received_within_declared"),
    )


share_link_files = sa.Table(
    "share_link_files",
    db.metadata,
    sa.Column("link_id", sa.ForeignKey("share_links.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("file_id", sa.ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True),
)


class ShareLink(db.Model):
    """A WeTransfer-like link to some of one owner's files, opened by a long random token.

    Only a SHA-256 of the token is kept: a database leak does not give working links.
    """

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    state: Mapped[ShareLinkState] = mapped_column(
        enum_column(ShareLinkState, "share_link_state"), default=ShareLinkState.active
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Complete downloads allowed per file; NULL = no limit until expiry.
    max_downloads: Mapped[int | None] = mapped_column()
    # Complete downloads so far, all files together (kept under the link's row lock).
    downloads: Mapped[int] = mapped_column(default=0)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship()
    files: Mapped[list[StoredFile]] = relationship(secondary=share_link_files, order_by=StoredFile.id)

    __table_args__ = (
        sa.CheckConstraint("max_downloads IS NULL OR max_downloads > 0", name="max_downloads_positive"),
        sa.CheckConstraint("downloads >= 0", name="downloads_not_negative"),
    )

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


class FileDownload(db.Model):
    """One response that sent bytes of a file: through a share link, or to a signed-in reader.

    Append-only. A download is complete when the bytes sent since the previous complete one
    cover the whole file (a browser resuming with Range requests completes it too).
    """

    __tablename__ = "file_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(sa.ForeignKey("share_links.id", ondelete="CASCADE"), index=True)
    reader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    first_byte: Mapped[int] = mapped_column(sa.BigInteger)
    bytes_sent: Mapped[int] = mapped_column(sa.BigInteger)
    completed: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("first_byte >= 0 AND bytes_sent >= 0", name="range_not_negative"),)
