"""Conversations and what they show: case threads, general conversations, the inbox, search.

Reading only: the state changes (posting, reading, blocking) are in messaging/operations.py.
`open_case_thread` is the exception the case process calls when a case is created; it is
idempotent, so calling it twice (or from two racing requests) still leaves one thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from extensions import db, read_rows
from pagination import PageNumbers
from models.accounts import User
from models.cases import CaseEvent
from models.files import StoredFile
from models.messaging import Conversation, ConversationKind, Message, MessageAttachment, MessageKind, Participant
from models.offers import CustomOffer


def _add_participants(conversation: Conversation, user_ids: list[int]) -> None:
    present = {p.user_id for p in conversation.participants}
    for user_id in dict.fromkeys(user_ids):
        if user_id is not None and user_id not in present:
            conversation.participants.append(Participant(user_id=user_id))


def _create_unique(lookup: sa.Select, build) -> Conversation:
    """Find the conversation, or create it; a racing creator's row wins and is returned."""
    found = db.session.scalar(lookup)
    if found is not None:
        return found
    if db.session.get_bind().dialect.name == "sqlite":
        # One writer at a time, and pysqlite's SAVEPOINT would commit early: plain flush.
        conversation = build()
        db.session.add(conversation)
        db.session.flush()
        return conversation
    try:
        with db.session.begin_nested():
            conversation = build()
            db.session.add(conversation)
            db.session.flush()
    except IntegrityError:
        return db.session.scalar(lookup)
    return conversation


def open_case_thread(case: Any) -> Conversation:
    """The case's one thread, created with the client and the designer as participants.

    Idempotent: a second call returns the same conversation (and adds a missing party).
    Takes any object with id, client_id, designer_id and reference (models.cases.Case).
    """
    conversation = _create_unique(
        sa.select(Conversation).where(Conversation.case_id == case.id),
        lambda: Conversation(
            kind=ConversationKind.case, case_id=case.id, subject=str(getattr(case, "reference", "") or "")[:200] or None
        ),
    )
    _add_participants(conversation, [case.client_id, case.designer_id])
    db.session.flush()
    return conversation


def case_thread(case_id: int) -> Conversation | None:
    return db.session.scalar(sa.select(Conversation).where(Conversation.case_id == case_id))


def pair_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"{low}:{high}"


def general_conversation(a: User, b: User) -> Conversation | None:
    return db.session.scalar(sa.select(Conversation).where(Conversation.pair_key == pair_key(a.id, b.id)))


def open_general_conversation(
    a: User, b: User, *, listing_id: int | None = None, subject: str | None = None
) -> Conversation:
    """The one general conversation between two people, created on first use; written to from
    another listing, it takes that listing as its subject (what the talk is about now)."""
    conversation = _create_unique(
        sa.select(Conversation).where(Conversation.pair_key == pair_key(a.id, b.id)),
        lambda: Conversation(
            kind=ConversationKind.general,
            pair_key=pair_key(a.id, b.id),
            listing_id=listing_id,
            subject=(subject or "")[:200] or None,
        ),
    )
    if listing_id is not None and conversation.listing_id != listing_id:
        conversation.listing_id, conversation.subject = listing_id, (subject or "")[:200] or None
    _add_participants(conversation, [a.id, b.id])
    db.session.flush()
    return conversation


# --- what a thread shows ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttachedFile:
    """A file sent with a message, as a thread shows it."""

    public_id: str  # the stored file's (its download and 3D viewer links)
    name: str
    size: int


@dataclass(frozen=True, slots=True)
class MessageLine:
    """A message as a thread shows it: its row, its sender's name and its files, read in one
    statement without loading the sender's account nor the stored files (a page shows fifty)."""

    id: int
    sender_id: int
    sender_name: str
    kind: MessageKind
    body: str
    created_at: datetime
    attachments: tuple[AttachedFile, ...] = ()


def _lines_of(picked: sa.Subquery, *order) -> sa.Select:
    """The messages of `picked` (a subquery of message columns) with their sender's name and
    one row per attached file (or one without), in `order` then by attachment."""
    return (
        sa.select(
            picked.c.id,
            picked.c.sender_id,
            User.display_name,
            picked.c.kind,
            picked.c.body,
            picked.c.created_at,
            StoredFile.public_id,
            MessageAttachment.name,
            MessageAttachment.size,
        )
        .join(User, User.id == picked.c.sender_id)
        .outerjoin(MessageAttachment, MessageAttachment.message_id == picked.c.id)
        .outerjoin(StoredFile, StoredFile.id == MessageAttachment.file_id)
        .order_by(*(picked.c[name] for name in order), MessageAttachment.id)
    )


_MESSAGE_COLUMNS = sa.select(Message.id, Message.sender_id, Message.kind, Message.body, Message.created_at)
_NEWEST_FIRST = (Message.created_at.desc(), Message.id.desc())
# Built once each (building a statement costs more than running it): the latest `limit` messages of a
# conversation (before a time, for the older pages), those after an id (polling), one by its id.
_LATEST = _lines_of(
    _MESSAGE_COLUMNS.where(Message.conversation_id == sa.bindparam("conversation_id"))
    .order_by(*_NEWEST_FIRST)
    .limit(sa.bindparam("limit"))
    .subquery(),
    "created_at",
    "id",
)
_LATEST_BEFORE = _lines_of(
    _MESSAGE_COLUMNS.where(
        Message.conversation_id == sa.bindparam("conversation_id"), Message.created_at < sa.bindparam("before")
    )
    .order_by(*_NEWEST_FIRST)
    .limit(sa.bindparam("limit"))
    .subquery(),
    "created_at",
    "id",
)
_AFTER = _lines_of(
    _MESSAGE_COLUMNS.where(
        Message.conversation_id == sa.bindparam("conversation_id"), Message.id > sa.bindparam("after_id")
    ).subquery(),
    "id",
)
_ONE = _lines_of(_MESSAGE_COLUMNS.where(Message.id == sa.bindparam("message_id")).subquery(), "id")


def _read_lines(statement: sa.Select, params: dict) -> list[MessageLine]:
    """MessageLines from the rows of a `_lines_of` statement, in its order."""
    lines: dict[int, tuple] = {}
    for message_id, sender_id, sender_name, kind, body, at, public_id, name, size in read_rows(statement, params):
        line = lines.get(message_id)
        if line is None:
            line = lines[message_id] = (message_id, sender_id, sender_name, kind, body, at, [])
        if public_id is not None:
            line[6].append(AttachedFile(public_id, name, size))
    return [MessageLine(*line[:6], tuple(line[6])) for line in lines.values()]


def _case_events(older: bool) -> sa.Select:
    """A case's `limit` latest events (`case_id`), with `older` those before `before`."""
    events = sa.select(CaseEvent).where(CaseEvent.case_id == sa.bindparam("case_id"))
    if older:
        events = events.where(CaseEvent.at < sa.bindparam("before"))
    return events.order_by(CaseEvent.at.desc()).limit(sa.bindparam("limit"))


def _offers(older: bool) -> sa.Select:
    """A conversation's `limit` latest custom offers (`conversation_id`) with their listing, with
    `older` those before `before`."""
    offers = sa.select(CustomOffer).where(CustomOffer.conversation_id == sa.bindparam("conversation_id"))
    if older:
        offers = offers.where(CustomOffer.created_at < sa.bindparam("before"))
    return (
        offers.options(sa.orm.joinedload(CustomOffer.listing))
        .order_by(CustomOffer.created_at.desc())
        .limit(sa.bindparam("limit"))
    )


# Built once each, for the latest page and the older ones: a thread's events and offers.
_CASE_EVENTS = {older: _case_events(older) for older in (False, True)}
_OFFERS = {older: _offers(older) for older in (False, True)}


@dataclass(frozen=True)
class ThreadItem:
    """One line of a thread in time order: a message, or a case event (state change)."""

    kind: str  # "message" | "event" | "offer"
    at: datetime
    message: MessageLine | None = None
    event: Any = None
    offer: CustomOffer | None = None


def thread_items(
    conversation: Conversation, *, viewer: User, before: datetime | None = None, limit: int = 50
) -> list[ThreadItem]:
    """The `limit` latest items before `before`, oldest first: messages (as MessageLines) and, in a
    case thread, the case's events (in a general conversation, its custom offers), merged by time.
    The viewer must be allowed to read (checked by callers with
    messaging.permissions.can_read_conversation); it is kept for per-reader rendering."""
    params = {"conversation_id": conversation.id, "limit": limit}
    if before is None:
        lines = _read_lines(_LATEST, params)
    else:
        lines = _read_lines(_LATEST_BEFORE, {**params, "before": before})
    items = [ThreadItem("message", line.created_at, message=line) for line in reversed(lines)]
    older = before is not None
    if conversation.case_id is not None:
        events = _CASE_EVENTS[older]
        for event in db.session.scalars(events, {"case_id": conversation.case_id, "limit": limit, "before": before}):
            items.append(ThreadItem("event", event.at, event=event))
    if conversation.kind == ConversationKind.general:
        # Custom offers show as cards among the messages (offers/ writes them).
        offers = _OFFERS[older]
        for offer in db.session.scalars(offers, {**params, "before": before}):
            items.append(ThreadItem("offer", offer.created_at, offer=offer))
    if len(items) == len(lines):
        return list(reversed(items))  # messages only: already in time order
    items.sort(
        key=lambda i: (
            i.at,
            0 if i.kind == "event" else 1,
            i.message.id if i.message else 0,
            i.offer.id if i.offer else 0,
        ),
        reverse=True,
    )
    return list(reversed(items[:limit]))


def messages_after(conversation: Conversation, after_id: int) -> list[MessageLine]:
    """Messages newer than `after_id`, oldest first (what a polling page has not shown yet)."""
    return _read_lines(_AFTER, {"conversation_id": conversation.id, "after_id": after_id})


def message_line(message_id: int) -> MessageLine | None:
    """One message as a thread shows it (the one just sent, for the page that sent it)."""
    lines = _read_lines(_ONE, {"message_id": message_id})
    return lines[0] if lines else None


# --- the inbox ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LastMessage:
    """What the inbox shows of a conversation's last message."""

    sender_id: int
    kind: MessageKind
    body: str


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One conversation of the inbox, read in the page's one statement (and its people's names)."""

    conversation_id: int
    subject: str | None
    at: datetime  # its last activity: the last message, or its opening
    others: tuple[str, ...]  # the names of the others in it
    last_message: LastMessage | None
    unread: int


@dataclass
class InboxPage(PageNumbers):
    rows: list[InboxRow]
    page: int
    per_page: int
    total: int


def _inbox_statements(kind: ConversationKind) -> tuple[sa.Select, sa.Select]:
    """The inbox of one tab: a page of the reader's conversations with, for each, its last message
    and how many of the others' messages the reader has not read; and how many conversations."""
    mine = sa.and_(
        Participant.user_id == sa.bindparam("user_id"),
        Conversation.kind == kind,
        # General conversations show once written in; a case thread from the case's start.
        *([Conversation.last_message_at.is_not(None)] if kind == ConversationKind.general else []),
    )
    activity = sa.func.coalesce(Conversation.last_message_at, Conversation.created_at)
    page = (
        sa.select(
            Conversation.id,
            Conversation.subject,
            activity.label("at"),
            Participant.last_read_message_id.label("read_to"),
        )
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(mine)
        .order_by(activity.desc(), Conversation.id.desc())
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
        .subquery()
    )
    other = sa.orm.aliased(Message)  # the subqueries' messages, apart from the last one joined
    last_id = sa.select(sa.func.max(other.id)).where(other.conversation_id == page.c.id).scalar_subquery()
    unread = (
        sa.select(sa.func.count(other.id))
        .where(
            other.conversation_id == page.c.id,
            other.id > page.c.read_to,
            other.sender_id != sa.bindparam("user_id"),
        )
        .scalar_subquery()
    )
    rows = (
        sa.select(page.c.id, page.c.subject, page.c.at, Message.sender_id, Message.kind, Message.body, unread)
        .outerjoin(Message, Message.id == last_id)
        .order_by(page.c.at.desc(), page.c.id.desc())
    )
    total = (
        sa.select(sa.func.count())
        .select_from(Conversation)
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(mine)
    )
    return rows, total


# Built once per tab (building a statement costs more than running it).
_INBOX = {kind: _inbox_statements(kind) for kind in ConversationKind}
# The others in some conversations, by name, in the order they joined.
_OTHERS = (
    sa.select(Participant.conversation_id, User.display_name)
    .join(User, User.id == Participant.user_id)
    .where(
        Participant.conversation_id.in_(sa.bindparam("ids", expanding=True)),
        Participant.user_id != sa.bindparam("user_id"),
    )
    .order_by(Participant.id)
)


def _unread_query(user_id: int):
    return (
        sa.select(Participant.conversation_id, sa.func.count(Message.id))
        .join(
            Message,
            sa.and_(
                Message.conversation_id == Participant.conversation_id,
                Message.id > Participant.last_read_message_id,
                Message.sender_id != user_id,
            ),
        )
        .where(Participant.user_id == user_id)
        .group_by(Participant.conversation_id)
    )


# Built once (building a statement costs more than running it): unread messages from others, per
# kind of conversation; the inbox and every unread poll ask it.
_UNREAD_BY_KIND = (
    sa.select(Conversation.kind, sa.func.count(Message.id))
    .join(Participant, Participant.conversation_id == Conversation.id)
    .join(
        Message,
        sa.and_(
            Message.conversation_id == Conversation.id,
            Message.id > Participant.last_read_message_id,
            Message.sender_id != sa.bindparam("user_id"),
        ),
    )
    .where(Participant.user_id == sa.bindparam("user_id"))
    .group_by(Conversation.kind)
)


def unread_counts(user: User) -> dict[str, int]:
    """{"general": n, "case": m, "total": n + m}: unread messages from others, per tab."""
    counts = {kind.value: n for kind, n in read_rows(_UNREAD_BY_KIND, {"user_id": user.id})}
    out = {"general": counts.get("general", 0), "case": counts.get("case", 0)}
    out["total"] = out["general"] + out["case"]
    return out


def unread_by_conversation(user: User) -> dict[int, int]:
    """{conversation id: unread messages} for the user's conversations that have any."""
    return dict(db.session.execute(_unread_query(user.id)).all())


def inbox(user: User, kind: ConversationKind, *, page: int = 1, per_page: int = 20) -> InboxPage:
    """A page of the user's conversations of one kind, latest activity first, as InboxRows
    (past the last page, an empty one)."""
    rows_of, total_of = _INBOX[kind]
    params = {"user_id": user.id}
    # Columns only, each statement of the page through read_rows (past the ORM's execution layer).
    rows = read_rows(rows_of, {**params, "limit": per_page, "offset": (page - 1) * per_page}).all()
    others: dict[int, list[str]] = {}
    if rows:
        for conversation_id, name in read_rows(_OTHERS, {**params, "ids": [r[0] for r in rows]}):
            others.setdefault(conversation_id, []).append(name)
    return InboxPage(
        rows=[
            InboxRow(
                conversation_id,
                subject,
                at,
                tuple(others.get(conversation_id, ())),
                LastMessage(sender_id, message_kind, body) if sender_id is not None else None,
                unread,
            )
            for conversation_id, subject, at, sender_id, message_kind, body, unread in rows
        ],
        page=page,
        per_page=per_page,
        total=read_rows(total_of, params).scalar() if rows or page > 1 else 0,
    )


def search_messages(user: User, text: str, *, page: int = 1, per_page: int = 20):
    """A page of messages in the user's own conversations whose text contains `text`."""
    needle = text.strip()[:100]
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        sa.select(Message)
        .join(
            Participant, sa.and_(Participant.conversation_id == Message.conversation_id, Participant.user_id == user.id)
        )
        .where(Message.body.ilike(f"%{escaped}%", escape="\\"))
        .order_by(Message.created_at.desc(), Message.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
