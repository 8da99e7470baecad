"""How case states read to people (the FAQ's names), and the badge each one wears."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models.cases import CaseState

STATE_LABELS = {
    CaseState.requested: _l("Awaiting designer acceptance"),
    CaseState.in_progress: _l("In progress"),
    CaseState.delivered: _l("Delivered"),
    CaseState.completed: _l("Completed"),
    CaseState.cancelled: _l("Cancelled"),
    CaseState.rejected: _l("Rejected"),
    CaseState.expired: _l("Expired"),
    CaseState.disputed: _l("Disputed"),
    CaseState.resolved: _l("Resolved"),
}

STATE_BADGES = {
    CaseState.requested: "badge-warn",
    CaseState.in_progress: "badge-verified",
    CaseState.delivered: "badge-verified",
    CaseState.completed: "badge-ok",
    CaseState.disputed: "badge-danger",
}


def state_badge(state: CaseState) -> str:
    return STATE_BADGES.get(state, "")
