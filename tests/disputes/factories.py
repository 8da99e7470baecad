"""Disputes' factories: real cases, paid through the gateway into escrow, by the case process."""

from __future__ import annotations

import io

from cases import process
from disputes import operations
from extensions import commit, db
from files.operations import store_file
from models.accounts import StaffRole, User
from models.cases import Case, CaseOrder, CaseState, CaseUnit
from models.files import FileKind
from payments import escrow
from tests.factories import make_user

STATEMENT = "The margins of tooth 36 are open by half a millimetre, as the photos show."
ANSWER = "The margins follow the scan exactly; the scan itself is blurred around tooth 36."


def people() -> tuple[User, User, User]:
    """A client, a designer and a resolution agent."""
    return (
        make_user(name="Lab North"),
        make_user(name="Dana Designer", client=False, designer=True),
        make_user(name="Alex Agent", roles=(StaffRole.resolution_agent,)),
    )


def stored(owner: User, name: str = "design.txt", body: bytes = b"solid crown\n", kind=FileKind.design):
    return store_file(iter([body]), owner=owner, filename=name, kind=kind)


def case_in_escrow(client: User, designer: User, *, amount_cents: int = 10_000, delivered: bool = True) -> Case:
    """A case accepted (its payment captured into escrow) and, by default, delivered once."""
    order = CaseOrder(client_id=client.id, designer_id=designer.id, terms={}, amount_cents=amount_cents, currency="usd")
    db.session.add(order)
    db.session.flush()
    escrow.place_hold(order, payment_method="pm_card_visa")
    case = Case(
        client_id=client.id,
        designer_id=designer.id,
        listing_title="Zirconia crown",
        unit=CaseUnit.tooth,
        revisions_included=2,
        turnaround_days=2,
        quantity=1,
        unit_price_cents=amount_cents,
        amount_cents=amount_cents,
        fee_cents=0,
        currency="usd",
        prescription={"teeth": {"36": "crown"}, "material": "zirconia", "shade": "A2"},
        instructions="Anatomic crown on 36, contact points tight.",
    )
    case = process.apply_action(case, "send", actor=client)
    escrow.attach_payment(order, case)
    process.accept_case(case, actor=designer)
    if delivered:
        process.deliver_case(case, actor=designer, note="First design", files=[stored(designer)])
    commit()
    return case


def disputed(client: User, designer: User, **kwargs):
    case = case_in_escrow(client, designer, **kwargs)
    dispute = operations.open_dispute(case, actor=client, reason="poor_quality", statement=STATEMENT)
    commit()
    return case, dispute


def upload(name: str = "photo.png", body: bytes = b"\x89PNG\r\n\x1a\n fake") -> tuple[str, object]:
    return name, io.BytesIO(body)


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def state(case: Case) -> CaseState:
    return reload(case).state
