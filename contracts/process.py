"""The monthly contract process: one table of transitions, one function that applies them.

Every change of a contract goes through `apply`, which runs the one state-table engine
(transitions.Process): lock the contract row → check the actor's role and the state against
TRANSITIONS and the action's own checks → apply the action's fields and money → write a
ContractEvent → notify the other side after the commit. A repeated
or racing action finds the contract already moved under the lock and is refused with
InvalidTransition. Operations flush; the caller commits once.

Money consequences (payments.contract_money), decided here once:
- accept saves the client's card; months are charged by the sweep at each month's start
  (contracts.months), the first one at once when the start date has come.
- give_notice (either side) ends the contract at the end of the month in which the notice
  period ends: months up to then are charged and paid as usual, none after.
- cancel by the designer stops it now: the unused places of the current month are refunded
  (their share each: the month's price / the cases a month), the rest is paid at the month's
  payout as usual. The client cancels at once only before the first month is charged
  (nothing is charged); afterwards the client gives notice. The platform cancels a contract
  whose month stayed unpaid past CONTRACT_PAYMENT_GRACE_DAYS: the unpaid month is void.
- pause stops new months from starting (the current one runs to its end); resume starts the
  next month at once if the last one ended meanwhile.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from contracts import notices
from contracts.calendar import add_months
from contracts.queries import current_month, used_places
from contracts.terms import ContractTerms, check_terms
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from models.accounts import User
from models.contracts import Contract, ContractEvent, ContractState, MonthState
from models.moderation import ViolationSource
from models.types import utcnow
from audit.trail import record_action
from screening.contact_filter import screen_text
from transitions import Move, Process, Table, step
from payments import contract_money
from profiles.permissions import can_design


S = ContractState
CLIENT, DESIGNER, PLATFORM = "client", "designer", "platform"


# (state, action)                 → next state   who may
TRANSITIONS = Table(
    {
        (None, "offer"): step(S.offered, "designer"),
        (S.offered, "accept"): step(S.active, "client"),
        (S.offered, "decline"): step(S.declined, "client"),
        (S.offered, "withdraw"): step(S.withdrawn, "designer"),
        (S.offered, "expire"): step(S.expired, "platform"),
        (S.active, "pause"): step(S.paused, "client designer"),
        (S.paused, "resume"): step(S.active, "client designer"),
        (S.active, "give_notice"): step(S.ending, "client designer"),
        (S.paused, "give_notice"): step(S.ending, "client designer"),
        (S.active, "renew"): step(S.active, "platform"),
        (S.active, "cancel"): step(S.cancelled, "client designer platform"),
        (S.paused, "cancel"): step(S.cancelled, "client designer platform"),
        (S.ending, "cancel"): step(S.cancelled, "designer platform"),
        (S.active, "end"): step(S.ended, "platform"),
        (S.ending, "end"): step(S.ended, "platform"),
    }
)
ACTIONS = TRANSITIONS.actions
CLOSED = (S.declined, S.withdrawn, S.expired, S.ended, S.cancelled)


def role_of(contract: Contract, actor: User | None) -> str | None:
    if actor is None:
        return PLATFORM
    if actor.id == contract.client_id:
        return CLIENT
    if actor.id == contract.designer_id:
        return DESIGNER
    return None


def allowed_actions(contract: Contract, actor: User | None, *, now: datetime | None = None) -> list[str]:
    """The buttons the contract page shows this actor."""
    role, now = role_of(contract, actor), now or utcnow()
    return [
        action
        for (state, action), t in TRANSITIONS.items()
        if state == contract.state and role in t.by and _blocker(contract, action, role, now) is None
    ]


def lock_contract(contract_id: int) -> Contract:
    contract = db.session.execute(
        sa.select(Contract)
        .where(Contract.id == contract_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if contract is None:
        raise NotFound(_l("This contract does not exist."))
    return contract


def apply(contract: Contract, action: str, *, actor: User | None, now: datetime | None = None, **params) -> Contract:
    """Apply `action` for `actor` (None = the platform) and return the locked contract.

    Raises NotFound when the actor has no part in it, PermissionDenied when their role may
    not, InvalidTransition when the state does not allow it now, DomainError for bad input,
    ContractPaymentFailed when the card cannot be saved or a refund is refused.
    """
    now = now or utcnow()
    new = contract.id is None
    if not new:
        contract = lock_contract(contract.id)
    role = role_of(contract, actor)
    if role is None:
        raise NotFound(_l("This contract does not exist."))
    return CONTRACT_PROCESS.apply(contract, action, role=role, actor=actor, locked=True, now=now, **params).obj


def _checked_fields(action: str):
    """The action's own checks (offer expiry, a paid month), then what it writes on the contract."""

    def fields(contract: Contract, *, now: datetime, actor: User | None = None, **params) -> dict:
        role = role_of(contract, actor)
        blocker = _blocker(contract, action, role, now)
        if blocker is not None:
            raise InvalidTransition(blocker)
        data = _FIELDS[action](contract, now, role=role, **params) or {}
        if TRANSITIONS[(contract.state, action)].to in CLOSED:
            contract.closed_at = now
        if contract.id is None:
            db.session.add(contract)
        return {"data": data}

    return fields


def _record(move: Move) -> None:
    """The contract's event (its history on the page), an audit row for the platform's moves,
    and the notice to the other side."""
    contract, before, now = move.obj, move.before, move.params["now"]
    db.session.add(
        ContractEvent(
            contract_id=contract.id,
            actor_id=move.actor.id if move.actor else None,
            action=move.action,
            from_state=before.value if before else None,
            to_state=move.after.value,
            data=move.detail["data"],
            at=now,
        )
    )
    db.session.flush()
    if move.role == PLATFORM:
        record_action(
            f"contract.{move.action}",
            contract,
            actor=None,
            before={"state": before.value if before else None},
            after={"state": move.after.value},
        )
    notices.announce(contract, move.action, move.role)


def _blocker(contract: Contract, action: str, role: str, now: datetime):
    if action == "expire" and not (contract.offer_expires_at and now >= contract.offer_expires_at):
        return _l("The offer can still be accepted.")
    if action == "accept" and contract.offer_expires_at and now >= contract.offer_expires_at:
        return _l("This offer has expired.")
    if action == "cancel" and role == CLIENT:
        month = current_month(contract)
        if month is not None and month.captured_cents:
            return _l("A month has been paid: give notice instead, the contract then ends at the end of its notice.")
    return None


# -- what each action writes: returns the event's data ------------------------------------------
def _offer(contract: Contract, now: datetime, *, role: str, terms: ContractTerms, client: User, designer: User, **_):
    if not can_design(designer):
        raise PermissionDenied(_l("Only designers can offer contracts."))
    if client is None or not client.is_client or client.id == designer.id:
        raise NotFound(_l("This client does not exist."))
    check_terms(terms, now)
    screen_text({"title": terms.title}, author=designer, source=ViolationSource.listing, source_ref="contract")
    for name in ContractTerms.__dataclass_fields__:
        setattr(contract, name, getattr(terms, name))
    contract.created_at = now
    contract.offer_expires_at = terms.offer_expires_at(now)
    return {"month_price_cents": terms.month_price_cents, "cases_per_month": terms.cases_per_month}


def _accept(
    contract: Contract,
    now: datetime,
    *,
    role: str,
    payment_method: str = "",
    email: str = "",
    card_setup: str = "",
    **_,
):
    if card_setup:  # Stripe: the card was typed in Stripe's form and saved by the browser
        contract_money.use_card_setup(contract, reference=card_setup)
    elif not (payment_method or "").strip():
        raise DomainError(_l("Enter the card the months are charged to."), field="card")
    else:
        contract_money.save_card(contract, payment_method=payment_method.strip(), email=email)
    contract.accepted_at = now
    contract.term_end_month = contract.term_months
    return {"card_last4": contract.card_last4}


def _nothing(contract: Contract, now: datetime, **_):
    return {}


def _resume(contract: Contract, now: datetime, **_):
    contract.resumed_at = now
    return {}


def _give_notice(contract: Contract, now: datetime, **_):
    contract.ends_at = notice_end(contract, now)
    return {"ends_at": contract.ends_at.isoformat()}


def notice_end(contract: Contract, now: datetime) -> datetime:
    """The end of the month in which the notice period ends (no month starts after it)."""
    month = current_month(contract)
    end = month.ends_at if month is not None else contract.starts_at
    limit = now + contract.notice_period
    while end < limit:
        end = add_months(end, 1)
    return end


def _cancel(contract: Contract, now: datetime, *, role: str, **_):
    month = current_month(contract)
    refunded = 0
    if month is not None and month.state in (MonthState.due, MonthState.failed, MonthState.requires_action):
        month.state = MonthState.void  # never paid: nothing is owed
    elif role == DESIGNER and month is not None and month.state == MonthState.captured and now < month.ends_at:
        unused = max(0, month.allowance - used_places(month))
        refunded = min(unused * contract.case_share_cents, month.captured_cents - month.refunded_cents)
        if refunded:
            contract_money.refund_part(month, refunded, reason="cancelled")
    contract.ends_at = now
    return {"refunded_cents": refunded}


def _renew(contract: Contract, now: datetime, **_):
    contract.term_end_month = (contract.term_end_month or 0) + (contract.term_months or 0)
    return {"term_end_month": contract.term_end_month}


_FIELDS = {
    "offer": _offer,
    "accept": _accept,
    "decline": _nothing,
    "withdraw": _nothing,
    "expire": _nothing,
    "pause": _nothing,
    "resume": _resume,
    "give_notice": _give_notice,
    "renew": _renew,
    "cancel": _cancel,
    "end": _nothing,
}
assert set(_FIELDS) == set(ACTIONS), "every action in TRANSITIONS needs its fields function"

CONTRACT_PROCESS = Process(
    "contract",
    TRANSITIONS,
    lock=lambda contract: lock_contract(contract.id),
    event=_record,
    refused=lambda _contract, _action: _l("This is no longer possible on this contract."),
    denied=_l("You cannot do this on this contract."),
    fields={action: _checked_fields(action) for action in ACTIONS},
)


# -- the verbs other code calls --------------------------------------------------------------------
def offer_contract(
    *,
    designer: User,
    client: User,
    terms: ContractTerms,
    conversation_id: int | None = None,
    now: datetime | None = None,
) -> Contract:
    """The designer offers a contract to a client. Raises PermissionDenied (not a designer),
    NotFound (no such client), DomainError (terms), ContactDetailsRefused (contact details)."""
    contract = Contract(designer_id=designer.id, client_id=client.id, conversation_id=conversation_id)
    contract.designer, contract.client = designer, client
    return apply(contract, "offer", actor=designer, terms=terms, client=client, designer=designer, now=now)


def accept_contract(contract: Contract, *, actor: User, payment_method: str, now: datetime | None = None) -> Contract:
    """The client accepts and saves the card the months are charged to. Raises as apply."""
    return apply(contract, "accept", actor=actor, payment_method=payment_method, email=actor.email, now=now)


def accept_contract_with_setup(
    contract: Contract, *, actor: User, card_setup: str, now: datetime | None = None
) -> Contract:
    """The client accepts with the card Stripe's form saved (a confirmed card setup, see
    contract_money.start_card_setup). Raises as apply; a setup that failed or is not this
    contract's changes nothing."""
    return apply(contract, "accept", actor=actor, card_setup=card_setup, now=now)


def decline_contract(contract: Contract, *, actor: User, now: datetime | None = None) -> Contract:
    return apply(contract, "decline", actor=actor, now=now)


def withdraw_contract(contract: Contract, *, actor: User, now: datetime | None = None) -> Contract:
    return apply(contract, "withdraw", actor=actor, now=now)


def pause_contract(contract: Contract, *, actor: User, now: datetime | None = None) -> Contract:
    return apply(contract, "pause", actor=actor, now=now)


def resume_contract(contract: Contract, *, actor: User, now: datetime | None = None) -> Contract:
    return apply(contract, "resume", actor=actor, now=now)


def give_notice(contract: Contract, *, actor: User, now: datetime | None = None) -> Contract:
    return apply(contract, "give_notice", actor=actor, now=now)


def cancel_contract(contract: Contract, *, actor: User | None, now: datetime | None = None) -> Contract:
    return apply(contract, "cancel", actor=actor, now=now)
