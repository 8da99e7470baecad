"""Suspension, termination and reinstatement of accounts.

What a suspension does, at once: every session of the account ends (session_version),
it cannot log in (accounts.operations.authenticate refuses it), its listings leave the
catalogue (listings check the owner's status), and its cases are handed over on
hooks.account_suspended (disputes.suspended_accounts): requests awaiting acceptance are
cancelled with their holds released, cases in progress go to the resolution centre.
Nothing is deleted, so reinstatement brings back what can come back.

The allowed changes of AccountStatus are the table in accounts.status (shared with the end of
a dated suspension); this module is its staff half: one Process over that table whose event
hands the cases over, writes the audit row and mails the account holder.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import lazy_gettext as _l

from accounts import status
import hooks
from audit.trail import record_action
from errors import DomainError
from messaging.mail import send_mail
from models.accounts import User
from models.types import utcnow
from moderation import permissions
from transitions import Move, Process

log = logging.getLogger(__name__)

MAILED_CHANGE = {"suspend": "suspended", "terminate": "terminated", "reinstate": "reinstated"}


def _role(actor: User, user: User) -> str | None:
    if not permissions.can_change_status_of(actor, user):
        return None
    return status.ADMIN if permissions.can_manage_staff(actor) else status.MODERATOR


def _reason(reason: str) -> str:
    if not (reason or "").strip():
        raise DomainError(_l("Give a reason: the account holder reads it."), field="reason")
    return reason.strip()


def _barred(action: str):
    def fields(user: User, *, reason: str, until: datetime | None = None, **_params) -> dict:
        reason = _reason(reason)
        if until is not None and until <= utcnow():
            raise DomainError(_l("The end of the suspension must be in the future."), field="until")
        before = {"status": user.status.value}
        if action == "suspend":
            before["until"] = user.suspended_until.isoformat() if user.suspended_until else None
        user.status_reason = reason
        user.suspended_until = until
        user.session_version += 1  # logged out everywhere, now
        return {"before": before}

    return fields


def _reinstated(user: User, *, reason: str, **_params) -> dict:
    _reason(reason)
    before = {"status": user.status.value}
    user.status_reason = None
    user.suspended_until = None
    return {"before": before}


def _hand_over_cases(user: User, actor: User) -> dict:
    counts: dict = {}
    for hand_over in hooks.account_suspended.functions():  # the cases (disputes sit above moderation)
        counts.update(hand_over(user, actor=actor) or {})
    return counts


def _announce(move: Move) -> None:
    """Hand the cases of a barred account over, write the audit row, mail the holder."""
    user, action, until = move.obj, move.action, move.params.get("until")
    after = {"status": move.after.value}
    if action == "suspend":
        after["until"] = until.isoformat() if until else None
    if action in ("suspend", "terminate"):
        after["cases"] = move.detail["cases"] = _hand_over_cases(user, move.actor)
    reason = move.params["reason"].strip()
    record_action(
        status.AUDIT_ACTIONS[action], user, actor=move.actor, before=move.detail["before"], after=after, reason=reason
    )
    if move.params.get("mail", True):
        send_mail(
            user.email,
            "account_status",
            locale=user.locale,
            user=user,
            change=MAILED_CHANGE[action],
            reason=reason,
            until=until if action == "suspend" else None,
        )
    log.info("account %s %s by %s", user.id, MAILED_CHANGE[action], move.actor.id)


STAFF_PROCESS = Process(
    "account",
    status.TRANSITIONS,
    lock=status.lock_account,
    event=_announce,
    refused=status.refused,
    denied=status.DENIED,
    fields={"suspend": _barred("suspend"), "terminate": _barred("terminate"), "reinstate": _reinstated},
    attribute="status",
)


def _decide(user: User, action: str, *, actor: User, **params):
    user = status.lock_account(user)
    return STAFF_PROCESS.apply(user, action, role=_role(actor, user), actor=actor, locked=True, **params)


def suspend_account(user: User, *, actor: User, reason: str, until: datetime | None = None) -> dict:
    """Suspend an account (until a date, or until reinstated) and return what happened to its cases.

    Raises PermissionDenied (not a moderator; a staff account without admin; oneself),
    InvalidTransition (terminated or deleted account), DomainError (no reason, end date past).
    """
    return _decide(user, "suspend", actor=actor, reason=reason, until=until).detail["cases"]


def terminate_account(user: User, *, actor: User, reason: str) -> dict:
    """Close an account for good (it can only come back by an explicit reinstatement).

    Raises PermissionDenied, InvalidTransition or DomainError like suspend_account.
    """
    return _decide(user, "terminate", actor=actor, reason=reason).detail["cases"]


def reinstate_account(user: User, *, actor: User, reason: str, mail: bool = True) -> None:
    """Make a suspended (or, by an admin, a terminated) account active again.

    Its listings show again by themselves (visibility follows the status); cases handed to the
    resolution centre stay there. `mail=False` when the caller mails its own answer (an appeal's
    outcome). Raises PermissionDenied, InvalidTransition, DomainError.
    """
    _decide(user, "reinstate", actor=actor, reason=reason, mail=mail)
