"""Suspension, termination and reinstatement of accounts.

What a suspension does, at once: every session of the account ends (session_version),
it cannot log in (accounts.operations.authenticate refuses it), its listings leave the
catalogue (listings check the owner's status), and its cases are handed over on
hooks.account_suspended (disputes.suspended_accounts): requests awaiting acceptance are
cancelled with their holds released, cases in progress go to the resolution centre.
Nothing is deleted, so reinstatement brings back what can come back.

Allowed changes of AccountStatus made here (others belong to accounts.operations):
    active    → suspended, terminated
    suspended → suspended (new reason or end date), terminated, active (reinstated)
    terminated → active (reinstated by an admin's decision)
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import lazy_gettext as _l

import hooks
from audit.trail import record_action
from errors import DomainError, InvalidTransition
from extensions import db
from messaging.mail import send_mail
from models.accounts import AccountStatus, User
from models.types import utcnow
from moderation import permissions

log = logging.getLogger(__name__)

TRANSITIONS: dict[str, set[AccountStatus]] = {
    "suspend": {AccountStatus.active, AccountStatus.suspended},
    "terminate": {AccountStatus.active, AccountStatus.suspended},
    "reinstate": {AccountStatus.suspended, AccountStatus.terminated},
}


def _locked(user: User, action: str, actor: User, reason: str) -> User:
    user = db.session.get(User, user.id, with_for_update=True, populate_existing=True)
    permissions.require(permissions.can_change_status_of(actor, user))
    if user.status not in TRANSITIONS[action]:
        raise InvalidTransition(
            _l("This account is %(status)s: it cannot be changed that way.", status=user.status.value)
        )
    if not (reason or "").strip():
        raise DomainError(_l("Give a reason: the account holder reads it."), field="reason")
    return user


def _hand_over_cases(user: User, actor: User) -> dict:
    counts: dict = {}
    for hand_over in hooks.account_suspended.functions():  # the cases (disputes sit above moderation)
        counts.update(hand_over(user, actor=actor) or {})
    return counts


def suspend_account(user: User, *, actor: User, reason: str, until: datetime | None = None) -> dict:
    """Suspend an account (until a date, or until reinstated) and return what happened to its cases.

    Raises PermissionDenied (not a moderator; a staff account without admin; oneself),
    InvalidTransition (terminated or deleted account), DomainError (no reason, end date past).
    """
    user = _locked(user, "suspend", actor, reason)
    if until is not None and until <= utcnow():
        raise DomainError(_l("The end of the suspension must be in the future."), field="until")
    before = {"status": user.status.value, "until": user.suspended_until.isoformat() if user.suspended_until else None}
    user.status = AccountStatus.suspended
    user.status_reason = reason.strip()
    user.suspended_until = until
    user.session_version += 1  # logged out everywhere, now
    db.session.flush()
    cases = _hand_over_cases(user, actor)
    record_action(
        "account.suspended",
        user,
        actor=actor,
        before=before,
        after={"status": "suspended", "until": until.isoformat() if until else None, "cases": cases},
        reason=user.status_reason,
    )
    send_mail(
        user.email,
        "account_status",
        locale=user.locale,
        user=user,
        change="suspended",
        reason=user.status_reason,
        until=until,
    )
    log.info("account %s suspended by %s", user.id, actor.id)
    return cases


def terminate_account(user: User, *, actor: User, reason: str) -> dict:
    """Close an account for good (it can only come back by an explicit reinstatement).

    Raises PermissionDenied, InvalidTransition or DomainError like suspend_account.
    """
    user = _locked(user, "terminate", actor, reason)
    before = {"status": user.status.value}
    user.status = AccountStatus.terminated
    user.status_reason = reason.strip()
    user.suspended_until = None
    user.session_version += 1
    db.session.flush()
    cases = _hand_over_cases(user, actor)
    record_action(
        "account.terminated",
        user,
        actor=actor,
        before=before,
        after={"status": "terminated", "cases": cases},
        reason=user.status_reason,
    )
    send_mail(
        user.email,
        "account_status",
        locale=user.locale,
        user=user,
        change="terminated",
        reason=user.status_reason,
        until=None,
    )
    log.info("account %s terminated by %s", user.id, actor.id)
    return cases


def reinstate_account(user: User, *, actor: User, reason: str, mail: bool = True) -> None:
    """Make a suspended (or, by an admin, a terminated) account active again.

    Its listings show again by themselves (visibility follows the status); cases handed to the
    resolution centre stay there. `mail=False` when the caller mails its own answer (an appeal's
    outcome). Raises PermissionDenied, InvalidTransition, DomainError.
    """
    user = _locked(user, "reinstate", actor, reason)
    if user.status == AccountStatus.terminated:
        permissions.require(permissions.can_manage_staff(actor))
    before = {"status": user.status.value}
    user.status = AccountStatus.active
    user.status_reason = None
    user.suspended_until = None
    db.session.flush()
    record_action(
        "account.reinstated", user, actor=actor, before=before, after={"status": "active"}, reason=reason.strip()
    )
    if mail:
        send_mail(
            user.email,
            "account_status",
            locale=user.locale,
            user=user,
            change="reinstated",
            reason=reason.strip(),
            until=None,
        )
