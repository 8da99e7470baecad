"""Violations: contact-filter hits and user reports, decided by a moderator.

Rows are written by `screening.contact_filter.record_refused_attempt` (the filter) and by
`report_user` (a user's report). A moderator dismisses, warns, or suspends; a warning or a
suspension is a strike on the account.

    open → dismissed | warned | suspended   (a decided violation is not decided again)

(the table TRANSITIONS below, applied by one Process: transitions.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from messaging.notify import notify
from models.accounts import User
from models.moderation import Violation, ViolationSource, ViolationStatus
from models.types import utcnow
from moderation import claims, permissions
from moderation.suspension import suspend_account
from transitions import Move, Process, Table, step

S = ViolationStatus
MODERATOR = "moderator"

# (state, action)          → next state     who may
TRANSITIONS = Table(
    {
        (S.open, "dismiss"): step(S.dismissed, MODERATOR),
        (S.open, "warn"): step(S.warned, MODERATOR),
        (S.open, "suspend"): step(S.suspended, MODERATOR),
    }
)
DECISION_ACTIONS = {S.dismissed: "dismiss", S.warned: "warn", S.suspended: "suspend"}
STRIKES = (ViolationStatus.warned, ViolationStatus.suspended)

# Where a violation was found, as the queue names it.
SOURCE_WORDS = {
    ViolationSource.message: _l("a message"),
    ViolationSource.profile: _l("the profile"),
    ViolationSource.listing: _l("a listing"),
    ViolationSource.review: _l("a review"),
    ViolationSource.case_instructions: _l("a case's instructions"),
    ViolationSource.report: _l("a report"),
    ViolationSource.community: _l("a community post or comment"),
}

REPORT_REASONS = {
    "contact_details": _l("Shares contact details or asks to work outside Occlusa"),
    "abuse": _l("Abusive or threatening behaviour"),
    "fraud": _l("Fraud or a fake identity"),
    "spam": _l("Spam or promotion of other services"),
    "other": _l("Something else"),
}


def active_strikes_query(user_id: int):
    """The account's strikes still counting: warnings and suspensions decided within STRIKE_EXPIRY_DAYS,
    one per group decided at once (the other attempts point to their group's lead)."""
    return sa.select(Violation).where(Violation.user_id == user_id, *_counting())


def _counting() -> tuple:
    """The conditions of a strike that still counts."""
    since = utcnow() - timedelta(days=current_app.config["STRIKE_EXPIRY_DAYS"])
    return Violation.status.in_(STRIKES), Violation.group_lead_id.is_(None), Violation.decided_at > since


def strike_count(user_id: int) -> int:
    """Warnings and suspensions the account has received for violations, not yet expired."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(active_strikes_query(user_id).subquery())) or 0


def strike_counts(user_ids) -> dict[int, int]:
    """strike_count of many accounts in one query (accounts without strikes are left out)."""
    return dict(
        db.session.execute(
            sa.select(Violation.user_id, sa.func.count())
            .where(Violation.user_id.in_(set(user_ids)), *_counting())
            .group_by(Violation.user_id)
        ).all()
    )


def report_user(
    reported: User, *, reporter: User, reason: str, note: str = "", text: str = "", source_ref: str | None = None
) -> Violation:
    """A user reports another account (or something it wrote); the report joins the violations queue.

    Raises DomainError for an unknown reason or a report about oneself.
    """
    if reason not in REPORT_REASONS:
        raise DomainError(_l("Choose a reason for the report."), field="reason")
    if reported.id == reporter.id:
        raise DomainError(_l("You cannot report yourself."))
    violation = Violation(
        user_id=reported.id,
        source=ViolationSource.report,
        source_ref=source_ref,
        text=text or "",
        findings=[],
        reporter_id=reporter.id,
        report_reason=reason,
        report_note=(note or "").strip() or None,
    )
    db.session.add(violation)
    db.session.flush()
    record_action("violation.reported", violation, actor=reporter, after={"user_id": reported.id, "reason": reason})
    return violation


def record_reading(violation: Violation, *, actor: User) -> None:
    """A moderator opened the violation and the text or thread it flags: private words, so each
    opening is in the audit log (in the caller's unit of work)."""
    permissions.require(permissions.can_moderate(actor))
    record_action(
        "violation.read",
        violation,
        actor=actor,
        after={"source": violation.source.value, "source_ref": violation.source_ref},
    )


def _refused(violation: Violation, _action: str = "") -> str:
    return _l("This violation was already decided (%(status)s).", status=violation.status.value)


def _locked(violation: Violation) -> Violation:
    violation = db.session.get(Violation, violation.id, with_for_update=True, populate_existing=True)
    if violation is None:
        raise NotFound(_l("This violation does not exist."))
    return violation


def lock_open_violation(violation: Violation, actor: User) -> Violation:
    """Lock a violation the actor may decide now: still open, held by them (claimed now if
    free). Raises PermissionDenied, NotFound, InvalidTransition."""
    permissions.require(permissions.can_moderate(actor))
    violation = _locked(violation)
    if not TRANSITIONS.allowed(violation.status, MODERATOR):
        raise InvalidTransition(_refused(violation))
    claims.require_claim("violation", violation.id, actor=actor)
    return violation


def record_decision(
    violation: Violation, status: ViolationStatus, actor: User, note: str, lead: Violation | None = None
) -> None:
    """Decide a violation locked by lock_open_violation (`lead`: the group's decided attempt)."""
    VIOLATION_PROCESS.apply(
        violation, DECISION_ACTIONS[status], role=MODERATOR, actor=actor, locked=True, note=note, lead=lead
    )


def _decided(violation: Violation, *, actor: User, note: str, lead: Violation | None = None, **_params) -> None:
    violation.group_lead_id = lead.id if lead is not None and lead.id != violation.id else None
    violation.decided_by_id = actor.id
    violation.decided_at = utcnow()
    violation.decision_note = (note or "").strip() or None


def _record(move: Move) -> None:
    violation = move.obj
    claims.release_item("violation", violation.id)
    record_action(
        f"violation.{move.after.value}",
        violation,
        actor=move.actor,
        before={"status": move.before.value},
        after={"status": move.after.value, "user_id": violation.user_id, "group_lead_id": violation.group_lead_id},
        reason=violation.decision_note,
    )


VIOLATION_PROCESS = Process(
    "violation",
    TRANSITIONS,
    lock=_locked,
    event=_record,
    refused=_refused,
    denied=_l("Your staff role does not allow this action."),
    fields={"dismiss": _decided, "warn": _decided, "suspend": _decided},
    attribute="status",
)


def dismiss_violation(violation: Violation, *, actor: User, note: str = "") -> Violation:
    """Not a violation (false positive, unfounded report): no strike. Raises PermissionDenied,
    InvalidTransition (already decided or claimed by someone else)."""
    violation = lock_open_violation(violation, actor)
    record_decision(violation, ViolationStatus.dismissed, actor, note)
    return violation


def warn_user(violation: Violation, *, actor: User, note: str) -> Violation:
    """A strike with a warning the user reads (notification "warning", always delivered).

    Raises PermissionDenied, InvalidTransition, DomainError (no note: the user must know why).
    """
    if not (note or "").strip():
        raise DomainError(_l("Write the warning the user will read."), field="note")
    violation = lock_open_violation(violation, actor)
    record_decision(violation, ViolationStatus.warned, actor, note)
    send_warning(violation.user, note)
    return violation


def send_warning(user: User, note: str) -> None:
    notify(
        user,
        "warning",
        title=_l("Warning from Occlusa moderation"),
        body=note.strip(),
        url=url_for("help.article", slug="contact-details-rule"),
    )


def suspend_for_violation(violation: Violation, *, actor: User, note: str, until: datetime | None = None) -> Violation:
    """A strike that suspends the account (see moderation.suspension.suspend_account).

    Raises PermissionDenied, InvalidTransition, DomainError.
    """
    violation = lock_open_violation(violation, actor)
    record_decision(violation, ViolationStatus.suspended, actor, note)
    suspend_account(violation.user, actor=actor, reason=note, until=until)
    return violation


class Span:
    """A finding placed in the violation's stored text (for the highlight_findings filter)."""

    __slots__ = ("start", "end", "reason", "kind")

    def __init__(self, start: int, end: int, reason: str, kind: str):
        self.start, self.end, self.reason, self.kind = start, end, reason, kind


def findings_in_text(violation: Violation) -> list[Span]:
    """The violation's findings in the coordinates of `violation.text`.

    The filter records offsets per field and the text as "[field] text" blocks
    (contact_filter.record_refused_attempt); each finding is shifted to its block.
    """
    spans = []
    for f in violation.findings or []:
        prefix = f"[{f.get('field')}] "
        block = violation.text.find(prefix)
        if block < 0:
            continue
        offset = block + len(prefix)
        start, end = offset + int(f["start"]), offset + int(f["end"])
        if violation.text[start:end] == f.get("text", violation.text[start:end]):
            spans.append(Span(start, end, f.get("reason", ""), f.get("kind", "")))
    return spans
