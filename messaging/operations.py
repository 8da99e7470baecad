"""State changes in messaging: post a message, read a conversation, block, report.

Every message passes the contact filter before it is stored; a refused one raises
screening.contact_filter.ContactDetailsRefused and nothing is written (the view keeps
the attempt for moderators). Operations flush; the caller commits.
"""

from __future__ import annotations

import logging
from typing import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import DomainError, NotFound, PermissionDenied
from extensions import db
from messaging.availability import designer_unavailable_since
from messaging.notify import notify
from messaging.permissions import (
    blocked_by_recipient,
    can_read_conversation,
    has_blocked,
    is_participant,
    shares_conversation,
)
from messaging.threads import open_general_conversation
from models.accounts import User
from models.messaging import Block, Conversation, ConversationKind, Message, MessageKind, Notification, Participant
from models.moderation import Violation, ViolationSource
from models.types import utcnow
from screening.contact_filter import screen_text

log = logging.getLogger(__name__)

MAX_BODY = 5000
PREVIEW = 140

REPORT_REASONS: dict[str, object] = {
    "contact_details": _l("Shares contact details or asks to work outside Occlusa"),
    "spam": _l("Spam or advertising"),
    "abuse": _l("Insulting, threatening or harassing"),
    "fraud": _l("Fraud or scam"),
    "other": _l("Something else"),
}


def conversation_url(conversation: Conversation) -> str:
    """The path of the conversation page (storefront/messages: /messages/<id>)."""
    return f"/messages/{conversation.id}"


def _lock(conversation: Conversation) -> Conversation:
    locked = db.session.get(Conversation, conversation.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This conversation does not exist."))
    return locked


def post_message(conversation: Conversation, *, actor: User, body: str, attachments: Iterable = ()) -> Message:
    """Send `body` (and stored files) to the conversation from `actor`; notify the others.

    Raises NotFound when the actor is not a participant, PermissionDenied when a participant
    blocked the actor in a general conversation or the account is not active, DomainError
    (field "body") for an empty or too long message, and ContactDetailsRefused when the text
    carries contact details (nothing is stored then).
    """
    conversation = _lock(conversation)
    if not is_participant(actor, conversation):
        raise NotFound(_l("This conversation does not exist."))
    if not actor.is_active:
        raise PermissionDenied(_l("Your account cannot send messages at the moment."))
    if blocked_by_recipient(actor, conversation):
        raise PermissionDenied(_l("This person does not accept your messages."))
    body = (body or "").strip()
    attachments = list(attachments)
    if not body and not attachments:
        raise DomainError(_l("Write a message or attach a file."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(_l("A message holds at most %(n)d characters.", n=MAX_BODY), field="body")
    screen_text(
        {"body": body},
        author=actor,
        source=ViolationSource.message,
        source_ref=f"conversation:{conversation.id}",
        lang=actor.locale,
    )

    message = Message(conversation_id=conversation.id, sender_id=actor.id, body=body)
    db.session.add(message)
    for attachment in attachments:
        message.attachments.append(attachment)
    db.session.flush()
    conversation.last_message_at = message.created_at
    _mark_read_to(conversation.participant(actor.id), message.id)
    log.info("message %s posted in conversation %s by %s", message.id, conversation.id, actor.id)

    preview = body if len(body) <= PREVIEW else body[: PREVIEW - 1] + "…"
    if not body:
        preview = str(_l("Sent a file"))
    for participant in conversation.other_participants(actor.id):
        notify(
            participant.user,
            "message_new",
            title=_l("New message from %(name)s", name=actor.display_name),
            body=preview,
            url=conversation_url(conversation),
            case_id=conversation.case_id,
        )
    if conversation.kind == ConversationKind.general:
        _auto_reply_if_unavailable(conversation, actor)
    return message


def _auto_reply_if_unavailable(conversation: Conversation, sender: User) -> None:
    """The FAQ's automatic "Full" reply, stored as a kind and rendered in each reader's language.

    Once per conversation for each spell of unavailability: whoever writes, in a new thread or
    an old one, hears it once after the designer became unavailable, and not again with every
    message (the reply stays in the thread above). Switching availability off and on again
    starts a new spell, with news worth a new reply. The conversation row is locked, so two
    messages at once still get one reply.
    """
    for participant in conversation.other_participants(sender.id):
        since = designer_unavailable_since(participant.user_id) if participant.user.is_designer else None
        if since is not None and not _auto_replied_since(conversation, participant.user_id, since):
            reply = Message(
                conversation_id=conversation.id, sender_id=participant.user_id, kind=MessageKind.auto_reply, body=""
            )
            db.session.add(reply)
            db.session.flush()
            conversation.last_message_at = reply.created_at


def _auto_replied_since(conversation: Conversation, designer_id: int, since) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Message)
            .where(
                Message.conversation_id == conversation.id,
                Message.sender_id == designer_id,
                Message.kind == MessageKind.auto_reply,
                Message.created_at >= since,
            )
        )
        > 0
    )


def start_conversation(
    recipient: User, *, actor: User, body: str, listing_id: int | None = None, subject: str | None = None
) -> Message:
    """Open (or reuse) the general conversation with `recipient` and post the first message.

    Raises NotFound for an unknown or inactive recipient, DomainError when writing to oneself,
    PermissionDenied when the recipient blocked the actor, and what post_message raises.
    """
    if recipient is None or not recipient.is_active:
        raise NotFound(_l("This account does not exist."))
    if recipient.id == actor.id:
        raise DomainError(_l("You cannot start a conversation with yourself."))
    if has_blocked(recipient.id, actor.id):
        raise PermissionDenied(_l("This person does not accept your messages."))
    conversation = open_general_conversation(actor, recipient, listing_id=listing_id, subject=subject)
    return post_message(conversation, actor=actor, body=body)


def _mark_read_to(participant: Participant | None, message_id: int) -> None:
    if participant is not None and message_id > participant.last_read_message_id:
        participant.last_read_message_id = message_id
        participant.last_read_at = utcnow()


# The newest message's id, built once: every view of a conversation asks it.
_NEWEST = sa.select(sa.func.max(Message.id)).where(Message.conversation_id == sa.bindparam("conversation_id"))


def mark_read(conversation: Conversation, *, actor: User) -> int:
    """Mark every message of the conversation read for `actor`, and its message notifications.

    Returns how many messages became read. Staff reading a dispute are not participants:
    nothing changes for them. Raises NotFound when the actor may not read the conversation.
    """
    if not can_read_conversation(actor, conversation):
        raise NotFound(_l("This conversation does not exist."))
    newest = db.session.scalar(_NEWEST, {"conversation_id": conversation.id})
    known = conversation.participant(actor.id)
    if known is None or not newest or newest <= known.last_read_message_id:
        return 0  # read up to date (the usual page view): no row locked, nothing written
    participant = db.session.scalar(
        sa.select(Participant)
        .where(Participant.conversation_id == conversation.id, Participant.user_id == actor.id)
        .with_for_update(of=Participant)
    )
    if participant is None or newest <= participant.last_read_message_id:
        return 0
    newly = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Message)
        .where(
            Message.conversation_id == conversation.id,
            Message.id > participant.last_read_message_id,
            Message.sender_id != actor.id,
        )
    )
    _mark_read_to(participant, newest)
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == actor.id,
            Notification.event == "message_new",
            Notification.url == conversation_url(conversation),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )
    db.session.flush()
    return newly


def block_user(blocked: User, *, actor: User) -> Block:
    """`actor` stops `blocked` from starting conversations and writing in general ones.

    Idempotent. Raises DomainError when blocking oneself, NotFound for an unknown account.
    """
    if blocked is None:
        raise NotFound(_l("This account does not exist."))
    if blocked.id == actor.id:
        raise DomainError(_l("You cannot block yourself."))
    block = db.session.scalar(sa.select(Block).where(Block.blocker_id == actor.id, Block.blocked_id == blocked.id))
    if block is None:
        block = Block(blocker_id=actor.id, blocked_id=blocked.id)
        db.session.add(block)
        db.session.flush()
        log.info("user %s blocked user %s", actor.id, blocked.id)
    return block


def unblock_user(blocked: User, *, actor: User) -> bool:
    """Lift actor's block of `blocked`; returns whether there was one."""
    deleted = db.session.execute(sa.delete(Block).where(Block.blocker_id == actor.id, Block.blocked_id == blocked.id))
    db.session.flush()
    return bool(deleted.rowcount)


def _check_reason(reason: str, note: str | None) -> str | None:
    if reason not in REPORT_REASONS:
        raise DomainError(_l("Choose a reason."), field="reason")
    note = (note or "").strip()
    if len(note) > 2000:
        raise DomainError(_l("The note holds at most %(n)d characters.", n=2000), field="note")
    return note or None


def report_message(message: Message, *, actor: User, reason: str, note: str | None = None) -> Violation:
    """Send a message to moderation as a report (a Violation with source `report`).

    Raises NotFound when the actor cannot read the message, DomainError for one's own
    message or a reason that is not in REPORT_REASONS.
    """
    if message is None or not is_participant(actor, message.conversation):
        raise NotFound(_l("This message does not exist."))
    if message.sender_id == actor.id:
        raise DomainError(_l("You cannot report your own message."))
    note = _check_reason(reason, note)
    violation = Violation(
        user_id=message.sender_id,
        source=ViolationSource.report,
        source_ref=f"message:{message.id}",
        text=message.body,
        findings=[],
        reporter_id=actor.id,
        report_reason=reason,
        report_note=note,
    )
    db.session.add(violation)
    db.session.flush()
    return violation


def report_user(user: User, *, actor: User, reason: str, note: str | None = None) -> Violation:
    """Send an account to moderation as a report. Raises NotFound for an account the actor shares
    no conversation with (a stranger's account is not theirs to name), DomainError for oneself."""
    if user is None or (user.id != actor.id and not shares_conversation(actor, user.id)):
        raise NotFound(_l("This account does not exist."))
    if user.id == actor.id:
        raise DomainError(_l("You cannot report yourself."))
    note = _check_reason(reason, note)
    violation = Violation(
        user_id=user.id,
        source=ViolationSource.report,
        source_ref=f"user:{user.id}",
        text="",
        findings=[],
        reporter_id=actor.id,
        report_reason=reason,
        report_note=note,
    )
    db.session.add(violation)
    db.session.flush()
    return violation


def mark_notifications_read(user: User, *, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed.

    Raises NotFound when the notification is not the actor's own.
    """
    if actor.id != user.id:
        raise NotFound(_l("This notification does not exist."))
    query = sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        if db.session.scalar(sa.select(Notification.user_id).where(Notification.id == notification_id)) != user.id:
            raise NotFound(_l("This notification does not exist."))
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=utcnow()))
    db.session.flush()
    return result.rowcount
