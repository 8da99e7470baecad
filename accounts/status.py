"""The account status process: who may bar an account, and how it comes back.

The table is here, on the accounts floor, because both its writers read it: the staff decisions
(moderation.suspension: suspend, terminate, reinstate, which hand the cases over and mail the
holder) and the end of a dated suspension (`lift_expired_suspension`, at login or on appeal).
Closing one's own account (accounts.operations.delete_account) is not a status change staff
take back, and stays outside.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from errors import NotFound
from extensions import db
from models.accounts import AccountStatus, User
from models.types import utcnow
from audit.trail import record_action
from transitions import Move, Process, Table, step

S = AccountStatus
MODERATOR, ADMIN, PLATFORM = "moderator", "admin", "platform"

# (state, action)                → next state     who may
TRANSITIONS = Table(
    {
        (S.active, "suspend"): step(S.suspended, "moderator admin"),
        (S.suspended, "suspend"): step(S.suspended, "moderator admin"),  # a new reason or end date
        (S.active, "terminate"): step(S.terminated, "moderator admin"),
        (S.suspended, "terminate"): step(S.terminated, "moderator admin"),
        (S.suspended, "reinstate"): step(S.active, "moderator admin"),
        (S.terminated, "reinstate"): step(S.active, "admin"),  # closing for good is undone by an admin only
        (S.suspended, "lift"): step(S.active, "platform"),  # its end date passed
    }
)
# The audit row each action writes.
AUDIT_ACTIONS = {
    "suspend": "account.suspended",
    "terminate": "account.terminated",
    "reinstate": "account.reinstated",
    "lift": "account.suspension_ended",
}
DENIED = _l("Your staff role does not allow this action.")


def lock_account(user: User) -> User:
    locked = db.session.get(User, user.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This account does not exist."))
    return locked


def refused(user: User, _action: str) -> str:
    return _l("This account is %(status)s: it cannot be changed that way.", status=user.status.value)


def _lift(user: User, **_params) -> dict:
    user.status_reason = None
    user.suspended_until = None
    return {}


def _record_lift(move: Move) -> None:
    record_action(
        AUDIT_ACTIONS["lift"],
        move.obj,
        actor=None,
        before={"status": move.before.value},
        after={"status": move.after.value},
        reason="end date reached",
    )


LIFT_PROCESS = Process(
    "account",
    TRANSITIONS,
    lock=lock_account,
    event=_record_lift,
    refused=refused,
    denied=DENIED,
    fields={"lift": _lift},
    attribute="status",
)


def suspension_is_over(user: User, now: datetime) -> bool:
    return user.status == S.suspended and user.suspended_until is not None and user.suspended_until <= now


def lift_expired_suspension(user: User, now: datetime | None = None) -> bool:
    """A suspension with an end date ends by itself once that date has passed (the row is
    locked, then checked again: a racing reinstatement is not undone nor written twice)."""
    now = now or utcnow()
    if not suspension_is_over(user, now):
        return False
    user = lock_account(user)
    if not suspension_is_over(user, now):
        return False
    LIFT_PROCESS.apply(user, "lift", role=PLATFORM, locked=True)
    return True
