"""Demo cases in every state between the demo clients and designers, made through the real
process (sandbox holds, transitions, ledger journals), dated in the recent past."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cases import process, reviews
from cases.ordering import send_case
from demo.accounts import demo_user
from demo.meshes import arch_stl, crown_stl
from extensions import commit, db
from files.operations import store_file
from models.cases import Case, CaseOrder, CaseState
from models.files import FileKind
from models.types import utcnow
from payments import escrow
from payments.fees import platform_fee
from payments.gateways.sandbox import SUCCEEDS

CROWNS = {
    "title": "Anatomic zirconia crowns (exocad)",
    "unit": "tooth",
    "revisions_included": 2,
    "turnaround_days": 2,
    "unit_price_cents": 900,
}
BRIDGE = {
    "title": "Bridges up to 6 units, full contour",
    "unit": "tooth",
    "revisions_included": 1,
    "turnaround_days": 3,
    "unit_price_cents": 1200,
}
GUARD = {
    "title": "Night guards, both arches",
    "unit": "arch",
    "revisions_included": 2,
    "turnaround_days": 2,
    "unit_price_cents": 2500,
}

# (demo id, client, designer, terms, teeth or arches, target state, days ago it was sent)
DEMO_CASES = [
    ("DEMO-01", "client", "designer", CROWNS, {"36": "crown", "46": "crown"}, CaseState.requested, 1),
    (
        "DEMO-02",
        "lab",
        "designer",
        BRIDGE,
        {"14": "bridge_abutment", "15": "pontic", "16": "bridge_abutment"},
        CaseState.in_progress,
        3,
    ),
    ("DEMO-03", "client", "designer2", CROWNS, {"11": "crown", "21": "veneer"}, CaseState.delivered, 6),
    ("DEMO-04", "lab", "designer2", CROWNS, {"26": "crown"}, CaseState.completed, 20),
    ("DEMO-05", "client", "designer3", GUARD, ["upper"], CaseState.cancelled, 9),
    ("DEMO-06", "lab", "designer", CROWNS, {"47": "onlay"}, CaseState.rejected, 12),
    (
        "DEMO-07",
        "client",
        "designer2",
        BRIDGE,
        {"34": "bridge_abutment", "35": "pontic", "36": "bridge_abutment"},
        CaseState.expired,
        15,
    ),
    ("DEMO-08", "lab", "designer3", CROWNS, {"12": "veneer", "22": "veneer"}, CaseState.disputed, 14),
    ("DEMO-09", "client", "designer3", GUARD, ["upper", "lower"], CaseState.resolved, 30),
    ("DEMO-10", "client", "designer", CROWNS, {"16": "crown", "17": "crown", "26": "crown"}, CaseState.completed, 40),
]


def _email(name: str) -> str:
    return f"{name}@demo.occlusa.com"


def _scans(client) -> list[int]:
    """The client's upper and lower scans for a case, as an order attaches them."""
    return [
        store_file([arch_stl(upper)], owner=client, filename=f"{side}-arch-scan.stl", kind=FileKind.patient_scan).id
        for upper, side in ((True, "upper"), (False, "lower"))
    ]


def _send(ref: str, client, designer, terms: dict, selection, sent_at) -> Case:
    teeth = selection if isinstance(selection, dict) else {}
    arches = selection if isinstance(selection, list) else []
    quantity = len(teeth) or len(arches)
    amount = terms["unit_price_cents"] * quantity
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=amount,
        currency="usd",
        terms={
            **{k: terms[k] for k in ("title", "unit", "revisions_included", "turnaround_days", "unit_price_cents")},
            "quantity": quantity,
            "fee_cents": platform_fee(amount),
            "prescription": {
                "teeth": teeth,
                "arches": arches,
                "material": "zirconia",
                "shade": "A2",
                "parameters": {"cement_gap_um": 50, "contacts": "normal"},
            },
            "instructions": "Please keep the occlusion light; upper and lower scans attached.",
            "client_case_id": ref,
            "attachments": _scans(client),
        },
    )
    db.session.add(order)
    db.session.flush()
    escrow.place_hold(order, payment_method=SUCCEEDS)
    case = send_case(order, actor=client)
    case.created_at = sent_at
    case.accept_by = sent_at + timedelta(days=5)
    for event in case.events:
        event.at = sent_at
    return case


def _deliver(case: Case, at, note: str) -> None:
    stored = store_file(
        [crown_stl()], owner=case.designer, filename=f"{case.client_case_id.lower()}-design.stl", kind=FileKind.design
    )
    process.deliver_case(case, actor=case.designer, note=note, files=[stored], now=at)


def _advance(case: Case, state: CaseState, sent_at) -> None:
    day = timedelta(days=1)
    if state == CaseState.cancelled:
        process.cancel_case(case, actor=case.client, reason="Sent to the wrong designer", now=sent_at + day)
        return
    if state == CaseState.rejected:
        process.reject_case(
            case, actor=case.designer, reason="Onlays on second molars are outside my scope.", now=sent_at + day
        )
        return
    if state == CaseState.expired:
        process.expire_case(case, now=sent_at + 5 * day)
        return
    if state == CaseState.requested:
        return
    process.accept_case(case, actor=case.designer, now=sent_at + 0.2 * day)
    if state == CaseState.in_progress:
        return
    _deliver(case, sent_at + 2 * day, "First proposal: STL and screenshots of the margins.")
    if state == CaseState.delivered:
        return
    if state == CaseState.completed:
        process.request_revision(
            case, actor=case.client, note="Open the contact with 25 slightly.", now=sent_at + 3 * day
        )
        _deliver(case, sent_at + 4 * day, "Contact opened by 0.05 mm.")
        process.complete_case(case, actor=case.client, now=sent_at + 5 * day)
        reviews.post_review(case, actor=case.client, stars=5, text="Precise margins, quick revision.")
        reviews.post_review(case, actor=case.designer, stars=5, text="Clear prescription and good scans.")
        return
    process.dispute_case(
        case,
        actor=case.client,
        reason="The design does not match the prescription",
        statement="Veneers were designed as full crowns.",
        now=sent_at + 4 * day,
    )
    if state == CaseState.resolved:
        process.resolve_case(
            case,
            actor=demo_user(_email("agent")),
            refund_cents=case.amount_cents // 2,
            note="Half refunded: both arches delivered, one unusable.",
            now=sent_at + 8 * day,
        )


def seed_cases() -> list[str]:
    lines = []
    for ref, client_name, designer_name, terms, selection, state, days_ago in DEMO_CASES:
        client, designer = demo_user(_email(client_name)), demo_user(_email(designer_name))
        if db.session.scalar(sa.select(Case.id).where(Case.client_id == client.id, Case.client_case_id == ref)):
            continue
        sent_at = utcnow() - timedelta(days=days_ago)
        case = _send(ref, client, designer, terms, selection, sent_at)
        _advance(case, state, sent_at)
        commit()
        lines.append(f"case {case.reference} ({ref}) {state.value}: {client_name} → {designer_name}")
    return lines
