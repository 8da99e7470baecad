"""The support desk: tickets filed by users (or by signed-out visitors with a confirmed address),
the conversation on each, and the files users attach to it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


class TicketTopic(enum.Enum):
    payments = "payments"  # payments and payouts
    verification = "verification"  # identity verification
    account = "account"  # account, log-in and suspension
    case = "case"  # a case
    bug = "bug"  # something does not work
    other = "other"


class TicketStatus(enum.Enum):
    unconfirmed = "unconfirmed"  # filed signed out: waits for its address to be confirmed by the mailed link
    open = "open"  # waits for support staff
    waiting = "waiting"  # staff answered: waits on the user
    solved = "solved"  # closed by staff; a reply from the user opens it again


class SupportTicket(db.Model):
    __tablename__ = "support_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account it is about: the signed-in filer, or the account whose address a visitor confirmed.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    # True when filed signed in: its mails link to the app; a visitor's mails carry a signed link.
    signed_in: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    topic: Mapped[TicketTopic] = mapped_column(enum_column(TicketTopic, "ticket_topic"))
    subject: Mapped[str] = mapped_column(sa.String(120))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"))
    payout_journal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ledger_journals.id", ondelete="SET NULL"))
    status: Mapped[TicketStatus] = mapped_column(
        enum_column(TicketStatus, "ticket_status"), default=TicketStatus.open, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When it last started waiting for staff (filed, confirmed, or re-opened by a reply): its due time counts
    # from here.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()
    case = relationship("Case")
    payout_journal = relationship("Journal")
    # A ticket's page shows every message with its author and files: loaded in a fixed number of queries.
    messages: Mapped[list["TicketMessage"]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id", cascade="all, delete-orphan"
    )

    # The support desk: open tickets, longest waiting first, read from the index in page order.
    __table_args__ = (sa.Index("ix_support_tickets_queue", "status", "waiting_since", "id"),)

    @property
    def requester_name(self) -> str:
        return self.user.display_name if self.user is not None else self.email.partition("@")[0]


class TicketMessage(db.Model):
    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("support_tickets.id", ondelete="CASCADE"), index=True)
    # The staff member who answered, or the signed-in user; None for a signed-out visitor.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ticket: Mapped[SupportTicket] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(lazy="selectin")
    attachments: Mapped[list["TicketAttachment"]] = relationship(
        back_populates="message", lazy="selectin", cascade="all, delete-orphan"
    )


class TicketAttachment(db.Model):
    """A screenshot or paper sent with a ticket message (never a patient scan: support/attachments.py)."""

    __tablename__ = "ticket_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket_messages.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)

    message: Mapped[TicketMessage] = relationship(back_populates="attachments")
    file = relationship("StoredFile", lazy="selectin")
