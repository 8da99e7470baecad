"""Legal documents a user accepted, and the data exports a user asked for."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, enum_column, utcnow


class LegalAcceptance(db.Model):
    """One user accepting one version of one legal document (terms, privacy). Append-only:
    the history says which text bound the user when."""

    __tablename__ = "legal_acceptances"
    __table_args__ = (sa.UniqueConstraint("user_id", "document", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[int] = mapped_column()
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ExportState(enum.Enum):
    pending = "pending"  # asked for; the job has not built it yet
    ready = "ready"  # the ZIP can be downloaded by its owner until expires_at
    failed = "failed"  # the job gave up; the user may ask again
    expired = "expired"  # past expires_at: the bytes are deleted


class DataExport(db.Model):
    """A ZIP of everything the platform keeps about one user, built by a job, kept a few days."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[ExportState] = mapped_column(enum_column(ExportState, "export_state"), default=ExportState.pending)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
