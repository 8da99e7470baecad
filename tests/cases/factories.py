"""Cases in any state, made through the real process (orders, holds, transitions)."""

from __future__ import annotations

from datetime import datetime, timedelta

from cases import process
from cases.ordering import send_case
from extensions import commit, db
from models.cases import Case, CaseOrder, CaseState, CaseUnit
from models.files import FileKind
from models.types import utcnow
from payments import escrow
from payments.fees import platform_fee
from payments.gateways.sandbox import SUCCEEDS
from tests.factories import make_user


def order_page(client, listing_id: int, **args) -> str:
    """The order page's address with the one-time token it is issued (the page redirects to it)."""
    query = "".join(f"&{key}={value}" for key, value in args.items())
    response = client.get(f"/cases/new?listing_id={listing_id}{query}")
    assert response.status_code == 303, response.status_code
    return response.location


def make_parties():
    return make_user(client=True), make_user(client=False, designer=True)


def design_file(owner, name: str = "crown.stl", kind: FileKind = FileKind.design):
    from files.operations import store_file

    return store_file([b"solid crown\nendsolid crown\n"], owner=owner, filename=name, kind=kind)


def make_case(
    client=None,
    designer=None,
    *,
    amount_cents: int = 12_000,
    quantity: int = 2,
    revisions: int = 1,
    unit: CaseUnit = CaseUnit.tooth,
    now: datetime | None = None,
    card: str = SUCCEEDS,
) -> Case:
    """A case awaiting acceptance, its amount held on the sandbox card; committed."""
    if client is None or designer is None:
        client, designer = make_parties()
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=amount_cents,
        currency="usd",
        terms={
            "title": "Zirconia crowns",
            "unit": unit.value,
            "revisions_included": revisions,
            "turnaround_days": 2,
            "quantity": quantity,
            "unit_price_cents": amount_cents // quantity,
            "fee_cents": platform_fee(amount_cents),
            "prescription": {
                "teeth": {"11": "crown", "21": "crown"},
                "arches": [],
                "material": "zirconia",
                "shade": "A2",
                "parameters": {},
            },
            "instructions": "Light contacts please.",
            "client_case_id": "LAB-1",
            "attachments": [],
        },
    )
    db.session.add(order)
    db.session.flush()
    escrow.place_hold(order, payment_method=card)
    case = send_case(order, actor=client)
    case.created_at = now or utcnow()
    if now is not None:
        case.accept_by = now + timedelta(days=5)
    commit()
    return case


def drive(case: Case, state: CaseState, *, now: datetime | None = None) -> Case:
    """Take a fresh case to `state` through the real transitions; committed."""
    now = now or utcnow()
    client, designer = case.client, case.designer
    path = {
        CaseState.requested: [],
        CaseState.in_progress: ["accept"],
        CaseState.delivered: ["accept", "deliver"],
        CaseState.completed: ["accept", "deliver", "complete"],
        CaseState.cancelled: ["cancel"],
        CaseState.rejected: ["reject"],
        CaseState.expired: ["expire"],
        CaseState.disputed: ["accept", "deliver", "dispute"],
        CaseState.resolved: ["accept", "deliver", "dispute", "resolve"],
    }[state]
    for action in path:
        if action == "accept":
            process.accept_case(case, actor=designer, now=now)
        elif action == "deliver":
            process.deliver_case(case, actor=designer, note="Here it is", files=[design_file(designer)], now=now)
        elif action == "complete":
            process.complete_case(case, actor=client, now=now)
        elif action == "cancel":
            process.cancel_case(case, actor=client, now=now)
        elif action == "reject":
            process.reject_case(case, actor=designer, reason="Too busy", now=now)
        elif action == "expire":
            process.expire_case(case, now=case.accept_by)
        elif action == "dispute":
            process.dispute_case(case, actor=client, reason="Margins are open", now=now)
        elif action == "resolve":
            process.resolve_case(case, actor=make_agent(), refund_cents=case.amount_cents // 2, now=now)
        commit()
    return db.session.get(Case, case.id)


def make_agent():
    from models.accounts import StaffRole

    return make_user(client=False, roles=(StaffRole.resolution_agent,))
