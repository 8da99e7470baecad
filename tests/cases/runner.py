"""Run any action of the process table on a case as a given role, with valid input and a `now`
that satisfies the action's own deadline checks."""

from __future__ import annotations

from datetime import timedelta

from cases import process
from models.cases import Case
from models.types import utcnow
from tests.cases.factories import design_file, make_agent


def actor_for(case: Case, role: str):
    return {
        "client": case.client,
        "designer": case.designer,
        "platform": None,
        "staff": make_agent() if role == "staff" else None,
    }[role]


def moment_for(case: Case, action: str):
    if action == "expire":
        return case.accept_by or utcnow()
    if action == "auto_complete":
        return case.auto_complete_at or utcnow()
    if action == "cancel_undelivered":
        return case.late_cancel_from or utcnow()
    return utcnow() + timedelta(seconds=1)


def params_for(case: Case, action: str, actor) -> dict:
    if action == "deliver":
        return {"note": "Design attached", "files": [design_file(case.designer)]}
    if action in ("reject", "dispute"):
        return {"reason": "Because"}
    if action == "request_revision":
        return {"note": "Open the contact on 12"}
    if action == "grant_revisions":
        return {"count": 1}
    if action in ("resolve", "settle"):
        return {"refund_cents": case.amount_cents // 4}
    return {}


def run(case: Case, action: str, role: str) -> Case:
    actor = actor_for(case, role)
    return process.apply_action(
        case, action, actor=actor, now=moment_for(case, action), **params_for(case, action, actor)
    )
