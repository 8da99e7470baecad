"""A dispute's due time in the resolution centre's queue, on the dispute's own deadlines (no service
level of its own): the designer's answer date while it is open, then the ruling date (ruling_due)."""
from __future__ import annotations

from datetime import datetime

from disputes.ruling_due import ruling_due
from models.disputes import Dispute, DisputeState
from moderation import service_levels


def dispute_due(dispute: Dispute, now: datetime) -> service_levels.Due:
    at = dispute.answer_due_at if dispute.state == DisputeState.open else ruling_due(dispute).at
    return service_levels.due_by_deadline(since=dispute.opened_at, at=at, now=now)
