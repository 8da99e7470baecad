"""Cases sent under a monthly contract: from the month's allowance, or extra at the contract's price.

An allowance case belongs to the running month (contract_month_id): it has no payment of its
own, its amount is its share of the month (what a ruling on it can refund) and its fee is
taken on the month's payout. Once the month's places are used, a case is an extra case: an
ordinary case at the contract's extra price, held on the contract's saved card and paid like
any case (cases.ordering, payments.escrow), marked with the contract. Both go through the
case process ("send"), so the designer accepts, delivers and is disputed as usual.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from cases.ordering import new_order_token, send_case
from cases.process import apply_action
from contracts.process import lock_contract
from contracts.queries import current_month, used_places
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from models.accounts import User
from models.cases import Case, CaseOrder, CaseUnit
from models.contracts import Contract, ContractMonth, ContractState, MonthState
from models.moderation import ViolationSource
from models.types import utcnow
from screening.contact_filter import screen_text
from payments import escrow
from payments.case_money import format_money
from payments.fees import platform_fee
from payments.gateways.base import HoldStatus


class ExtraCaseNeedsConfirmation(DomainError):
    """The month's places are used: the case is charged at the extra price once confirmed."""


def sending_month(contract: Contract, now: datetime) -> ContractMonth:
    """The month a new case is sent in, or DomainError saying why none can be sent now."""
    if contract.state == ContractState.paused:
        raise InvalidTransition(_l("The contract is paused: resume it to send cases."))
    if contract.state not in (ContractState.active, ContractState.ending):
        raise InvalidTransition(_l("This contract is not running."))
    month = current_month(contract)
    if month is None or not month.starts_at <= now < month.ends_at:
        raise InvalidTransition(_l("No month of this contract is running now."))
    if month.state not in (MonthState.captured, MonthState.held):
        raise InvalidTransition(
            _l("This month is not paid yet: new cases are paused until it is. Pay it on the contract page.")
        )
    return month


def send_contract_case(
    contract: Contract,
    *,
    actor: User,
    instructions: str,
    client_case_id: str = "",
    extra_confirmed: bool = False,
    now: datetime | None = None,
) -> Case:
    """The client sends a case under the contract. Raises NotFound (not the client),
    InvalidTransition (not running, paused, month unpaid), DomainError (no instructions),
    ExtraCaseNeedsConfirmation (places used, not confirmed), ContactDetailsRefused, and
    DomainError when the saved card refuses an extra case's hold."""
    now = now or utcnow()
    contract = lock_contract(contract.id)
    if actor.id != contract.client_id:
        raise NotFound(_l("This contract does not exist."))
    instructions, client_case_id = (instructions or "").strip(), (client_case_id or "").strip()[:64]
    if len(instructions) < 10:
        raise DomainError(_l("Describe the case in a few words (at least 10 characters)."), field="instructions")
    month = sending_month(contract, now)
    month = db.session.execute(
        sa.select(ContractMonth).where(ContractMonth.id == month.id).with_for_update()
    ).scalar_one()
    screen_text(
        {"instructions": instructions, "client_case_id": client_case_id},
        author=actor,
        source=ViolationSource.case_instructions,
        source_ref=f"contract:{contract.id}",
    )
    if used_places(month) < month.allowance:
        return _allowance_case(contract, month, actor, instructions, client_case_id, now)
    if not extra_confirmed:
        raise ExtraCaseNeedsConfirmation(
            _l(
                "The %(n)s cases of this month are used. Send it as an extra case at %(price)s?",
                n=month.allowance,
                price=format_money(contract.extra_case_cents, contract.currency),
            )
        )
    return _extra_case(contract, actor, instructions, client_case_id, now)


def _new_case(contract: Contract, actor: User, instructions: str, client_case_id: str, amount: int, fee: int) -> Case:
    case = Case(
        client_id=contract.client_id,
        designer_id=contract.designer_id,
        listing_title=contract.title,
        unit=CaseUnit.tooth,
        revisions_included=contract.revisions_included,
        turnaround_days=contract.turnaround_days,
        quantity=1,
        unit_price_cents=amount,
        amount_cents=amount,
        fee_cents=fee,
        currency=contract.currency,
        prescription={},
        instructions=instructions,
        client_case_id=client_case_id or None,
        contract_id=contract.id,
    )
    case.client, case.designer = actor, contract.designer
    return case


def _allowance_case(
    contract: Contract, month: ContractMonth, actor: User, instructions: str, client_case_id: str, now: datetime
) -> Case:
    case = _new_case(contract, actor, instructions, client_case_id, contract.case_share_cents, 0)
    case.contract_month_id = month.id
    return apply_action(case, "send", actor=actor, now=now)


def _extra_case(contract: Contract, actor: User, instructions: str, client_case_id: str, now: datetime) -> Case:
    amount = contract.extra_case_cents
    order = CaseOrder(
        token=new_order_token(),
        client_id=contract.client_id,
        designer_id=contract.designer_id,
        amount_cents=amount,
        currency=contract.currency,
        terms={
            "title": contract.title,
            "unit": CaseUnit.tooth.value,
            "revisions_included": contract.revisions_included,
            "turnaround_days": contract.turnaround_days,
            "quantity": 1,
            "unit_price_cents": amount,
            "fee_cents": platform_fee(amount),
            "prescription": {},
            "instructions": instructions,
            "client_case_id": client_case_id or None,
            "attachments": [],
            "contract_id": contract.id,
        },
    )
    db.session.add(order)
    db.session.flush()
    _payment, hold = escrow.place_hold(
        order, payment_method=contract.payment_method_reference, customer=contract.customer_reference
    )
    if hold.status != HoldStatus.held:
        raise DomainError(
            hold.decline_reason or _l("The saved card was declined for the extra case. Update the card first."),
            field="card",
        )
    case = send_case(order, actor=actor, now=now)
    case.contract_id = contract.id
    db.session.flush()
    return case
