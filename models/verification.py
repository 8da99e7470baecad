"""Identity verification (KYC): a designer's submission, its documents, and the verifier's decision.

The documents are encrypted stored files (models.files.StoredFile, kind identity_document)
and live only until the decision: then the bytes and their keys are destroyed, and what
remains is the decision, the verifier, the time, the document types and their SHA-256.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.files import StoredFile
from models.types import UTCDateTime, enum_column, utcnow


class VerificationStatus(enum.Enum):
    submitted = "submitted"  # documents uploaded, waiting for a verifier
    approved = "approved"  # identity confirmed: the Verified badge; documents deleted
    rejected = "rejected"  # refused with a reason; documents deleted; the designer may submit again
    abandoned = "abandoned"  # never completed or withdrawn; documents deleted by the sweep


class DocumentType(enum.Enum):
    id_front = "id_front"  # national identity card, front
    id_back = "id_back"  # national identity card, back
    passport = "passport"  # passport photo page
    company_proof = "company_proof"  # proof of company ownership (registry extract)


class VerificationSubmission(db.Model):
    __tablename__ = "verification_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nationality: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2
    # Whether the designer acts as a company (then a proof of ownership is required).
    as_company: Mapped[bool] = mapped_column(default=False)
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "verification_status"), default=VerificationStatus.submitted, index=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    verifier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # What is kept after the documents are gone: [{"type": "passport", "sha256": "…"}, …]
    document_summary: Mapped[list] = mapped_column(sa.JSON, default=list)

    designer: Mapped[User] = relationship(foreign_keys=[designer_id])
    verifier: Mapped[User | None] = relationship(foreign_keys=[verifier_id])
    documents: Mapped[list["VerificationDocument"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="VerificationDocument.id"
    )

    # The verification queue: one status, due first.
    __table_args__ = (sa.Index("ix_verification_submissions_queue", "status", "submitted_at", "id"),)

    @property
    def document_types(self) -> list[str]:
        return [d["type"] for d in self.document_summary]


class VerificationDocument(db.Model):
    """One uploaded document; `stored_file_id` is NULL once its bytes and key are destroyed."""

    __tablename__ = "verification_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("verification_submissions.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType, "verification_document_type"))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    stored_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    submission: Mapped[VerificationSubmission] = relationship(back_populates="documents")
    stored_file: Mapped[StoredFile | None] = relationship()
