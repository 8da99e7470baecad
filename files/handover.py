"""Handing files to their recipients: claim a download before its first byte, log what each
response sent, and let patient data go once its recipient has it.

A patient scan is a patient scan wherever it was sent (case order, case thread, share link):
 - one download of it at a time: claim_download takes the file's row lock and marks it as being
   downloaded by this recipient; a second download meanwhile is refused (DownloadInProgress);
 - a download counts only when its stream reached its end (record_download with finished=True)
   and, with the recipient's earlier ranges, covered every byte: the file is then downloaded;
 - a server cannot see what the recipient kept (a proxy's buffer, a lost connection), so for
   PATIENT_FILE_GRACE_HOURS after that the same recipient may fetch it again; nobody else may;
 - then delete_received_files (the sweep) deletes it. Expiry deletes it whatever happened.
Previews (the 3D viewer) never claim and never count: see may_preview.

A recipient is named by a string: "user:<id>" for a signed-in reader, "visitor:<token>" for a
browser that opened a share link (the token lives in that browser's session).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import DomainError, PermissionDenied
from extensions import db
from files.locks import lock_file, lock_link
from files.operations import FileUnavailable, delete_file
from files.permissions import receiving_obstacle
from models.accounts import User
from models.files import FileDownload, ShareLink, StoredFile
from models.types import utcnow

log = logging.getLogger(__name__)

# A claim not renewed for this long was left by a download that died with its server.
CLAIM_LAPSES_AFTER = timedelta(minutes=10)
# A download under way renews its claim this often (downloads may take longer than the lapse).
CLAIM_RENEW_EVERY = timedelta(minutes=1)
RECEIVED = "downloaded by the recipient"


class DownloadInProgress(DomainError):
    """Someone is downloading this patient file right now (answered with 409)."""


@dataclass(frozen=True)
class Claim:
    """The right to send one response of a file to one recipient."""

    file_id: int
    recipient: str
    link_id: int | None = None
    reader_id: int | None = None
    holds: bool = False  # this download holds the file's claim (patient data, first reception)


def recipient_name(*, user: User | None = None, visitor: str | None = None) -> str:
    return f"user:{user.id}" if user is not None else f"visitor:{visitor}"


def grace() -> timedelta:
    return timedelta(hours=current_app.config["PATIENT_FILE_GRACE_HOURS"])


def _is_owner_reading(stored: StoredFile, reader: User | None, link: ShareLink | None) -> bool:
    return link is None and reader is not None and reader.id == stored.owner_id


def claim_download(
    stored: StoredFile,
    *,
    recipient: str,
    reader: User | None = None,
    link: ShareLink | None = None,
    now: datetime | None = None,
) -> Claim:
    """Claim the download of `stored` for `recipient` (a reader's, or a share link's visitor's)
    before its first byte. The caller has checked the reader may read it, or the link holds it.

    Raises FileUnavailable (deleted, or received by someone else), DownloadInProgress, or
    PermissionDenied when a rule of another area keeps this reader from receiving it yet.
    """
    now = now or utcnow()
    if link is not None:
        lock_link(link)  # the files area's lock order: link, then file
    stored = lock_file(stored)
    claim = Claim(stored.id, recipient, link.id if link else None, reader.id if reader else None)
    if stored.is_deleted:
        raise FileUnavailable(_l("This file is no longer available: it was downloaded or deleted."))
    if not stored.is_patient_data or _is_owner_reading(stored, reader, link):
        return claim
    if reader is not None and link is None and (obstacle := receiving_obstacle(reader, stored)):
        raise PermissionDenied(obstacle)
    if stored.downloaded_at is not None:
        if stored.downloaded_by == recipient and now < stored.downloaded_at + grace():
            return claim  # its recipient fetching it again: a retry, nothing more to claim
        raise FileUnavailable(_l("This file was downloaded by its recipient and is no longer available."))
    if stored.claimed_by is not None and stored.claimed_at > now - CLAIM_LAPSES_AFTER:
        raise DownloadInProgress(_l("This file is being downloaded. Try again once that download has ended."))
    stored.claimed_by, stored.claimed_at = recipient, now
    db.session.flush()
    return Claim(claim.file_id, recipient, claim.link_id, claim.reader_id, holds=True)


def renew_claim(claim: Claim, *, now: datetime | None = None) -> None:
    """A download still under way keeps its claim from lapsing."""
    if not claim.holds:
        return
    stored = lock_file(db.session.get(StoredFile, claim.file_id))
    if stored.claimed_by == claim.recipient:
        stored.claimed_at = now or utcnow()
        db.session.flush()


def may_preview(stored: StoredFile, recipient: str) -> bool:
    """Previewing never counts, but once patient data was received only its recipient (within
    the grace window) and its owner still see it: a used-up link shows nothing to the next person."""
    if stored.is_deleted:
        return False
    if not stored.is_patient_data or stored.downloaded_at is None or recipient == f"user:{stored.owner_id}":
        return True
    return stored.downloaded_by == recipient and utcnow() < stored.downloaded_at + grace()


def record_download(
    stored: StoredFile,
    *,
    first_byte: int,
    bytes_sent: int,
    finished: bool = True,
    reader: User | None = None,
    link: ShareLink | None = None,
    claim: Claim | None = None,
) -> FileDownload | None:
    """Log one response that handed over bytes [first_byte, first_byte + bytes_sent) of the
    file, and release its claim. Returns the logged row (None when nothing was sent).

    It is complete when its stream reached its end (`finished`) and, with this recipient's
    (this link's, or this reader's) ranges since their last complete download, it covered the
    whole file. A complete download of patient data by anyone but its owner makes it
    downloaded: kept for the grace window, then deleted by the sweep.
    """
    if link is not None:
        same_recipient = FileDownload.link_id == link.id
    elif reader is not None:
        same_recipient = FileDownload.reader_id == reader.id
    else:
        raise ValueError("a download goes through a share link or to a signed-in reader")
    stored = lock_file(stored)
    if claim is not None and claim.holds and stored.claimed_by == claim.recipient:
        stored.claimed_by = stored.claimed_at = None
    if bytes_sent < 0 or first_byte < 0 or first_byte + bytes_sent > stored.size:
        raise DomainError(_l("The recorded download does not fit the file."))
    if bytes_sent == 0 and not finished:
        db.session.flush()
        return None
    row = FileDownload(
        file_id=stored.id,
        link_id=link.id if link else None,
        reader_id=reader.id if reader else None,
        first_byte=first_byte,
        bytes_sent=bytes_sent,
    )
    row.completed = finished and _covers_file(stored, same_recipient, first_byte, first_byte + bytes_sent)
    db.session.add(row)
    if (
        row.completed
        and stored.is_patient_data
        and stored.downloaded_at is None
        and not _is_owner_reading(stored, reader, link)
    ):
        stored.downloaded_at = utcnow()
        stored.downloaded_by = (
            claim.recipient if claim else recipient_name(user=reader) if reader else f"link:{link.id}"
        )
        log.info("patient file %s received by %s", stored.id, stored.downloaded_by)
    db.session.flush()
    return row


def _covers_file(stored: StoredFile, recipient, first: int, end: int) -> bool:
    """Whether this range and the recipient's earlier ones since their last complete download
    cover every byte of the file (in any order: a resumed download fills its gaps)."""
    if first == 0 and end >= stored.size:
        return True
    last_complete = sa.select(sa.func.max(FileDownload.id)).where(
        FileDownload.file_id == stored.id, recipient, FileDownload.completed
    )
    earlier = db.session.execute(
        sa.select(FileDownload.first_byte, FileDownload.bytes_sent).where(
            FileDownload.file_id == stored.id,
            recipient,
            FileDownload.id > sa.func.coalesce(last_complete.scalar_subquery(), 0),
        )
    ).all()
    reached = 0
    for start, stop in sorted([(s, s + n) for s, n in earlier] + [(first, end)]):
        if start > reached:
            return False
        reached = max(reached, stop)
    return reached >= stored.size


def delete_received_files(now: datetime) -> int:
    """Sweep: delete patient data whose recipient's grace window has ended."""
    due = db.session.scalars(
        sa.select(StoredFile).where(StoredFile.downloaded_at <= now - grace(), StoredFile.deleted_at.is_(None))
    ).all()
    for stored in due:
        delete_file(stored, actor=None, reason=RECEIVED)
    return len(due)
