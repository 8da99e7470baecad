"""Reading contracts: the current month, the places used in it, the contracts a user sees."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.accounts import User
from models.cases import Case, CaseState
from models.contracts import Contract, ContractMonth, ContractState

# A case that never went ahead gives its place back to the month.
RETURNED_STATES = (CaseState.cancelled, CaseState.rejected, CaseState.expired)


def current_month(contract: Contract) -> ContractMonth | None:
    """The contract's latest month (running, or the last one before a pause or the end)."""
    return db.session.scalar(
        sa.select(ContractMonth)
        .where(ContractMonth.contract_id == contract.id)
        .order_by(ContractMonth.number.desc())
        .limit(1)
    )


def month_cases(month: ContractMonth) -> list[Case]:
    """The allowance cases of a month, in the order they were sent."""
    return list(db.session.scalars(sa.select(Case).where(Case.contract_month_id == month.id).order_by(Case.id)))


def used_places(month: ContractMonth) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Case)
            .where(Case.contract_month_id == month.id, Case.state.not_in(RETURNED_STATES))
        )
    )


def used_by_month(month_ids: list[int]) -> dict[int, int]:
    """{month id: places used} for several months in one statement."""
    if not month_ids:
        return {}
    rows = db.session.execute(
        sa.select(Case.contract_month_id, sa.func.count())
        .where(Case.contract_month_id.in_(month_ids), Case.state.not_in(RETURNED_STATES))
        .group_by(Case.contract_month_id)
    ).all()
    return {month_id: int(n) for month_id, n in rows}


def place_of(case: Case) -> tuple[int, int] | None:
    """("case 12 of 40"): the case's place in its month's allowance, and the allowance."""
    if case.contract_month_id is None:
        return None
    month = db.session.get(ContractMonth, case.contract_month_id)
    earlier = db.session.scalar(
        sa.select(sa.func.count()).select_from(Case).where(Case.contract_month_id == month.id, Case.id <= case.id)
    )
    return int(earlier), month.allowance


def contracts_of(user: User) -> list[Contract]:
    """The contracts the user is a party to, newest first."""
    return list(
        db.session.scalars(
            sa.select(Contract)
            .where(sa.or_(Contract.client_id == user.id, Contract.designer_id == user.id))
            .order_by(Contract.created_at.desc(), Contract.id.desc())
        )
    )


def contract_for(reference: str, user: User) -> Contract | None:
    """The contract with this reference when the user is one of its parties; None otherwise (a 404)."""
    contract = db.session.scalar(sa.select(Contract).where(Contract.reference == reference))
    if contract is None or user.id not in (contract.client_id, contract.designer_id):
        return None
    return contract


def open_contract_count(user: User) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Contract)
            .where(
                sa.or_(Contract.client_id == user.id, Contract.designer_id == user.id),
                Contract.state.in_((ContractState.active, ContractState.paused, ContractState.ending)),
            )
        )
    )
