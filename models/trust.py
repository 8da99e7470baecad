"""Trust & Safety records of an account: where it signs in from, and what staff noted about it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, utcnow


class SignInDevice(db.Model):
    """A browser and network an account logged in from, written at each login.

    Only the network prefix is kept (/24 for IPv4, /48 for IPv6), never the full address: enough
    to see two accounts working from the same place (ban evasion), too little to locate a person.
    """

    __tablename__ = "sign_in_devices"
    __table_args__ = (sa.UniqueConstraint("user_id", "user_agent", "ip_prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    ip_prefix: Mapped[str] = mapped_column(sa.String(50), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sign_ins: Mapped[int] = mapped_column(default=1)


class StaffNote(db.Model):
    """A note a staff member wrote on an account, read by the staff who open it later."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
