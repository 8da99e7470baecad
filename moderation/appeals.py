"""Appeals against a suspension or a termination.

A suspended or terminated account cannot log in, so it appeals from the login page, proving it
owns the account by its password. One appeal per decision (the audit entry of the suspension or
termination). A moderator other than the one who made the decision (read from that entry)
decides it:

    open → upheld | reinstated   (reinstated through moderation.suspension.reinstate_account)

The outcome is mailed to the account holder in their language and written in the audit log.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.operations import find_by_email, lift_expired_suspension
from audit.trail import record_action
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from messaging.mail import send_mail
from models.accounts import AccountStatus, User
from models.moderation import Appeal, AppealStatus, AuditEntry, ViolationSource
from models.types import utcnow
from moderation import permissions
from moderation.suspension import reinstate_account
from passwords import DUMMY_HASH, verify_password
from screening.contact_filter import screen_text

APPEALABLE = ("account.suspended", "account.terminated")
MAX_TEXT = 4000


def decision_against(user: User) -> AuditEntry | None:
    """The audit entry of the suspension or termination in force on the account."""
    return db.session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.object_type == "User", AuditEntry.object_id == str(user.id), AuditEntry.action.in_(APPEALABLE)
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )


def file_appeal(*, email: str, password: str, text: str) -> Appeal:
    """The account holder appeals the decision in force; returns the appeal.

    Raises DomainError for wrong credentials (said the same way as the login page), an account
    that is not suspended or terminated, an empty or too long text, a second appeal of the same
    decision; ContactDetailsRefused when the text carries contact details (nothing is recorded:
    the account is already barred).
    """
    user = find_by_email(email)
    if user is None or user.status == AccountStatus.deleted:
        verify_password(DUMMY_HASH, password)  # same cost whether or not the account exists
        raise DomainError(_l("Wrong e-mail or password."), field="password")
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("Wrong e-mail or password."), field="password")
    user = db.session.get(User, user.id, with_for_update=True, populate_existing=True)
    lift_expired_suspension(user)
    entry = decision_against(user)
    if user.status not in (AccountStatus.suspended, AccountStatus.terminated) or entry is None:
        raise DomainError(_l("This account is not suspended or closed: you can log in."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Say why the decision should be changed."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(_l("An appeal holds at most %(n)d characters.", n=MAX_TEXT), field="text")
    if db.session.scalar(sa.select(Appeal.id).where(Appeal.decision_entry_id == entry.id)) is not None:
        raise DomainError(_l("You have already appealed this decision: a moderator will answer by e-mail."))
    screen_text({"text": text}, author=None, source=ViolationSource.message, lang=user.locale)
    appeal = Appeal(user_id=user.id, decision_entry_id=entry.id, original_decider_id=entry.actor_id, text=text)
    db.session.add(appeal)
    db.session.flush()
    record_action(
        "appeal.filed",
        appeal,
        actor=user,
        after={"user_id": user.id, "decision": entry.action, "decision_entry_id": entry.id},
    )
    return appeal


def can_decide(appeal: Appeal, actor: User | None) -> bool:
    """A moderator, not the one whose decision is appealed."""
    return permissions.can_moderate(actor) and actor.id != appeal.original_decider_id


def decide_appeal(appeal: Appeal, *, actor: User, reinstate: bool, note: str) -> Appeal:
    """Uphold the decision or reinstate the account; the holder gets the outcome by mail.

    Raises PermissionDenied (not a moderator; the original decider; a terminated account without
    admin, from reinstate_account), InvalidTransition (already decided), DomainError (no note).
    """
    permissions.require(permissions.can_moderate(actor))
    appeal = db.session.get(Appeal, appeal.id, with_for_update=True, populate_existing=True)
    if appeal is None:
        raise NotFound(_l("This appeal does not exist."))
    if actor.id == appeal.original_decider_id:
        raise PermissionDenied(_l("You made the decision appealed: another moderator decides the appeal."))
    if appeal.status != AppealStatus.open:
        raise InvalidTransition(_l("This appeal was already decided."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_l("Write the answer the account holder reads."), field="note")
    if reinstate:
        reinstate_account(appeal.user, actor=actor, reason=note, mail=False)
    appeal.status = AppealStatus.reinstated if reinstate else AppealStatus.upheld
    appeal.decided_by_id = actor.id
    appeal.decided_at = utcnow()
    appeal.decision_note = note
    db.session.flush()
    record_action(
        f"appeal.{appeal.status.value}",
        appeal,
        actor=actor,
        before={"status": "open"},
        after={"status": appeal.status.value, "user_id": appeal.user_id},
        reason=note,
    )
    user = appeal.user
    send_mail(user.email, "appeal_decided", locale=user.locale, user=user, outcome=appeal.status.value, note=note)
    return appeal
