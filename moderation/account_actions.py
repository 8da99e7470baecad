"""Actions on a whole account from its back-office page, besides suspension (moderation.suspension):
a warning without a particular violation, logging the account out everywhere, and staff notes.

Each one checks the actor's staff power, writes the audit log, and flushes; the caller commits.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from accounts.operations import end_sessions
from audit.trail import record_action
from errors import DomainError
from extensions import db
from messaging.notify import notify
from models.accounts import User
from models.trust import StaffNote
from moderation import permissions

NOTE_LENGTH = 4000


def warn_account(user: User, *, actor: User, note: str) -> None:
    """Warn the account holder (notification "warning", always delivered, mailed too).

    A warning about one violation is `moderation.violations.warn_user`, which is also a strike;
    this one is about the account's conduct as a whole and counts no strike.
    Raises PermissionDenied, DomainError (no text: the holder must know why).
    """
    permissions.require(permissions.can_change_status_of(actor, user))
    note = (note or "").strip()
    if not note:
        raise DomainError(_l("Write the warning the user will read."), field="note")
    record_action("account.warned", user, actor=actor, reason=note)
    notify(
        user,
        "warning",
        title=_l("Warning from Occlusa moderation"),
        body=note,
        url=url_for("help.article", slug="rule-violations"),
    )


def force_logout(user: User, *, actor: User, reason: str) -> None:
    """End every session of the account (a stolen cookie, a shared login). Raises PermissionDenied,
    DomainError (no reason)."""
    permissions.require(permissions.can_change_status_of(actor, user))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give a reason for logging the account out."), field="reason")
    end_sessions(user)
    record_action("account.sessions_ended", user, actor=actor, reason=reason)


def add_staff_note(user: User, *, actor: User, text: str) -> StaffNote:
    """A note on the account for the staff who open it later. Raises PermissionDenied, DomainError."""
    permissions.require(permissions.can_moderate(actor))
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the note."), field="text")
    if len(text) > NOTE_LENGTH:
        raise DomainError(_l("A note holds at most %(n)d characters.", n=NOTE_LENGTH), field="text")
    note = StaffNote(user_id=user.id, author_id=actor.id, text=text)
    db.session.add(note)
    db.session.flush()
    record_action("account.note_added", user, actor=actor, after={"note_id": note.id}, reason=text)
    return note
