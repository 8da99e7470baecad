"""The case transaction process: one table of transitions, one function that applies them.

Every change of a case goes through `apply_action`: lock the case row → check the actor's
role and the state against TRANSITIONS → apply the action's own checks and fields →
write a CaseEvent → apply the money effect (payments.escrow, which locks the payment row
after the case) → notify the other side after the commit. A repeated or racing action
(double click, complete against dispute, sweep against user) finds the case already moved
under the lock and is refused with InvalidTransition; money never moves twice (the state
check under the lock, then unique idempotency keys on gateway calls and journals).
Operations flush; the caller commits once.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, lazyload

from audit.trail import record_action
from cases import deadlines, notices
from cases.states import STATE_LABELS
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from models.accounts import StaffRole, User
from models.cases import Case, CaseAction, CaseEvent, CaseFile, CaseFileRole, CaseState, Delivery
from models.types import utcnow
from payments import contract_money, escrow
from transitions import Move, Process, Table, step

log = logging.getLogger(__name__)

S, A = CaseState, CaseAction
CLIENT, DESIGNER, PLATFORM, STAFF = "client", "designer", "platform", "staff"


PREVIOUS = None  # as a next state: back to the state the case had before its dispute

# (state, action)                        → next state    who may                money effect    notification
TRANSITIONS = Table(
    {
        (None, A.send): step(S.requested, "client", None, "case_new"),
        (S.requested, A.accept): step(S.in_progress, "designer", "capture", "case_accepted"),
        (S.requested, A.reject): step(S.rejected, "designer", "release", "case_rejected"),
        (S.requested, A.cancel): step(S.cancelled, "client platform", "release", "case_cancelled"),
        (S.requested, A.expire): step(S.expired, "platform", "release", "case_expired"),
        (S.in_progress, A.deliver): step(S.delivered, "designer", None, "case_delivered"),
        (S.delivered, A.deliver): step(S.delivered, "designer", None, "case_delivered"),
        (S.delivered, A.request_revision): step(S.in_progress, "client", None, "case_revision"),
        (S.in_progress, A.grant_revisions): step(S.in_progress, "designer", None, None),
        (S.delivered, A.grant_revisions): step(S.delivered, "designer", None, None),
        (S.in_progress, A.cancel_undelivered): step(S.cancelled, "client", "refund", "case_cancelled"),
        (S.delivered, A.complete): step(S.completed, "client", "pay_out", "case_completed"),
        (S.delivered, A.auto_complete): step(S.completed, "platform", "pay_out", "case_completed"),
        (S.in_progress, A.dispute): step(S.disputed, "client platform", None, "case_disputed"),
        (S.delivered, A.dispute): step(S.disputed, "client platform", None, "case_disputed"),
        (S.disputed, A.resolve): step(S.resolved, "staff", "settle", "case_resolved"),
        (S.disputed, A.settle): step(S.resolved, "client designer", "settle", "case_resolved"),
        (S.disputed, A.withdraw_dispute): step(PREVIOUS, "client", None, None),
    }
)
ACTIONS = TRANSITIONS.actions
CLOSED_STATES = (S.completed, S.cancelled, S.rejected, S.expired, S.resolved)


def role_of(case: Case, actor: User | None) -> str | None:
    """The actor's part in this case: client, designer, staff (resolution centre), platform (None)."""
    if actor is None:
        return PLATFORM
    if actor.id == case.client_id:
        return CLIENT
    if actor.id == case.designer_id:
        return DESIGNER
    if actor.has_staff_power(StaffRole.resolution_agent):
        return STAFF
    return None


def allowed_actions(case: Case, actor: User | None, *, now: datetime | None = None) -> list[str]:
    """The actions this actor may take on the case now (the case page shows only these buttons)."""
    role = role_of(case, actor)
    now = now or utcnow()
    return [
        action
        for (state, action), t in TRANSITIONS.items()
        if state == case.state and role in t.by and _blocker(case, action, now) is None
    ]


def apply_action(case: Case, action: str, *, actor: User | None, now: datetime | None = None, **params) -> Case:
    """Apply `action` to the case for `actor` (None = the platform) and return the locked case.

    Raises NotFound when the actor has no part in the case, PermissionDenied when their
    role may not take this action, InvalidTransition when the state does not allow it now
    (already done, overtaken by the other side or a deadline), DomainError for bad input,
    escrow.PaymentFailed when the gateway refuses or cannot be reached.
    """
    # Locked first (by the row's identity, without reloading an expired object), so the parties
    # come with the locked row: role_of and the notices then read them without a query of their own.
    case = _lock_case(case)
    role = role_of(case, actor)
    if role is None:
        raise NotFound(_l("This case does not exist."))
    return CASE_PROCESS.apply(case, action, role=role, actor=actor, locked=True, now=now or utcnow(), **params).obj


def lock_case(reference: str) -> Case | None:
    """The case of this reference under its row lock (None if there is none), for a page about to
    apply an action to it: the action then takes it as it is, without reading the row again."""
    case = _locked(Case.reference == reference)
    if case is not None:
        transaction = db.session().get_transaction()
        held, locked = db.session.info.get(_LOCKED, (None, set()))
        locked = locked if held is transaction else set()
        locked.add(case.id)
        db.session.info[_LOCKED] = (transaction, locked)
    return case


def _lock_case(case: Case) -> Case:
    """The case's row under FOR UPDATE, or the case itself while it is new (a request being sent)
    or was locked by lock_case in this transaction (read then, as committed; no one wrote it since)."""
    identity = sa.inspect(case).identity
    if identity is None:
        return case
    transaction, locked = db.session.info.get(_LOCKED, (None, ()))
    if transaction is db.session().get_transaction() and identity[0] in locked and case in db.session:
        return case
    case = _locked(Case.id == identity[0])
    if case is None:
        raise NotFound(_l("This case does not exist."))
    return case


_LOCKED = "cases_locked"  # session.info: (the transaction, the ids of the cases lock_case locked in it)


def _locked(which) -> Case | None:
    # populate_existing: a row changed by a racing transaction is read as committed, not as cached.
    # The client and designer come in the same statement (only the case's row is locked); their
    # staff roles load only if something asks for them (the parties' notices do not).
    parties = (
        joinedload(Case.client).options(lazyload(User.roles)),
        joinedload(Case.designer).options(lazyload(User.roles)),
    )
    case = db.session.execute(
        sa.select(Case)
        .where(which)
        .options(*parties)
        .with_for_update(of=Case)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    return case


# -- the checks an action adds to the table, as a reason (None = allowed) -------------------
def _blocker(case: Case, action: str, now: datetime):
    if action == "expire" and not (case.accept_by and now >= case.accept_by):
        return _l("The request is still within its acceptance time.")
    # Checked here, not left to the sweep: a late sweep must not let a request be accepted.
    if action == "accept" and case.accept_by and now >= case.accept_by:
        return _l(
            "The time to accept this request has passed (%(date)s UTC): it expires and the client's card "
            "hold is released.",
            date=case.accept_by.strftime("%Y-%m-%d %H:%M"),
        )
    if action == "auto_complete" and not (case.auto_complete_at and now >= case.auto_complete_at):
        return _l("The case does not complete automatically yet.")
    if action == "cancel_undelivered":
        if case.last_delivered_at is not None:
            return _l("The designer has delivered: complete the case, ask for a revision, or open a dispute.")
        if not (case.late_cancel_from and now >= case.late_cancel_from):
            return _l(
                "You can cancel an accepted case only if nothing is delivered %(days)d days after acceptance.",
                days=deadlines.delivery_grace_days(),
            )
    if action == "request_revision":
        if case.revisions_left <= 0:
            return _l(
                "No revisions are left on this case. Ask the designer to grant one, complete the case, "
                "or open a dispute."
            )
        if case.undelivered_limit_at and now >= case.undelivered_limit_at:
            return _l(
                "Revisions are closed on this case because its payment cannot stay in escrow longer. "
                "Complete the case or open a dispute."
            )
    return None


# -- what each action writes on the case: returns (event note, event data) ------------------
def _send(case: Case, now: datetime, **_params):
    case.created_at = now
    case.accept_by = deadlines.accept_by(now)
    return None, {"amount_cents": case.amount_cents, "quantity": case.quantity}


def _accept(case: Case, now: datetime, **_params):
    case.accept_by = None
    case.accepted_at = now
    case.late_cancel_from = deadlines.late_cancel_from(now)
    case.undelivered_limit_at = deadlines.undelivered_limit_at(now)
    case.escrow_limit_at = deadlines.escrow_limit_at(now)
    case.due_at = deadlines.due_at(now, case.turnaround_days)
    case.due_reminder_at = deadlines.due_reminder_at(now, case.due_at)
    return None, {"due_at": case.due_at.isoformat()}


def _with_reason(required: bool):
    def fields(case: Case, now: datetime, *, reason: str = "", **_params):
        reason = (reason or "").strip()
        if required and not reason:
            raise DomainError(_l("Please give a reason."), field="reason")
        case.accept_by = None
        case.auto_complete_at = None
        case.due_reminder_at = None
        return reason or None, {}

    return fields


def _deliver(case: Case, now: datetime, *, note: str = "", files=(), **_params):
    note = (note or "").strip()
    if not files:
        raise DomainError(_l("Attach at least one file to the delivery."), field="files")
    number = len(case.deliveries) + 1
    delivery = Delivery(number=number, note=note, delivered_at=now)
    case.deliveries.append(delivery)
    db.session.flush()
    for stored in files:
        db.session.add(
            CaseFile(
                case_id=case.id, file_id=stored.id, role=CaseFileRole.delivery, delivery_id=delivery.id, added_at=now
            )
        )
    case.last_delivered_at = now
    case.due_reminder_at = None
    case.auto_complete_at = deadlines.auto_complete_at(case, now)
    return note or None, {"delivery": number, "files": [f.id for f in files]}


def _request_revision(case: Case, now: datetime, *, note: str = "", **_params):
    note = (note or "").strip()
    if not note:
        raise DomainError(_l("Say what should change in the design."), field="note")
    case.revisions_used += 1
    case.auto_complete_at = None
    if case.deliveries:
        case.deliveries[-1].revision_request = note
    return note, {"revision": case.revisions_used, "of": case.revisions_allowed}


def _grant_revisions(case: Case, now: datetime, *, count: int = 1, **_params):
    if not isinstance(count, int) or not 1 <= count <= 10:
        raise DomainError(_l("Grant between 1 and 10 extra revisions."), field="count")
    case.extra_revisions += count
    return None, {"granted": count, "allowed": case.revisions_allowed}


def _complete(case: Case, now: datetime, **_params):
    case.auto_complete_at = None
    return None, {"paid_out_cents": case.earnings_cents, "fee_cents": case.fee_cents}


def _dispute(case: Case, now: datetime, *, reason: str = "", statement: str = "", **_params):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please say why you open a dispute."), field="reason")
    case.auto_complete_at = None
    return reason, {"statement": (statement or "").strip()}


def _state_before_dispute(case: Case) -> CaseState:
    """Where a withdrawn dispute returns the case: the state its last "dispute" event left."""
    from_state = db.session.scalar(
        sa.select(CaseEvent.from_state)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "dispute")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return CaseState(from_state)


def _withdraw_dispute(case: Case, now: datetime, **_params):
    # Back in "delivered", the client again has the full time to decide, still capped by
    # ESCROW_RELEASE_DAYS after acceptance so the money leaves escrow in time.
    if _state_before_dispute(case) == S.delivered:
        case.auto_complete_at = deadlines.auto_complete_at(case, now)
    return None, {}


def _resolve(case: Case, now: datetime, *, refund_cents: int, note: str = "", **_params):
    if not isinstance(refund_cents, int) or not 0 <= refund_cents <= case.amount_cents:
        raise DomainError(_l("The refund must be between 0 and the amount of the case."), field="refund")
    return (note or "").strip() or None, {"refund_cents": refund_cents}


_FIELDS = {
    A.send: _send,
    A.accept: _accept,
    A.reject: _with_reason(True),
    A.cancel: _with_reason(False),
    A.expire: _with_reason(False),
    A.cancel_undelivered: _with_reason(False),
    A.deliver: _deliver,
    A.request_revision: _request_revision,
    A.grant_revisions: _grant_revisions,
    A.complete: _complete,
    A.auto_complete: _complete,
    A.dispute: _dispute,
    A.resolve: _resolve,
    A.settle: _resolve,
    A.withdraw_dispute: _withdraw_dispute,
}
assert set(_FIELDS) == set(ACTIONS), "every action in TRANSITIONS needs its fields function"


def _checked_fields(action: str):
    """The action's own checks (a deadline, revisions left), then what it writes on the case."""

    def fields(case: Case, *, now: datetime, actor: User | None = None, **params) -> dict:
        blocker = _blocker(case, action, now)
        if blocker is not None:
            raise InvalidTransition(blocker)
        note, data = _FIELDS[action](case, now, **params)
        if TRANSITIONS[(case.state, action)].to in CLOSED_STATES:
            case.closed_at = now
        if case.id is None:
            db.session.add(case)
        return {"note": note, "data": data}

    return fields


def _money(name: str):
    """A money effect: the payments.escrow function of that name, then the invoices it calls for."""

    def effect(move: Move) -> None:
        case = move.obj
        if case.contract_month_id is not None:
            # Drawn from a monthly contract's allowance: the month holds the money (payments.contract_money).
            contract_money.case_money_effect(case, name, refund_cents=move.params.get("refund_cents", 0))
            return
        # The invoices (a refund after capture: invoice + credit note) are drawn once the money they
        # record is confirmed (payments.movements.escrow_emptied): at once, or by the payout's job.
        getattr(escrow, name)(case, **({"refund_cents": move.params["refund_cents"]} if name == "settle" else {}))

    return effect


def _record(move: Move) -> None:
    """The case event (shown in the thread), an audit row for the platform's and staff's moves,
    and the notice to the other side."""
    case, before, to, now = move.obj, move.before, move.after, move.params["now"]
    event = CaseEvent(
        case_id=case.id,
        actor_id=move.actor.id if move.actor else None,
        action=move.action,
        from_state=before.value if before else None,
        to_state=to.value,
        note=move.detail["note"],
        data=move.detail["data"],
        at=now,
    )
    db.session.add(event)
    db.session.flush()
    if move.role in (PLATFORM, STAFF):
        record_action(
            f"case.{move.action}",
            case,
            actor=move.actor if move.role == STAFF else None,
            before={"state": before.value if before else None},
            after={"state": to.value},
            reason=move.detail["note"],
        )
    notices.announce(case, move.action, event, move.step.notice, actor_role=move.role)


def _refused(case: Case, _action: str) -> str:
    return _l("This is no longer possible: the case is now “%(state)s”.", state=STATE_LABELS[case.state])


CASE_PROCESS = Process(
    "case",
    TRANSITIONS,
    lock=_lock_case,
    event=_record,
    refused=_refused,
    denied=_l("You cannot do this on this case."),
    fields={action: _checked_fields(action) for action in ACTIONS},
    effects={name: _money(name) for name in ("capture", "release", "refund", "pay_out", "settle")},
    next_state=lambda case, _action: _state_before_dispute(case),
)


# -- the verbs other code calls ---------------------------------------------------------------
def accept_case(case: Case, *, actor: User, now: datetime | None = None) -> Case:
    """The designer accepts the request: the hold is captured into escrow. Raises as apply_action."""
    return apply_action(case, "accept", actor=actor, now=now)


def reject_case(case: Case, *, actor: User, reason: str, now: datetime | None = None) -> Case:
    """The designer refuses the request with a reason: the hold is released. Raises as apply_action."""
    return apply_action(case, "reject", actor=actor, reason=reason, now=now)


def cancel_case(case: Case, *, actor: User | None, reason: str = "", now: datetime | None = None) -> Case:
    """Cancel the case for the client: a request's hold is released (nothing charged); an accepted
    case with nothing delivered DELIVERY_GRACE_DAYS after acceptance is refunded in full."""
    action = "cancel_undelivered" if case.state == S.in_progress else "cancel"
    return apply_action(case, action, actor=actor, reason=reason, now=now)


def deliver_case(case: Case, *, actor: User, note: str, files, now: datetime | None = None) -> Case:
    """The designer delivers files (StoredFile rows they uploaded) and a note; the 30-day
    auto-completion clock restarts. Raises as apply_action, DomainError without files."""
    return apply_action(case, "deliver", actor=actor, note=note, files=list(files), now=now)


def request_revision(case: Case, *, actor: User, note: str, now: datetime | None = None) -> Case:
    """The client asks for changes to the last delivery, using one revision. Raises as apply_action."""
    return apply_action(case, "request_revision", actor=actor, note=note, now=now)


def grant_revisions(case: Case, *, actor: User, count: int = 1, now: datetime | None = None) -> Case:
    """The designer agrees to more revisions than the listing includes. Raises as apply_action."""
    return apply_action(case, "grant_revisions", actor=actor, count=count, now=now)


def complete_case(case: Case, *, actor: User, now: datetime | None = None) -> Case:
    """ "Transaction complete": the designer is paid amount − fee. Raises as apply_action."""
    return apply_action(case, "complete", actor=actor, now=now)


def auto_complete_case(case: Case, *, now: datetime | None = None) -> Case:
    """The platform completes a delivered case whose auto-completion date passed (pays out)."""
    return apply_action(case, "auto_complete", actor=None, now=now)


def expire_case(case: Case, *, now: datetime | None = None) -> Case:
    """The platform expires a request not accepted in time: the hold is released."""
    return apply_action(case, "expire", actor=None, reason="not accepted in time", now=now)


def dispute_case(
    case: Case, *, actor: User | None, reason: str, statement: str = "", now: datetime | None = None
) -> Case:
    """Stop the transaction: nothing is paid out until the resolution centre rules.
    Opened by the client, or by the platform (actor None). Raises as apply_action."""
    return apply_action(case, "dispute", actor=actor, reason=reason, statement=statement, now=now)


def resolve_case(case: Case, *, actor: User, refund_cents: int, note: str = "", now: datetime | None = None) -> Case:
    """The resolution centre rules: `refund_cents` go back to the client, the rest is paid to the
    designer minus the fee on that part. Raises as apply_action (PermissionDenied for non-agents)."""
    return apply_action(case, "resolve", actor=actor, refund_cents=refund_cents, note=note, now=now)


def settle_case(case: Case, *, actor: User, refund_cents: int, note: str = "", now: datetime | None = None) -> Case:
    """The parties settled their dispute (one accepted the other's proposal): the money moves as
    a ruling that splits would. Called by disputes.operations, which checks the proposal.
    Raises as apply_action."""
    return apply_action(case, "settle", actor=actor, refund_cents=refund_cents, note=note, now=now)


def withdraw_case_dispute(case: Case, *, actor: User, now: datetime | None = None) -> Case:
    """The client withdraws their dispute: the case returns to the state it had before it
    (in progress, or delivered with the auto-completion clock restarted). Raises as apply_action."""
    return apply_action(case, "withdraw_dispute", actor=actor, now=now)
