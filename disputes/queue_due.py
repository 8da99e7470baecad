"""A dispute's due time in the resolution centre's queue, on the dispute's own deadlines (no service
level of its own): the designer's answer date while it is open, then the ruling date (ruling_due)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from disputes.ruling_due import ruling_due, ruling_due_with
from extensions import db
from models.disputes import Dispute, DisputeState, EvidenceRequest
from moderation import service_levels


def dispute_due(dispute: Dispute, now: datetime) -> service_levels.Due:
    at = dispute.answer_due_at if dispute.state == DisputeState.open else ruling_due(dispute).at
    return service_levels.due_by_deadline(since=dispute.opened_at, at=at, now=now)


def dispute_dues(disputes: list[Dispute], now: datetime) -> dict[int, service_levels.Due]:
    """dispute_due of a page of active disputes, their evidence requests read in one query."""
    active = [d for d in disputes if d.is_active]
    requests = defaultdict(list)
    waiting = [d.id for d in active if d.state != DisputeState.open]
    if waiting:
        for request in db.session.scalars(
            sa.select(EvidenceRequest)
            .where(EvidenceRequest.dispute_id.in_(waiting))
            .order_by(EvidenceRequest.asked_at, EvidenceRequest.id)
        ):
            requests[request.dispute_id].append(request)
    return {
        d.id: service_levels.due_by_deadline(
            since=d.opened_at,
            now=now,
            at=d.answer_due_at if d.state == DisputeState.open else ruling_due_with(d, requests[d.id]).at,
        )
        for d in active
    }
