"""Messaging: conversations (general or one per case), messages, blocks, notifications, push.

A conversation has participants; each participant row remembers the last message it read,
so unread counts are a count of newer messages from others. Notifications are the in-app
record of an event and the source of its e-mail and push deliveries.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


class ConversationKind(enum.Enum):
    general = "general"  # two users talking outside any case (started from a profile or a listing)
    case = "case"  # the one written thread of a case: the record the resolution centre reads


class MessageKind(enum.Enum):
    text = "text"  # written by the sender
    auto_reply = "auto_reply"  # the unavailable designer's automatic reply, rendered in the reader's language


class NotificationChannel(enum.Enum):
    in_app = "in_app"  # the bell and the notifications list
    email = "email"  # a mail, message bursts grouped into one
    push = "push"  # Web Push to each subscribed device


class Conversation(db.Model):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ConversationKind] = mapped_column(enum_column(ConversationKind, "conversation_kind"))
    # Exactly one thread per case (UNIQUE; NULL for general conversations).
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    # "lowid:highid" for a general conversation, so two people share one conversation (UNIQUE).
    pair_key: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    # The listing the conversation was started from, shown as its subject.
    listing_id: Mapped[int | None] = mapped_column()
    subject: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    participants: Mapped[list["Participant"]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (sa.CheckConstraint("(kind = 'case') = (case_id IS NOT NULL)", name="case_thread_has_case"),)

    def participant(self, user_id: int) -> "Participant | None":
        return next((p for p in self.participants if p.user_id == user_id), None)

    def other_participants(self, user_id: int) -> list["Participant"]:
        return [p for p in self.participants if p.user_id != user_id]


class Participant(db.Model):
    __tablename__ = "conversation_participants"
    __table_args__ = (sa.UniqueConstraint("conversation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Messages with an id above this one, written by others, are unread.
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(lazy="joined")


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_conversation_created", "conversation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind, "message_kind"), default=MessageKind.text)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship()
    sender: Mapped[User] = relationship(lazy="joined")
    attachments: Mapped[list["MessageAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", lazy="selectin"
    )


class MessageAttachment(db.Model):
    """A stored file sent with a message; its bytes and access rules belong to files/."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)

    message: Mapped[Message] = relationship(back_populates="attachments")
    file = relationship("StoredFile")


class Block(db.Model):
    """`blocker` no longer hears from `blocked`: no new conversation, no message in a general one."""

    __tablename__ = "user_blocks"
    __table_args__ = (
        sa.UniqueConstraint("blocker_id", "blocked_id"),
        sa.CheckConstraint("blocker_id <> blocked_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])


class Notification(db.Model):
    """One event told to one user; the row also carries its e-mail delivery state."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(500))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    # False when the user switched the in-app channel off for this event: kept for mail/push only.
    in_app: Mapped[bool] = mapped_column(default=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # E-mail: wanted and not yet sent = pending (message notifications wait to be grouped).
    email_wanted: Mapped[bool] = mapped_column(default=False)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationPreference(db.Model):
    """A switch the user set; absent rows mean the default (every channel on)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "event", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[NotificationChannel] = mapped_column(enum_column(NotificationChannel, "notification_channel"))
    enabled: Mapped[bool] = mapped_column()


class PushSubscription(db.Model):
    """One browser or phone that accepted push notifications (removed when its service says gone)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutgoingMail(db.Model):
    """One mail to send: what to render (a template and references to rows), not its text.

    The job that sends it takes only this row's id and renders the mail itself, so no mail
    body or mailed link ever sits in Redis; `sent_at` makes a retried job a no-op.
    """

    __tablename__ = "outgoing_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(320))
    template: Mapped[str] = mapped_column(sa.String(60))
    locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    # Plain values and {"$row": "<Model>", "id": n} references, resolved when the job renders.
    context: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Stable across retries, so a mail resent after an unrecorded success is one message to readers.
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
