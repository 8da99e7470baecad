"""Demo disputes: one waiting for the resolution centre (answered, a settlement on the table),
one ruled with a split; and a dispute row for every demo case already disputed by another path.
Everything goes through cases.process and disputes.operations, dated in the recent past."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cases import process
from cases.ordering import send_case
from demo.accounts import demo_user
from demo.meshes import crown_stl
from disputes import operations
from extensions import commit, db
from files.operations import store_file
from models.cases import Case, CaseOrder, CaseState
from models.disputes import Dispute
from models.files import FileKind
from models.types import utcnow
from payments import escrow
from payments.fees import platform_fee
from payments.gateways.sandbox import SUCCEEDS


# (demo id, client, designer, teeth, days ago it was sent, ruled?)
DEMO_DISPUTES = [
    ("DEMO-D1", "lab", "designer", {"36": "crown", "37": "crown"}, 9, False),
    ("DEMO-D2", "client", "designer2", {"11": "veneer", "21": "veneer", "12": "veneer"}, 25, True),
]
STATEMENT = (
    "The prescription asks for shade A2 and 50 µm cement gap; the delivered design has no cement gap "
    "at all and the crown on 37 does not touch 36. Screenshots of both are attached."
)
ANSWER = (
    "The cement gap is set in the exported STL parameters (see the project file in delivery 1); the "
    "contact on 37 follows the scan, which shows 36 already reduced."
)
REASONING = (
    "The thread shows the cement gap was asked twice and the delivered file has none, but the veneers on "
    "11 and 21 were accepted in writing. Two of three units are paid; the third is refunded."
)


def _email(name: str) -> str:
    return f"{name}@demo.occlusa.com"


def _delivered_case(ref: str, client, designer, teeth: dict, sent_at) -> Case:
    amount = 1_450 * len(teeth)
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=amount,
        currency="usd",
        terms={
            "title": "Anatomic zirconia crowns (exocad)",
            "unit": "tooth",
            "revisions_included": 1,
            "turnaround_days": 2,
            "unit_price_cents": 1_450,
            "quantity": len(teeth),
            "fee_cents": platform_fee(amount),
            "prescription": {
                "teeth": teeth,
                "arches": [],
                "material": "zirconia",
                "shade": "A2",
                "parameters": {"cement_gap_um": 50, "contacts": "normal"},
            },
            "instructions": "Cement gap 50 µm, tight contacts, shade A2.",
            "client_case_id": ref,
            "attachments": [],
        },
    )
    db.session.add(order)
    db.session.flush()
    escrow.place_hold(order, payment_method=SUCCEEDS)
    case = send_case(order, actor=client)
    case.created_at = sent_at
    for event in case.events:
        event.at = sent_at
    process.accept_case(case, actor=designer, now=sent_at + timedelta(hours=5))
    design = store_file([crown_stl()], owner=designer, filename=f"{ref.lower()}-design.stl", kind=FileKind.design)
    process.deliver_case(
        case, actor=designer, note="Design attached, margins checked.", files=[design], now=sent_at + timedelta(days=2)
    )
    return case


def seed_disputes() -> list[str]:
    lines = []
    for ref, client_name, designer_name, teeth, days_ago, ruled in DEMO_DISPUTES:
        client, designer = demo_user(_email(client_name)), demo_user(_email(designer_name))
        if db.session.scalar(sa.select(Case.id).where(Case.client_id == client.id, Case.client_case_id == ref)):
            continue
        sent_at = utcnow() - timedelta(days=days_ago)
        case = _delivered_case(ref, client, designer, teeth, sent_at)
        opened = sent_at + timedelta(days=3)
        dispute = operations.open_dispute(
            case, actor=client, reason="not_per_prescription", statement=STATEMENT, now=opened
        )
        operations.answer_dispute(dispute, actor=designer, statement=ANSWER, now=opened + timedelta(days=1))
        operations.propose_settlement(
            dispute,
            actor=designer,
            designer_cents=case.amount_cents * 2 // 3,
            note="Two of the three units were accepted in the thread.",
            now=opened + timedelta(days=1),
        )
        if ruled:
            operations.rule_dispute(
                dispute,
                actor=demo_user(_email("agent")),
                outcome="split",
                designer_cents=case.amount_cents * 2 // 3,
                reasoning=REASONING,
                now=opened + timedelta(days=4),
            )
        commit()
        lines.append(f"dispute on case {case.reference} ({ref}): {dispute.state.value}")
    # Demo cases disputed through the case page get the row the resolution centre works from.
    for case_id in db.session.scalars(sa.select(Case.id).where(Case.state == CaseState.disputed)).all():
        if db.session.scalar(sa.select(Dispute.id).where(Dispute.case_id == case_id)) is None:
            dispute = operations.record_missing_dispute(db.session.get(Case, case_id))
            commit()
            lines.append(f"dispute row for case {dispute.case.reference}")
    return lines
