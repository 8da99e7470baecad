"""What "My files" lists: the links I created, the files I sent or received in messages and
cases. Read-only queries; each row carries the state a person cares about."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask_babel import lazy_gettext as _l

from extensions import db
from files.handover import RECEIVED
from models.accounts import User
from models.cases import Case, CaseFile
from models.files import ShareLink, ShareLinkState, StoredFile
from models.messaging import Message, MessageAttachment, Participant
from models.types import utcnow

PAGE_SIZE = 20


class Availability(enum.Enum):
    active = "active"  # can be downloaded
    downloaded = "downloaded"  # patient data its recipient downloaded (removed after the grace window)
    expired = "expired"  # its time ran out
    deleted = "deleted"  # its owner (or the platform) deleted it


LABELS = {
    Availability.active: _l("Active"),
    Availability.downloaded: _l("Downloaded"),
    Availability.expired: _l("Expired"),
    Availability.deleted: _l("Deleted"),
}
BADGES = {
    Availability.active: "badge-ok",
    Availability.downloaded: "badge-verified",
    Availability.expired: "badge-warn",
    Availability.deleted: "badge-danger",
}


def file_availability(stored: StoredFile, now: datetime | None = None) -> Availability:
    if stored.is_deleted:
        if stored.deleted_reason == RECEIVED:
            return Availability.downloaded
        return Availability.expired if stored.deleted_reason == "expired" else Availability.deleted
    if stored.downloaded_at is not None:
        return Availability.downloaded
    if stored.expires_at is not None and stored.expires_at <= (now or utcnow()):
        return Availability.expired  # due, and the sweep has not passed yet
    return Availability.active


def link_availability(link: ShareLink, now: datetime | None = None) -> Availability:
    if link.state == ShareLinkState.active and link.expires_at <= (now or utcnow()):
        return Availability.expired
    return Availability(link.state.value)


@dataclass
class FileRow:
    file: StoredFile
    where: str  # "message" or "case"
    sent: bool  # I sent it (else I received it)
    at: datetime
    case: Case | None = None
    conversation_id: int | None = None
    attachment_id: int | None = None


def my_links(user: User, page: int):
    return db.paginate(
        sa.select(ShareLink)
        .where(ShareLink.owner_id == user.id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )


def message_files(user: User, page: int):
    """Attachments of the conversations I take part in, newest first, as FileRows."""
    mine = sa.select(Participant.conversation_id).where(Participant.user_id == user.id)
    query = (
        sa.select(MessageAttachment)
        .join(Message, Message.id == MessageAttachment.message_id)
        .where(Message.conversation_id.in_(mine))
        .options(joinedload(MessageAttachment.message))
        .order_by(Message.created_at.desc(), MessageAttachment.id.desc())
    )
    result = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    files = {
        f.id: f
        for f in db.session.scalars(sa.select(StoredFile).where(StoredFile.id.in_([a.file_id for a in result.items])))
    }
    result.items = [
        FileRow(
            file=files[a.file_id],
            where="message",
            sent=a.message.sender_id == user.id,
            at=a.message.created_at,
            conversation_id=a.message.conversation_id,
            attachment_id=a.id,
        )
        for a in result.items
    ]
    return result


def case_files(user: User, page: int):
    """Files of the cases I am a party to, newest first, as FileRows."""
    query = (
        sa.select(CaseFile)
        .join(Case, Case.id == CaseFile.case_id)
        .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id))
        .options(joinedload(CaseFile.case), joinedload(CaseFile.file))
        .order_by(CaseFile.added_at.desc(), CaseFile.id.desc())
    )
    result = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    result.items = [
        FileRow(file=cf.file, where="case", sent=cf.file.owner_id == user.id, at=cf.added_at, case=cf.case)
        for cf in result.items
    ]
    return result
