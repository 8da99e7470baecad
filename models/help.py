"""Readers' answers to "Was this article helpful?"."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class ArticleFeedback(db.Model):
    """One reader's vote on one article in one language; a reader changes their vote, never adds
    a second (keyed by the account, or by a random id kept in a signed-out visitor's session)."""

    __tablename__ = "article_feedback"
    __table_args__ = (sa.UniqueConstraint("slug", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    language: Mapped[str] = mapped_column(sa.String(8))
    voter: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    helpful: Mapped[bool] = mapped_column()
    comment: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
