"""Share links: a long random token that opens some of one owner's files, WeTransfer-style.

The token is shown once, at creation; only its SHA-256 is stored, and it is found by that
hash and compared in constant time. A link ends when its expiry passes (the sweep), when
every file in it reached its download limit or was deleted after its download, or when its
owner deletes it; a dead link says which of these happened.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta
from typing import Iterable, Iterator

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from files import handover, operations
from files.locks import lock_link
from files.permissions import can_share, ensure
from models.accounts import User
from models.files import FileDownload, ShareLink, ShareLinkState, StoredFile
from models.types import utcnow
from transitions import Move, Process, Table, step
from passwords import hash_password, verify_password

log = logging.getLogger(__name__)

S = ShareLinkState
OWNER, PLATFORM = "owner", "platform"

# (state, action)              → next state   who may
TRANSITIONS = Table(
    {
        (S.active, "finish"): step(S.downloaded, PLATFORM),
        (S.active, "expire"): step(S.expired, PLATFORM),
        (S.active, "delete"): step(S.deleted, OWNER),
        (S.downloaded, "delete"): step(S.deleted, OWNER),
        (S.expired, "delete"): step(S.deleted, OWNER),
    }
)

MAX_LINK_DAYS = 90  # patient data does not sit behind a link for longer than a quarter
MIN_PASSWORD_LENGTH = 6
DEAD_LINK_MESSAGES = {
    S.expired: _l("This link has expired."),
    S.deleted: _l("This link was deleted by the person who shared it."),
    S.downloaded: _l("This link has been used up: its files were downloaded."),
}


class LinkUnavailable(DomainError):
    """The link exists but no longer opens: expired, deleted or used up (see `.state`)."""

    def __init__(self, state: ShareLinkState):
        super().__init__(DEAD_LINK_MESSAGES[state])
        self.state = state


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share_link(
    files: Iterable[StoredFile],
    *,
    actor: User,
    expires_at: datetime | None = None,
    max_downloads: int | None = None,
    password: str | None = None,
) -> tuple[ShareLink, str]:
    """Share some of the actor's files; return the link and its token (shown once, never stored).

    Expiry defaults to SHARE_LINK_DAYS, at most MAX_LINK_DAYS; patient files in the link are
    kept until it expires and deleted then. Raises PermissionDenied or DomainError.
    """
    files = list({f.id: f for f in files}.values())
    now = utcnow()
    if not files:
        raise DomainError(_l("Choose at least one file to share."), field="files")
    for stored in files:
        ensure(can_share, actor, stored)
    expires_at = expires_at or now + timedelta(days=current_app.config["SHARE_LINK_DAYS"])
    if not now < expires_at <= now + timedelta(days=MAX_LINK_DAYS):
        raise DomainError(
            _l("A link expires between now and %(days)s days from now.", days=MAX_LINK_DAYS), field="expires_at"
        )
    if max_downloads is not None and max_downloads < 1:
        raise DomainError(_l("The download limit is at least one download."), field="max_downloads")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("The link password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH), field="password"
        )
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        token_hash=token_hash(token),
        owner_id=actor.id,
        created_at=now,
        expires_at=expires_at,
        max_downloads=max_downloads,
        password_hash=hash_password(password) if password else None,
        files=files,
    )
    db.session.add(link)
    for stored in files:
        operations.keep_until(stored, expires_at)
    db.session.flush()
    log.info("share link %s created by user %s for %s file(s)", link.id, actor.id, len(files))
    return link, token


def resolve_share_link(token: str, *, now: datetime | None = None) -> ShareLink:
    """The live link this token opens. Raises NotFound, or LinkUnavailable for a dead link."""
    wanted = token_hash(token or "")
    link = db.session.scalar(sa.select(ShareLink).where(ShareLink.token_hash == wanted))
    if link is None or not hmac.compare_digest(link.token_hash, wanted):
        raise NotFound(_l("This link does not exist."))
    ensure_open(link, now=now)
    return link


def ensure_open(link: ShareLink, *, now: datetime | None = None) -> None:
    """Raise LinkUnavailable unless the link still opens (an overdue link is expired already)."""
    if link.state != S.active:
        raise LinkUnavailable(link.state)
    if link.expires_at <= (now or utcnow()):
        raise LinkUnavailable(S.expired)


def check_link_password(link: ShareLink, password: str | None) -> None:
    """Raise PermissionDenied unless the password opens this link (links without one are open)."""
    if link.password_hash is None:
        return
    if not password or not verify_password(link.password_hash, password):
        raise PermissionDenied(_l("The password is not right."), field="password")


def downloads_left(link: ShareLink, stored: StoredFile) -> int | None:
    """How many complete downloads of this file the link still allows (None: no limit)."""
    if link.max_downloads is None:
        return None
    done = db.session.scalar(
        sa.select(sa.func.count(FileDownload.id)).where(
            FileDownload.link_id == link.id, FileDownload.file_id == stored.id, FileDownload.completed
        )
    )
    return max(link.max_downloads - done, 0)


def open_shared_file(
    link: ShareLink, file_id: int, *, start: int = 0, end: int | None = None
) -> tuple[StoredFile, Iterator[bytes]]:
    """A file of a live link and its bytes [start, end). The password is the caller's check;
    raises what shared_file raises."""
    stored = shared_file(link, file_id)
    return stored, operations.open_file(stored, start=start, end=end)


def shared_file(link: ShareLink, file_id: int) -> StoredFile:
    """A file the live link still offers. Raises NotFound (not in this link), LinkUnavailable,
    FileUnavailable (deleted, e.g. after its download), or DomainError when its download
    limit is reached."""
    ensure_open(link)
    stored = next((f for f in link.files if f.id == file_id), None)
    if stored is None:
        raise NotFound(_l("This file is not part of the link."))
    if stored.is_deleted:
        raise operations.FileUnavailable(_l("This file is no longer available: it was downloaded or deleted."))
    # Patient data goes to one recipient, who may fetch it again within the grace window
    # (files/handover.py decides): the link's limit is for the other files.
    if not stored.is_patient_data and downloads_left(link, stored) == 0:
        raise DomainError(_l("This file has reached its download limit."))
    return stored


def record_link_download(
    link: ShareLink,
    stored: StoredFile,
    *,
    first_byte: int,
    bytes_sent: int,
    finished: bool = True,
    claim: handover.Claim | None = None,
) -> FileDownload | None:
    """Log a response sent through the link and release its claim; a completed download may
    use the link up. Counts even when the link died while the bytes were on their way."""
    link = lock_link(link)
    if stored not in link.files:
        raise NotFound(_l("This file is not part of the link."))
    row = handover.record_download(
        stored, first_byte=first_byte, bytes_sent=bytes_sent, finished=finished, link=link, claim=claim
    )
    if row is not None and row.completed:
        link.downloads += 1
        _finish_if_used_up(link)
    db.session.flush()
    return row


def _finish_if_used_up(link: ShareLink) -> None:
    # `link` is locked by the caller.
    """Every file deleted or at its limit: the link is used up. Received patient data counts
    once it is deleted, after the grace window in which its recipient may fetch it again."""
    if link.state == S.active and all(
        f.is_deleted or (not f.is_patient_data and downloads_left(link, f) == 0) for f in link.files
    ):
        LINK_PROCESS.apply(link, "finish", role=PLATFORM, locked=True, reason="every file downloaded")


def delete_share_link(link: ShareLink, *, actor: User) -> ShareLink:
    """The owner ends the link at any time. Raises PermissionDenied or InvalidTransition."""
    link = lock_link(link)
    role = OWNER if actor.id == link.owner_id else None
    return LINK_PROCESS.apply(link, "delete", role=role, actor=actor, locked=True, reason="deleted by owner").obj


def expire_share_link(link: ShareLink, *, now: datetime) -> ShareLink:
    """The platform ends a link whose expiry has passed (the sweep's step, one link)."""
    return LINK_PROCESS.apply(link, "expire", role=PLATFORM, now=now, reason="expired").obj


def sweep_expired_links(now: datetime) -> int:
    """Sweep: expire every active link whose expiry has passed, and end those whose files
    are all gone (received patient data deleted by the files sweep); return how many."""
    due = db.session.scalars(sa.select(ShareLink).where(ShareLink.state == S.active, ShareLink.expires_at <= now)).all()
    for link in due:
        expire_share_link(link, now=now)
    emptied = db.session.scalars(
        sa.select(ShareLink).where(
            ShareLink.state == S.active, ShareLink.files.any(), ~ShareLink.files.any(StoredFile.deleted_at.is_(None))
        )
    ).all()
    for link in emptied:
        _finish_if_used_up(lock_link(link))
    return len(due) + len(emptied)


def _ended(link: ShareLink, **_params) -> None:
    link.ended_at = utcnow()


def _expired(link: ShareLink, *, now: datetime, **_params) -> None:
    if link.expires_at > now:
        raise InvalidTransition(_l("This link has not expired yet."))
    _ended(link)


def _record(move: Move) -> None:
    reason = move.params["reason"]
    record_action(
        f"share_link.{move.action}",
        move.obj,
        actor=move.actor,
        before={"state": move.before.value},
        after={"state": move.after.value},
        reason=reason,
    )
    log.info("share link %s: %s → %s (%s)", move.obj.id, move.before.value, move.after.value, reason)


LINK_PROCESS = Process(
    "share link",
    TRANSITIONS,
    lock=lock_link,
    event=_record,
    refused=lambda link, _action: DEAD_LINK_MESSAGES.get(link.state, _l("This link cannot change now.")),
    denied=_l("Only the person who shared this link can delete it."),
    fields={"finish": _ended, "expire": _expired, "delete": _ended},
)
